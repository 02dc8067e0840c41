import type * as z from 'zod/mini';
import { agreementTypes, type RecordedEvent } from '../catalog/events';
import { storyIdOf } from '../streams';
import type { AgreementItem as AgreementItemSchema, Agreements } from './agreements-schema';
import { compareOccurred, fieldsOf, withChanges } from './entry';
import { agreementsKey, storyIdOfKey } from './keys';
import { upsertSorted } from './lists';
import { guarded, type Projection, type Versioned } from './projection';
import { entryById } from './timeline';

/**
 * Agreements and pledges of a story: MoUs and agreements (signed), pledges of money or capacity
 * (pledged), interest in a project (interest), negotiations without progress (stalled).
 * Corrections are applied, retracted items marked.
 */

export type AgreementItem = z.infer<typeof AgreementItemSchema>;
export type AgreementStatus = AgreementItem['status'];
const AGREEMENT_TYPES: readonly string[] = agreementTypes;

/** The stored agreements: their schema (./agreements-schema.ts) and the versions applied. */
export type AgreementsModel = z.infer<typeof Agreements> & Versioned;

const defined = <T extends Record<string, unknown>>(values: T): Partial<T> =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;

const itemOf = (event: RecordedEvent): AgreementItem | undefined => {
  const base = { eventId: event.id, version: event.version, reportedAt: event.reportedAt, corrections: [] };
  switch (event.type) {
    case 'AgreementSigned': {
      const { agreementId, kind, title, parties, sector } = event.data;
      return { ...fieldsOf(event.data), ...base, eventType: event.type, id: agreementId, kind, status: 'signed', title, parties, sector };
    }
    case 'AssistancePledged': {
      const { pledgeId, from, to, purpose, amount, capacity, agreementId } = event.data;
      return {
        ...fieldsOf(event.data),
        ...base,
        eventType: event.type,
        id: pledgeId,
        kind: 'pledge',
        status: 'pledged',
        title: purpose,
        parties: [from, to],
        purpose,
        ...defined({ amount, capacity, agreementId }),
      };
    }
    case 'InterestExpressed': {
      const { interestId, party, project, terms } = event.data;
      return { ...fieldsOf(event.data), ...base, eventType: event.type, id: interestId, kind: 'interest', status: 'interest', title: project, parties: [party], project, ...defined({ terms }) };
    }
    case 'NegotiationStalled': {
      const { project, parties } = event.data;
      return { ...fieldsOf(event.data), ...base, eventType: event.type, id: event.id, kind: 'stalled', status: 'stalled', title: project, parties, project };
    }
    default:
      return undefined;
  }
};

const compareItems = (a: AgreementItem, b: AgreementItem): number => compareOccurred(a.occurred, b.occurred) || a.version - b.version;

const changeItem = (model: AgreementsModel, eventId: string, change: (item: AgreementItem) => AgreementItem): AgreementsModel => {
  const item = model.items.find((existing) => existing.eventId === eventId);
  if (!item) return model;
  return { ...model, items: upsertSorted(model.items, change(item), (existing) => existing.eventId === eventId, compareItems) };
};

const apply = (model: AgreementsModel, event: RecordedEvent): AgreementsModel => {
  switch (event.type) {
    case 'DevelopmentCorrected': {
      const { changes, note } = event.data;
      return changeItem(model, event.data.eventId, (item) => ({
        ...withChanges(item, changes),
        corrections: [...item.corrections, { eventId: event.id, note, at: event.reportedAt }],
      }));
    }
    case 'DevelopmentRetracted':
      return changeItem(model, event.data.eventId, (item) => ({ ...item, retracted: { reason: event.data.reason, at: event.reportedAt } }));
    default: {
      const item = itemOf(event);
      return item ? { ...model, items: upsertSorted(model.items, item, (existing) => existing.eventId === item.eventId, compareItems) } : model;
    }
  }
};

export const initialAgreements = (storyId: string): AgreementsModel => ({ storyId, items: [], applied: {} });

export const agreementsProjection: Projection<AgreementsModel> = {
  name: 'agreements',
  keysOf: (event, story) => {
    const storyId = storyIdOf(event.streamId);
    if (storyId === undefined) return [];
    if (AGREEMENT_TYPES.includes(event.type)) return [agreementsKey(storyId)];
    if (event.type === 'DevelopmentCorrected' || event.type === 'DevelopmentRetracted') {
      // without the story we cannot tell whether the target is an agreement: ask for the document anyway
      const target = story ? entryById(story, event.data.eventId) : undefined;
      return !story || (target && AGREEMENT_TYPES.includes(target.type)) ? [agreementsKey(storyId)] : [];
    }
    return [];
  },
  initial: (key) => initialAgreements(storyIdOfKey(key) ?? ''),
  evolve: guarded(apply),
};
