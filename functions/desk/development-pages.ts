import { canonicalJson } from '../../events/canonical';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ValidationError } from '../../events/errors';
import { entryById, type TimelineModel } from '../../events/projections/story-model';
import { developmentPath } from '../links';
import { typeLabel } from '../render/pages/html';
import { checkedForm, fieldsOfType, formPage, isDevelopmentType, newActorGroup, previewOf, proposalOf, publish, refusedPage, timelineOf, type DeskDeps, type Proposal } from './desk';
import { mapErrors } from './field-errors';
import { deskPath } from '../links';
import { redirect } from './request';
import { dataOf, one, valuesOf, type FormField, type FormValues } from './schema-form';
import type { DeskSession } from './session';
import { HttpError } from '../http/http-errors';

/**
 * Adding, correcting and retracting developments. Each form is built from the catalog schema of the
 * event it appends; Preview renders it with the public pages' renderer, Publish appends it and leads
 * to the development's permalink.
 */

type Kind = 'add' | 'correct' | 'retract';
interface Spec {
  title: string;
  fields: FormField[];
  /** The events the form's values propose. */
  proposal(values: FormValues): Proposal;
  /** Where a publication leads. */
  published(ids: { id: string; type: string }[]): string;
  values?: FormValues;
}

const specOf = (kind: Kind, story: TimelineModel, params: { type?: string; eventId?: string }): Spec => {
  const storyId = story.storyId;
  if (kind === 'add') {
    const type = params.type ?? '';
    if (!isDevelopmentType(type)) throw new HttpError(404, 'Not found', `${type} is not a type of development`);
    const fields = [...fieldsOfType(type), newActorGroup];
    return {
      title: `Add: ${typeLabel(type)}`,
      fields,
      proposal: (values) => proposalOf(type, fieldsOfType(type), values, true),
      published: (ids) => developmentPath(storyId, ids.find((e) => e.type === type)?.id ?? ''),
    };
  }
  const entry = entryById(story, params.eventId ?? '');
  if (!entry) throw new HttpError(404, 'Not found', `story ${storyId} has no development ${params.eventId}`);
  const back = () => developmentPath(storyId, entry.id);
  if (kind === 'retract') {
    const fields = fieldsOfType('DevelopmentRetracted').filter((f) => f.name !== 'data.eventId');
    return { title: `Retract: ${entry.headline}`, fields, proposal: (values) => ({ events: [{ type: 'DevelopmentRetracted', data: { eventId: entry.id, ...dataOf(fields, values) } }], prefixes: ['data'] }), published: back };
  }
  // a correction names the fields that differ from the development as it stands
  const changeFields = fieldsOfType('DevelopmentCorrected').flatMap((f) => (f.kind === 'group' && f.name === 'data.changes' ? f.fields : f.name === 'data.note' ? [f] : []));
  const current = entry as unknown as Record<string, unknown>;
  return {
    title: `Correct: ${entry.headline}`,
    fields: changeFields,
    values: valuesOf(changeFields, current),
    proposal: (values) => {
      const all = dataOf(changeFields.filter((f) => f.name !== 'data.note'), values);
      const changes = Object.fromEntries(Object.entries(all).filter(([name, value]) => canonicalJson(value) !== canonicalJson(current[name])));
      return { events: [{ type: 'DevelopmentCorrected', data: { eventId: entry.id, changes, note: one(values, 'data.note').trim() } }], prefixes: ['data'] };
    },
    published: back,
  };
};

const BUTTONS: Record<Kind, Record<string, string>> = { add: { preview: 'Preview', publish: 'Publish' }, correct: { publish: 'Publish the correction' }, retract: { publish: 'Retract' } };

export const developmentForm = async (deps: DeskDeps, session: DeskSession, kind: Kind, storyId: string, params: { type?: string; eventId?: string }): Promise<APIGatewayProxyStructuredResultV2> => {
  const story = await timelineOf(deps, storyId);
  const spec = specOf(kind, story, params);
  const { version } = await deps.stories.state(storyId);
  return formPage(spec.title, storyId, story, session, { action: deskPath(kind, { storyId, ...params }), fields: spec.fields, values: spec.values ?? new Map(), version, buttons: BUTTONS[kind] });
};

export const submitDevelopment = async (deps: DeskDeps, event: APIGatewayProxyEventV2, kind: Kind, storyId: string, params: { type?: string; eventId?: string }): Promise<APIGatewayProxyStructuredResultV2> => {
  const { session, form } = await checkedForm(deps, event);
  const story = await timelineOf(deps, storyId);
  const spec = specOf(kind, story, params);
  const proposal = spec.proposal(form);
  const page = { action: deskPath(kind, { storyId, ...params }), fields: spec.fields, values: form, version: Number(one(form, 'version')), buttons: BUTTONS[kind] };
  if (one(form, 'action') === 'preview' && kind === 'add') {
    try {
      return formPage(spec.title, storyId, story, session, { ...page, before: previewOf(storyId, story, proposal, deps.now().toISOString()) });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const mapped = mapErrors(error, spec.fields, form, proposal.prefixes);
      return formPage(spec.title, storyId, story, session, { ...page, errors: mapped.fields, general: mapped.general }, 422);
    }
  }
  const outcome = await publish(deps, session, storyId, spec.fields, form, proposal);
  if (outcome.ok) return redirect(spec.published(outcome.ids));
  return refusedPage(spec.title, storyId, story, session, outcome, page);
};
