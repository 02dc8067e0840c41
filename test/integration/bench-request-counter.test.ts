import { randomUUID } from 'node:crypto';
import { createEventStore } from '../../functions/adapters/event-store';
import { storyStreamId } from '../../events/streams';
import { createRequestCounter, difference, perOperation, totalRequests } from '../bench/request-counter';
import { countedTables } from '../support/dynamodb';
import { actorIdentified, metadata, storyOpened } from '../support/story-events';

/** The benchmark's request counter, as SDK middleware on a client talking to DynamoDB Local. */

const counter = createRequestCounter('unlabelled');
const suite = countedTables(counter);

describe('the request counter', () => {
  it('counts each request by kind under the label of the work that sent it, with the capacity units it consumed', async () => {
    const store = createEventStore(suite.client, suite.tables.names.events);
    const streamId = storyStreamId(`count-${randomUUID().slice(0, 8)}`);
    const recordedAt = new Date().toISOString();
    const before = counter.tally('append');
    // two appends of one event each, one read of the stream: under two labels, run at the same time
    await Promise.all([
      counter.run('append', async () => {
        await store.append({ streamId, expectedVersion: 0, events: [storyOpened('count')], metadata, recordedAt });
        await store.append({ streamId, expectedVersion: 1, events: [actorIdentified('x')], metadata, recordedAt });
      }),
      counter.run('read', () => store.headVersion(storyStreamId('nothing-here'))),
    ]);
    const appends = difference(counter.tally('append'), before);
    expect(appends.requests.TransactWriteItemsCommand).toBe(2);
    expect(counter.tally('read').requests).toEqual({ QueryCommand: 1 });
    // each append writes two items (the event and its id record), each under 1 KB, in a transaction (twice the units), and the first event its index entry
    expect(appends.writeUnits).toBeGreaterThanOrEqual(8);
    expect(perOperation(appends, 2).requests.TransactWriteItemsCommand).toBe(1);
    expect(totalRequests(counter.tally('unlabelled'))).toBe(0);
  });

  it('leaves clients created before it was installed alone', async () => {
    const before = counter.tally('unlabelled');
    await createEventStore(suite.tables.client, suite.tables.names.events).headVersion('story/none');
    expect(counter.tally('unlabelled')).toEqual(before);
  });
});
