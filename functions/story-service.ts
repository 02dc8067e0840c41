import { randomUUID } from 'node:crypto';
import { fingerprint } from '../events/fingerprint';
import { ConflictError, RuleViolationError } from '../events/errors';
import { decideAll, holdsEvent, OlderEventsNeeded, sameContentAs, type StoryEvent, type StoryState } from '../events/story/decider';
import { storyStreamId } from '../events/streams';
import type { AppendResult, EventStore, NewEvent } from './adapters/event-store';
import { RetryLimitError, retrying, retryPolicy, type Attempt } from './adapters/retry-policy';
import { noSnapshots, type SnapshotStore } from './adapters/snapshot-store';
import { validateAppend, type ProposedEvent } from './append-validation';
import { createKeyedLanes } from './keyed-lanes';
import { createStoryStates, type Known } from './story-states';

/**
 * Appending to a story: validate (append-validation.ts), decide against the story's state (kept by
 * story-states.ts), append at the version decided on. The cached state is trusted: an append is one
 * transaction at its version, and only when that version is taken (another instance appended) or the
 * decider refuses on it are the events after it read. A state restored from a snapshot's head is read
 * whole only when deciding needs one of the events it holds as a filter alone.
 *
 * Appends to one story run one at a time in an instance (keyed-lanes.ts): a writer that finds another
 * append to its story under way in this instance waits for it and decides on the state it leaves,
 * rather than racing it to the same version and losing a transaction, a read and a second transaction
 * to the race. A Lambda instance serves one request at a time, so there the lane never queues; the
 * local HTTP host serves every request in one process, where it does. Across instances, the version
 * condition of the transaction settles the race as before.
 */

export type { ProposedEvent } from './append-validation';

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
  /** The decider's state of a story at its head (the cache's own: read it there and then). */
  state(storyId: string): Promise<Known>;
}

/**
 * Rounds of an append: a writer without an expected version loses a round to each writer that wins
 * one before it (as many as there are writers racing), with a short jittered wait between, since a 409
 * is no answer to a request that named no version.
 */
const HEAD_RACE_POLICY = retryPolicy({ retries: 100, baseMs: 5, capMs: 100 });

export const createStoryService = (store: EventStore, now: () => Date = () => new Date(), snapshots: SnapshotStore = noSnapshots, states = createStoryStates(store, snapshots)): StoryService => {
  /** Every command repeats what the story already says: the events that say it, at the versions they were stored at. */
  const alreadySaid = async (streamId: string, storyId: string, events: NewEvent[], state: StoryState): Promise<AppendResult> => {
    const known = events.flatMap((e) => {
      const id = sameContentAs(state, storyId, e);
      return id === undefined ? [] : [{ id, type: e.type }];
    });
    const versions = await store.versionsOf(known.map((e) => e.id));
    const answered = known.map((e) => ({ ...e, version: versions.get(e.id) ?? 0 }));
    return { streamId, version: Math.max(0, ...answered.map((e) => e.version)), events: answered, repeated: true };
  };

  const lanes = createKeyedLanes();

  const appendAlone = async (input: AppendToStoryInput): Promise<AppendResult> => {
    const at = now();
    const events = validateAppend(input, at, randomUUID);
    const streamId = storyStreamId(input.storyId);
    const { expectedVersion } = input;
    // the same request: the same stream and the same events as sent (ids, reported times and all)
    const idempotency = input.idempotencyKey === undefined ? undefined : { key: input.idempotencyKey, requestHash: fingerprint({ streamId, events: input.events }) };
    const answered = idempotency && (await store.answerIdempotent(streamId, idempotency));
    if (answered) return answered;
    const metadata = { subject: input.subject, correlationId: input.correlationId, ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}) };
    let known = await states.known(streamId);
    // read to the head in this request: what is cached may be behind, but is not once read
    let fresh = false;
    const catchUp = async (): Promise<Attempt<AppendResult>> => {
      known = await states.catchUp(streamId);
      fresh = true;
      return { done: false };
    };

    const decideAndAppend = async (): Promise<Attempt<AppendResult>> => {
      if (expectedVersion !== undefined && expectedVersion !== known.version && !fresh) return catchUp();
      // an id this story already has, or a version the caller did not expect: a re-send (perhaps of a twin sent at once) is answered as the first time
      if (events.some((e) => holdsEvent(known.state, e.id)) || (expectedVersion !== undefined && expectedVersion !== known.version)) {
        const repeat = await store.findRepeat({ streamId, events });
        if (repeat) return { done: true, value: repeat };
      }
      if (expectedVersion !== undefined && expectedVersion !== known.version) throw new ConflictError(`story ${input.storyId} is at version ${known.version}, not ${expectedVersion}`, known.version);
      let decided: StoryEvent[];
      try {
        decided = decideAll(events.map((event) => ({ type: 'Record' as const, storyId: input.storyId, event })), known.state).events;
      } catch (error) {
        if (error instanceof RuleViolationError && !fresh) return catchUp();
        throw error;
      }
      if (decided.length === 0) return { done: true, value: await alreadySaid(streamId, input.storyId, events, known.state) };
      const from = known.version;
      const chosen = new Set(decided.map((e) => e.id));
      try {
        const result = await store.append({ streamId, expectedVersion: from, events: events.filter((e) => chosen.has(e.id)), metadata, recordedAt: at.toISOString(), ...(idempotency ? { idempotency } : {}) });
        if (!result.repeated) states.appended(streamId, from, decided, result.version);
        return { done: true, value: result };
      } catch (error) {
        // someone appended since (the store need not say up to where): read up to the head, then decide again on it, or (the caller expected a version) answer a repeat or 409 with it
        if (error instanceof ConflictError && error.currentVersion !== from) return catchUp();
        if (error instanceof ConflictError) {
          const applied = await store.findRepeat({ streamId, events });
          if (applied) return { done: true, value: applied };
        }
        throw error;
      }
    };

    const round = async (): Promise<Attempt<AppendResult>> => {
      try {
        return await decideAndAppend();
      } catch (error) {
        if (!(error instanceof OlderEventsNeeded)) throw error;
        known = await states.whole(streamId);
        fresh = true;
        return { done: false };
      }
    };

    try {
      return await retrying(`append to story ${input.storyId}`, round, HEAD_RACE_POLICY);
    } catch (error) {
      if (error instanceof RetryLimitError) throw new ConflictError(`story ${input.storyId} is busy: try again`, known.version);
      throw error;
    }
  };

  return { append: async (input) => lanes.run(storyStreamId(input.storyId), () => appendAlone(input)), state: (storyId) => states.whole(storyStreamId(storyId)) };
};
