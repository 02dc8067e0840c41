import type { RecordedEvent } from '../catalog/events';
import { isUnreadable, type ProjectableEvent, type UnreadableEvent } from '../catalog/unreadable';
import type { Projection } from './projection';
import type { TimelineModel } from './story-model';
import { isApplied, markApplied, type PassedOver, type Versioned } from './versioned';

export { isUnreadable, type ProjectableEvent, type UnreadableEvent };

/**
 * Projections pass over an event instead of stopping there, when they cannot read it
 * (events/catalog/unreadable.ts) or when one of them fails on it: the documents it would change
 * count it as applied and list it under `passedOver`, with the reason, so the events after it are
 * projected (a stream that stopped would fail every later record of its story, and hold up its
 * shard). For an unreadable event that is its stream's progress document. A rebuild by code that
 * can read it, or that no longer fails on it, brings it in.
 */


export type PassingOver = Versioned & { passedOver?: PassedOver[] };

/** A document that counts the event as applied and lists it, with the reason; a story's timeline also says how far its story goes. */
export const passedOverIn = (model: PassingOver, event: Pick<UnreadableEvent, 'streamId' | 'version' | 'id' | 'type' | 'recordedAt' | 'reason'>, isTimeline: boolean): PassingOver => {
  if (isApplied(model, event)) return model;
  const { version, id, type, recordedAt, reason } = event;
  const passed = { ...model, passedOver: [...(model.passedOver ?? []), { version, id, type, recordedAt, reason }], applied: markApplied(model.applied, event) };
  return isTimeline ? ({ ...passed, version, updatedAt: recordedAt } as PassingOver) : passed;
};

/**
 * One projection's evolve of one document; or, when it throws on the event (a bug: evolve is pure,
 * so it throws the same way in every replay), the document passing over that event, so that the
 * events after it are still projected instead of failing at it one by one. `onFailure` hears of it.
 * (No closure is made per call: this runs for every document an event changes.)
 */
export const evolveOrPassOver = (
  projection: Projection<unknown>,
  key: string,
  model: unknown,
  event: RecordedEvent,
  story: TimelineModel | undefined,
  onFailure?: (event: RecordedEvent, projection: string, error: unknown) => void,
): unknown => {
  const start = model ?? projection.initial(key);
  try {
    return projection.evolve(start, event, story);
  } catch (error) {
    onFailure?.(event, projection.name, error);
    const reason = `the ${projection.name} projection failed on it: ${error instanceof Error ? error.message : String(error)}`;
    return passedOverIn(start as PassingOver, { ...event, reason }, projection.name === 'timeline');
  }
};
