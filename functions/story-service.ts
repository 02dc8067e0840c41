import { randomUUID } from 'node:crypto';
import { derivedUuid } from './derived-id';
import { fingerprint } from '../events/fingerprint';
import { parseEvent } from '../events/catalog/codec';
import type { RecordedEvent } from '../events/catalog/events';
import { ConflictError, ValidationError, type FieldIssue } from '../events/errors';
import { decideAll, evolve, fingerprintOf, initialState, type StoryEvent, type StoryState } from '../events/story/decider';
import { isInFuture, parseInstant } from '../events/instant';
import { storyStreamId } from '../events/streams';
import { requireAppendSize, type AppendResult, type EventStore, type NewEvent } from './adapters/event-store';

/**
 * Appending to a story: validate, decide against the story's state, append at the version decided on.
 * The story's state is cached per stream and brought up to date by reading only the events after it,
 * so an append never re-reads a long stream.
 */

export interface ProposedEvent {
  id?: string;
  type: unknown;
  data: unknown;
  /** When the source reported it (ISO 8601, not in the future); defaults to the recording time. */
  reportedAt?: string;
}

export interface AppendToStoryInput {
  storyId: string;
  expectedVersion?: number;
  events: ProposedEvent[];
  idempotencyKey?: string;
  subject: string;
  correlationId: string;
}

export interface StoryService {
  append(input: AppendToStoryInput): Promise<AppendResult>;
  /** The decider's state of a story at its head. */
  state(storyId: string): Promise<{ version: number; state: StoryState }>;
}

/** Attempts of an append without an expected version that keeps losing the race for the head. */
const MAX_HEAD_ATTEMPTS = 100;

/** States kept in memory per instance; a story not among them is folded again from its stream. */
const MAX_CACHED_STORIES = 1000;

export const createStoryService = (store: EventStore, now: () => Date = () => new Date()): StoryService => {
  const cache = new Map<string, { version: number; state: StoryState }>();
  /** Keeps the most recently used stories' states (a Map iterates oldest first). */
  const remember = (streamId: string, value: { version: number; state: StoryState }) => {
    cache.delete(streamId);
    cache.set(streamId, value);
    if (cache.size > MAX_CACHED_STORIES) cache.delete(cache.keys().next().value as string);
  };

  const state = async (storyId: string) => {
    const streamId = storyStreamId(storyId);
    let current = cache.get(streamId) ?? { version: 0, state: initialState };
    const newer = await store.readStream(streamId, { after: current.version });
    if (newer.length) {
      current = { version: newer[newer.length - 1]!.version, state: newer.reduce<StoryState>((s, e) => evolve(s, e as RecordedEvent & StoryEvent), current.state) };
      remember(streamId, current);
    }
    return current;
  };

  const validate = (input: AppendToStoryInput, at: Date): NewEvent[] => {
    const issues: FieldIssue[] = [];
    requireAppendSize(input.events.length);
    const events: NewEvent[] = [];
    const explicitIds = new Map<string, number>();
    input.events.forEach((proposed, i) => {
      try {
        if (proposed.id !== undefined) {
          // the store would refuse them too, but only after looking them up (which DynamoDB refuses with duplicates)
          const first = explicitIds.get(proposed.id);
          if (first !== undefined) issues.push({ field: `events.${i}.id`, message: `repeats the id of events.${first}: ids must be unique within a batch` });
          else explicitIds.set(proposed.id, i);
        }
        const event = parseEvent(proposed, `events.${i}`);
        const id = proposed.id ?? (input.idempotencyKey ? derivedUuid(`${input.idempotencyKey}\n${input.storyId}\n${i}`) : randomUUID());
        let reportedAt: string | undefined;
        if (proposed.reportedAt !== undefined) {
          const instant = parseInstant(proposed.reportedAt);
          if (instant === undefined) issues.push({ field: `events.${i}.reportedAt`, message: 'must be an ISO 8601 instant' });
          else if (isInFuture(instant, at)) issues.push({ field: `events.${i}.reportedAt`, message: 'must not be in the future' });
          else reportedAt = instant;
        }
        events.push({ ...event, id, ...(reportedAt !== undefined ? { reportedAt } : {}) } as NewEvent);
      } catch (error) {
        if (error instanceof ValidationError) issues.push(...error.issues);
        else throw error;
      }
    });
    if (issues.length) throw new ValidationError('Invalid events', issues);
    return events;
  };

  const append = async (input: AppendToStoryInput): Promise<AppendResult> => {
    const at = now();
    const events = validate(input, at);
    const streamId = storyStreamId(input.storyId);
    if (input.idempotencyKey !== undefined) {
      // the same request: the same stream and the same events as sent (ids, reported times and all)
      const requestHash = fingerprint({ streamId, events: input.events });
      await store.claimIdempotencyKey(input.idempotencyKey, requestHash, at.toISOString());
    }
    const repeat = await store.findRepeat({ streamId, events });
    if (repeat) return repeat;

    for (let attempt = 0; ; attempt++) {
      const current = await state(input.storyId);
      if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
        // the same request, sent twice at once, may have been applied by its twin since we looked
        const applied = await store.findRepeat({ streamId, events });
        if (applied) return applied;
        throw new ConflictError(`story ${input.storyId} is at version ${current.version}, not ${input.expectedVersion}`, current.version);
      }
      const decided = decideAll(
        events.map((event) => ({ type: 'Record' as const, storyId: input.storyId, event })),
        current.state,
      );
      if (decided.events.length === 0) {
        // every command repeats what the story already says: answer with the events that say it
        const byContent = current.state.status === 'open' ? current.state.byContent : {};
        const known = events.flatMap((e) => {
          const id = byContent[fingerprintOf(input.storyId, e)];
          return id === undefined ? [] : [{ id, type: e.type }];
        });
        const versions = await store.versionsOf(known.map((e) => e.id));
        const answered = known.map((e) => ({ ...e, version: versions.get(e.id) ?? 0 }));
        // the original result: the version its events brought the story to, not today's head
        return { streamId, version: Math.max(0, ...answered.map((e) => e.version)), events: answered, repeated: true };
      }
      const decidedIds = new Set(decided.events.map((e) => e.id));
      try {
        const result = await store.append({
          streamId,
          expectedVersion: current.version,
          events: events.filter((e) => decidedIds.has(e.id)),
          metadata: { subject: input.subject, correlationId: input.correlationId, ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}) },
          recordedAt: at.toISOString(),
        });
        if (!result.repeated) remember(streamId, { version: result.version, state: decided.state });
        return result;
      } catch (error) {
        // someone appended since we read: without an expected version, decide again on the new head.
        // Each round of racing writers lets one through, so a writer may lose as many rounds as there
        // are writers: retry (with jitter, so that the losers spread out) well past a handful of rounds,
        // as a 409 is no answer to a request that named no version. Only when the head moved: a store
        // that is busy at an unchanged head has already retried, and more rounds would only multiply that.
        const headMoved = error instanceof ConflictError && error.currentVersion !== current.version;
        if (headMoved && input.expectedVersion === undefined && attempt < MAX_HEAD_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * (attempt + 1))));
          continue;
        }
        if (error instanceof ConflictError) {
          const applied = await store.findRepeat({ streamId, events });
          if (applied) return applied;
        }
        throw error;
      }
    }
  };

  return { append, state };
};
