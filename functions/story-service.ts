import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import { derivedUuid } from './derived-id';
import { fingerprint } from '../events/fingerprint';
import { parseEvent } from '../events/catalog/codec';
import type { RecordedEvent } from '../events/catalog/events';
import { ConflictError, RuleViolationError, ValidationError, type FieldIssue } from '../events/errors';
import { decideAll, deciderVersion, fingerprintOf, fold, initialState, type StoryEvent, type StoryState } from '../events/story/decider';
import { isInFuture, parseInstant } from '../events/instant';
import { storyStreamId } from '../events/streams';
import { requireAppendSize, type AppendResult, type EventStore, type NewEvent } from './adapters/event-store';

/**
 * Appending to a story: validate, decide against the story's state, append at the version decided on.
 * The story's state is cached per stream and trusted: an append is one transaction at the cached
 * version, and only when that version is taken (another instance appended) or the decider refuses on
 * it are the events after it read. A cold instance starts from the story's latest snapshot (taken
 * every SNAPSHOT_EVERY events, tagged with the decider's version) and the events after it, so neither
 * an append nor a cold start ever re-reads a long stream.
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

/** A snapshot every this many events: a cold instance folds at most about this many past the latest. */
export const SNAPSHOT_EVERY = 100;
const SNAPSHOT_TAG = `story-decider-${deciderVersion}`;

type EncodedEvent = [id: string, type: string, hash: string, retracted: 0 | 1];

/** A state as a snapshot body: gzipped JSON, the events as tuples; `byContent` is derived from them when read. */
export const encodeState = async (state: StoryState): Promise<Uint8Array> => {
  const json = state.status === 'open' ? { ...state, events: [...state.events].map(([id, e]): EncodedEvent => [id, e.type, e.hash, e.retracted ? 1 : 0]), byContent: undefined } : state;
  return promisify(gzip)(JSON.stringify(json));
};

export const decodeState = (body: Uint8Array): StoryState => {
  type OpenState = Extract<StoryState, { status: 'open' }>;
  const json = JSON.parse(gunzipSync(body).toString('utf8')) as { status: 'unopened' } | (Omit<OpenState, 'events' | 'byContent'> & { events: EncodedEvent[] });
  if (json.status !== 'open') return json;
  const events = new Map(json.events.map(([id, type, hash, retracted]) => [id, { type, hash, retracted: retracted === 1 }] as const)) as OpenState['events'];
  return { ...json, events, byContent: new Map([...events].map(([id, e]) => [e.hash, id])) };
};

interface Known {
  version: number;
  state: StoryState;
}

export const createStoryService = (store: EventStore, now: () => Date = () => new Date()): StoryService => {
  const cache = new Map<string, Known>();
  /** Keeps the most recently used stories' states (a Map iterates oldest first). */
  const remember = (streamId: string, value: Known) => {
    cache.delete(streamId);
    cache.set(streamId, value);
    if (cache.size > MAX_CACHED_STORIES) cache.delete(cache.keys().next().value as string);
  };

  /** A snapshot only saves a later cold start some reading: failing to store it changes no answer. */
  const snapshot = async (streamId: string, known: Known) => {
    await store.saveSnapshot(streamId, SNAPSHOT_TAG, { version: known.version, body: await encodeState(known.state) }).catch(() => undefined);
  };

  const folded = (streamId: string, from: Known, events: RecordedEvent[]): Known => {
    if (events.length === 0) return from;
    const known = { version: (events[events.length - 1] as RecordedEvent).version, state: fold(from.state, events as (RecordedEvent & StoryEvent)[]) };
    remember(streamId, known);
    return known;
  };

  /** Nothing cached: the latest snapshot and the events after it (all of the stream when the snapshot cannot be read). */
  const load = async (streamId: string): Promise<Known> => {
    const { snapshot: stored, events } = await store.readFromSnapshot(streamId, SNAPSHOT_TAG);
    let from: Known = { version: 0, state: initialState };
    try {
      if (stored) from = { version: stored.version, state: decodeState(stored.body) };
    } catch {
      return folded(streamId, from, await store.readStream(streamId));
    }
    const known = folded(streamId, from, events);
    if (events.length >= SNAPSHOT_EVERY) await snapshot(streamId, known);
    return known;
  };

  /** The events after what we know. */
  const refresh = async (streamId: string, known: Known): Promise<Known> => folded(streamId, known, await store.readStream(streamId, { after: known.version }));

  const state = async (storyId: string) => {
    const streamId = storyStreamId(storyId);
    const cached = cache.get(streamId);
    return cached ? refresh(streamId, cached) : load(streamId);
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
    let current = cache.get(streamId);
    // read to the head: when nothing is cached, and when what is cached may be behind (the version
    // it is at is taken, the caller expects another, or the decider refuses on it)
    let fresh = !current;
    if (!current) current = await load(streamId);
    const readToHead = async () => {
      current = await refresh(streamId, current as Known);
      fresh = true;
    };

    for (let attempt = 0; ; attempt++) {
      if (input.expectedVersion !== undefined && input.expectedVersion !== current.version && !fresh) await readToHead();
      // an id this story already has: a re-send, answered as it was the first time (or refused if its content differs)
      const storyEvents = current.state.status === 'open' ? current.state.events : undefined;
      if (storyEvents && events.some((e) => storyEvents.has(e.id))) {
        const repeat = await store.findRepeat({ streamId, events });
        if (repeat) return repeat;
      }
      if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
        // the same request, sent twice at once, may have been applied by its twin since we looked
        const applied = await store.findRepeat({ streamId, events });
        if (applied) return applied;
        throw new ConflictError(`story ${input.storyId} is at version ${current.version}, not ${input.expectedVersion}`, current.version);
      }
      let decided: ReturnType<typeof decideAll>;
      try {
        decided = decideAll(
          events.map((event) => ({ type: 'Record' as const, storyId: input.storyId, event })),
          current.state,
        );
      } catch (error) {
        if (error instanceof RuleViolationError && !fresh) {
          await readToHead();
          continue;
        }
        throw error;
      }
      if (decided.events.length === 0) {
        // every command repeats what the story already says: answer with the events that say it
        const byContent = current.state.status === 'open' ? current.state.byContent : new Map<string, string>();
        const known = events.flatMap((e) => {
          const id = byContent.get(fingerprintOf(input.storyId, e));
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
        if (!result.repeated) {
          const known = { version: result.version, state: decided.state };
          remember(streamId, known);
          if (Math.floor(result.version / SNAPSHOT_EVERY) > Math.floor(current.version / SNAPSHOT_EVERY)) await snapshot(streamId, known);
        }
        return result;
      } catch (error) {
        // someone appended since we read: without an expected version, decide again on the new head.
        // Each round of racing writers lets one through, so a writer may lose as many rounds as there
        // are writers: retry (with jitter, so that the losers spread out) well past a handful of rounds,
        // as a 409 is no answer to a request that named no version. Only when the head moved: a store
        // that is busy at an unchanged head has already retried, and more rounds would only multiply that.
        // A cached state found behind is read up to the head at once: that is no race lost.
        const headMoved = error instanceof ConflictError && error.currentVersion !== current.version;
        if (headMoved && input.expectedVersion === undefined && attempt < MAX_HEAD_ATTEMPTS) {
          if (fresh) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * (attempt + 1))));
          await readToHead();
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
