import type { RecordedEvent } from '../catalog/events';
import { digestKey, parseDigestKey } from './keys';
import { guarded, type Projection, type Versioned } from './projection';

/**
 * One document per published digest (`digest/<period>/<digestId>`, the id derived from the period
 * and the window end), so that every digest keeps its page: the digest feed holds only its newest
 * items, this never drops one.
 */

export interface DigestModel extends Versioned {
  period: string;
  digestId: string;
  /** The DigestPublished event's id; empty until it is applied. */
  eventId: string;
  publishedAt: string;
  /** What events/digest composed, as published. */
  content: Record<string, unknown>;
}

export const initialDigest = (key: string): DigestModel => {
  const digest = parseDigestKey(key);
  if (!digest) throw new Error(`${key} is not a digest document key`);
  return { ...digest, eventId: '', publishedAt: '', content: {}, applied: {} };
};

const apply = (model: DigestModel, event: RecordedEvent): DigestModel =>
  event.type === 'DigestPublished' ? { ...model, eventId: event.id, publishedAt: event.reportedAt, content: event.data.content } : model;

export const digestsProjection: Projection<DigestModel> = {
  name: 'digests',
  keysOf: (event) => (event.type === 'DigestPublished' ? [digestKey(event.data.period, event.data.digestId)] : []),
  initial: initialDigest,
  evolve: guarded(apply),
};
