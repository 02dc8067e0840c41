import type { RecordedEvent } from '../catalog/events';
import type { TimelineModel } from './timeline';

/**
 * A read model: which documents an event changes, what a fresh document is, and how an event
 * changes one. `evolve` is pure and never mutates its input.
 */
export interface Projection<M> {
  name: 'timeline' | 'visits' | 'agreements' | 'actors' | 'feeds' | 'stories';
  /** Document keys this event changes; `story` is the story's timeline BEFORE this event (undefined for digest streams). */
  keysOf(event: RecordedEvent, story: TimelineModel | undefined): string[];
  initial(key: string): M;
  evolve(model: M, event: RecordedEvent, story: TimelineModel | undefined): M;
}

/** The last version applied from each stream, keys sorted so equal histories give equal documents. */
export type Applied = Readonly<Record<string, number>>;

/** Every read-model document records what it has applied: a redelivered or replayed event changes nothing. */
export interface Versioned {
  applied: Applied;
}

const appliedVersion = (model: Versioned, streamId: string): number => model.applied[streamId] ?? 0;

/** Where an event sits: its stream and version. */
export type StreamPosition = Pick<RecordedEvent, 'streamId' | 'version'>;

export const isApplied = (model: Versioned, event: StreamPosition): boolean => event.version <= appliedVersion(model, event.streamId);

export const markApplied = (applied: Applied, event: StreamPosition): Applied =>
  // a stream already listed keeps its place; only a new one needs the keys sorted again
  Object.hasOwn(applied, event.streamId)
    ? { ...applied, [event.streamId]: event.version }
    : Object.fromEntries(Object.entries({ ...applied, [event.streamId]: event.version }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** An evolve that ignores events at or below the version it last applied from their stream, and records the rest. */
export const guarded =
  <M extends Versioned>(apply: (model: M, event: RecordedEvent, story: TimelineModel | undefined) => M) =>
  (model: M, event: RecordedEvent, story: TimelineModel | undefined): M =>
    isApplied(model, event) ? model : { ...apply(model, event, story), applied: markApplied(model.applied, event) };
