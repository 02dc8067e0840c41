import type { RecordedEvent } from '../catalog/events';
import type { TimelineModel } from './story-model';
import { isApplied, markApplied, type Versioned } from './versioned';

export * from './versioned';

/**
 * A read model: which documents an event changes, what a fresh document is, and how an event
 * changes one. `evolve` is pure and never mutates its input.
 */
export interface Projection<M> {
  name: 'timeline' | 'visits' | 'agreements' | 'actors' | 'feeds' | 'stories' | 'digests';
  /** Document keys this event changes; `story` is the story's timeline BEFORE this event (undefined for digest streams). */
  keysOf(event: RecordedEvent, story: TimelineModel | undefined): string[];
  initial(key: string): M;
  evolve(model: M, event: RecordedEvent, story: TimelineModel | undefined): M;
}

/** An evolve that ignores events at or below the version it last applied from their stream, and records the rest. */
export const guarded =
  <M extends Versioned>(apply: (model: M, event: RecordedEvent, story: TimelineModel | undefined) => M) =>
  (model: M, event: RecordedEvent, story: TimelineModel | undefined): M =>
    isApplied(model, event) ? model : { ...apply(model, event, story), applied: markApplied(model.applied, event) };
