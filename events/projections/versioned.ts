import type { RecordedEvent } from '../catalog/events';

/** What every read-model document keeps of the events it applied: a version per stream, and the events it passed over. */

/** The last version applied from each stream, keys sorted so equal histories give equal documents. */
export type Applied = Readonly<Record<string, number>>;

/** Every read-model document records what it has applied: a redelivered or replayed event changes nothing. */
export interface Versioned {
  applied: Applied;
}

export const appliedVersion = (model: Versioned, streamId: string): number => model.applied[streamId] ?? 0;

/** Where an event sits: its stream and version. */
export type StreamPosition = Pick<RecordedEvent, 'streamId' | 'version'>;

export const isApplied = (model: Versioned, event: StreamPosition): boolean => event.version <= appliedVersion(model, event.streamId);

export const markApplied = (applied: Applied, event: StreamPosition): Applied =>
  // a stream already listed keeps its place; only a new one needs the keys sorted again
  Object.hasOwn(applied, event.streamId)
    ? { ...applied, [event.streamId]: event.version }
    : Object.fromEntries(Object.entries({ ...applied, [event.streamId]: event.version }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** An event a document counts as applied without applying it (see unreadable.ts). */
export type { PassedOver } from './versioned-schema';
