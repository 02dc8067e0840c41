import { randomUUID } from 'node:crypto';
import { createEventStore } from '../../functions/adapters/event-store';
import { createSnapshotStore } from '../../functions/adapters/snapshot-store';
import { createStoryStates } from '../../functions/story-states';
import { fold, initialState, type StoryEvent } from '../../events/story/decider';
import { storyStreamId } from '../../events/streams';
import { createRequestCounter, difference, totalRequests } from '../bench/request-counter';
import { countedTables } from '../support/dynamodb';
import { writeStoryItems } from '../bench/append-growth';

/**
 * A cold start on a long story reads its snapshot's head and the events after it: a bounded number of
 * requests and bytes, not one request per thousand events, nor the ids and hashes of every event.
 */

const LENGTH = 20_000;
const counter = createRequestCounter();
const suite = countedTables(counter);

it(`a cold start on a ${LENGTH.toLocaleString('en')}-event story reads its snapshot's head and the events after it in a few requests`, async () => {
  const storyId = `long-${randomUUID().slice(0, 8)}`;
  const streamId = storyStreamId(storyId);
  const events = (await writeStoryItems(suite.client, suite.tables.names.events, storyId, LENGTH)) as StoryEvent[];
  const store = createEventStore(suite.client, suite.tables.names.events);
  const snapshots = createSnapshotStore(suite.client, suite.tables.names.snapshots);
  // the first cold start after the story grew without one reads the whole stream, and leaves a snapshot behind
  const first = createStoryStates(store, snapshots);
  const before = counter.tally('first');
  await counter.run('first', () => first.known(streamId));
  await first.snapshotsWritten();
  const stream = difference(counter.tally('first'), before).requests.QueryCommand ?? 0;
  // a Query page holds at most 1 MB of events: about 1,500 of these
  expect(stream).toBeGreaterThan(10);

  const cold = createStoryStates(store, snapshots);
  const start = counter.tally('cold');
  const known = await counter.run('cold', () => cold.known(streamId));
  const used = difference(counter.tally('cold'), start);
  // the snapshot's head and filter (one Query: the story's own facts and a filter of its older events) and the events after it (one Query)
  expect(used.requests).toEqual({ QueryCommand: 2 });
  expect(totalRequests(used)).toBeLessThanOrEqual(4);
  // and a bounded number of bytes: the filter (64 KiB of bits, 59 KiB gzipped at this length) and a small head, in 4 KB read units
  expect(used.readUnits).toBeGreaterThan(0);
  expect(used.readUnits).toBeLessThanOrEqual(20);
  expect(known.version).toBe(LENGTH);
  const whole = fold(initialState, events);
  // what the head holds of the story: all of its own facts, and the events after its segments
  expect(known.state).toMatchObject({ status: 'open', actors: (whole as { actors: object }).actors, older: { count: LENGTH } });
  // and read whole (the head and its 200 segments: a Query of two pages, and the events after them), the state a fold gives
  const read = createStoryStates(store, snapshots);
  const wholeStart = counter.tally('whole');
  expect((await counter.run('whole', () => read.whole(streamId))).state).toEqual(whole);
  expect(totalRequests(difference(counter.tally('whole'), wholeStart))).toBeLessThanOrEqual(4);
}, 900_000); // 20,000 events written and read back: seconds alone, minutes beside the load tests on 2 cores
