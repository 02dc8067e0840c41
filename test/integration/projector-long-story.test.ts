import { randomUUID } from 'node:crypto';
import { QueryCommand, type AttributeValue, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { readModelsTable } from '../../contracts/tables';
import { timelineKey, type TimelineModel } from '../../events/projections';
import { storyStreamId } from '../../events/streams';
import { createEventStore, type NewEvent } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { commentary } from '../bench/append';
import { billedWriteUnits } from '../bench/cost';
import { createRequestCounter, difference, totalRequests } from '../bench/request-counter';
import { countedTables } from '../support/dynamodb';
import { writeAppendedItems } from '../support/seed-events';

/**
 * A story of 5,000 developments projects into items that stay small (its timeline in chunks, its
 * feed entries one item each), and one more event on it costs what one event on a short story costs:
 * at most 6 DynamoDB requests and 25 write units (transactions billed as AWS bills them), counted
 * request by request with the benchmark's middleware; it reads only the chunks of the timeline it
 * changes, and so does a correction of its first development. Pages are left out: they are not
 * projected in the batch.
 */

const counter = createRequestCounter('unlabelled');
const suite = countedTables(counter);

const LENGTH = 5000;
const metadata = { subject: 'test', correlationId: 'test' };

describe('a story of 5,000 developments', () => {
  it('projects into bounded items, and one more event writes no more than a 1-event batch may', async () => {
    const { client, tables } = suite;
    const events = createEventStore(client, tables.names.events);
    // no chunk held in memory: each batch reads what it changes from the table (a warm projector, at the end)
    const readModels = createReadModelStore(client, tables.names.readModels, { cachedChunks: 0 });
    const projector = createProjector(events, readModels);
    const storyId = `long-${randomUUID().slice(0, 6)}`;
    const streamId = storyStreamId(storyId);
    const recordedAt = new Date().toISOString();
    const all: NewEvent[] = [
      { id: randomUUID(), type: 'StoryOpened', data: { storyId, title: 'A long story', summary: 'Long.', topics: ['bench'] } },
      ...Array.from({ length: LENGTH }, (_, i) => ({ id: randomUUID(), ...commentary(storyId, i) }) as NewEvent),
    ];
    // written as appends of 25 would write them (the appends are not what this suite is about)
    await writeAppendedItems(client, tables.names.events, { streamId, events: all, metadata, recordedAt });
    const log = await events.readRecords(streamId);
    for (let i = 0; i < log.length; i += 100) await projector.project(log.slice(i, i + 100));

    const timeline = await readModels.get<TimelineModel>(timelineKey(storyId));
    expect(timeline?.value.entries).toHaveLength(LENGTH);
    // below 10^30 the head and the chunks; from there, one small item per development naming its version
    const query = (condition: string, more: Partial<QueryCommandInput> = {}) =>
      new QueryCommand({
        ...more,
        TableName: tables.names.readModels,
        KeyConditionExpression: `#pk = :pk AND #sk ${condition} :versions`,
        ExpressionAttributeNames: { '#pk': readModelsTable.partitionKey.name, '#sk': readModelsTable.sortKey.name },
        ExpressionAttributeValues: { ':pk': { S: `g1/${timelineKey(storyId)}` }, ':versions': { N: (10n ** 30n).toString() } },
      });
    const items = await client.send(query('<'));
    const sizes = (items.Items ?? []).map((item) => item.body?.B?.length ?? 0);
    // the head and 51 chunks of at most 100 entries, none near DynamoDB's 400 KB
    expect(sizes.length).toBe(1 + Math.ceil((LENGTH + 1) / 100));
    expect(Math.max(...sizes)).toBeLessThan(32 * 1024);
    let versions = 0;
    for (let startKey: Record<string, AttributeValue> | undefined, first = true; first || startKey; first = false) {
      const page = await client.send(query('>=', { Select: 'COUNT', ExclusiveStartKey: startKey }));
      versions += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    }
    expect(versions).toBe(LENGTH);

    const [next] = await events.append({ streamId, expectedVersion: all.length, events: [{ id: randomUUID(), ...commentary(storyId, LENGTH) } as NewEvent], metadata, recordedAt }).then(() => events.readRecords(streamId, { after: all.length }));
    const before = counter.tally('one');
    await counter.run('one', () => projector.project([next!]));
    const one = difference(counter.tally('one'), before);
    expect(totalRequests(one)).toBeLessThanOrEqual(6);
    expect(billedWriteUnits(one)).toBeLessThanOrEqual(25);
    // and reads what it changes: the timeline's head and its last chunk (at most 32 KB: 8 read units), not its 51 chunks
    expect(one.readUnits).toBeLessThanOrEqual(12);

    // a correction of the first development reads the chunk that holds it (found by its id), and only that one
    const first = log[1]!;
    await events.append({ streamId, expectedVersion: all.length + 1, events: [{ id: randomUUID(), type: 'DevelopmentCorrected', data: { eventId: first.id, changes: { headline: 'The first, corrected' }, note: 'A typo.' } }], metadata, recordedAt });
    const [correction] = await events.readRecords(streamId, { after: all.length + 1 });
    const beforeCorrection = counter.tally('correction');
    await counter.run('correction', () => projector.project([correction!]));
    const corrected = difference(counter.tally('correction'), beforeCorrection);
    expect(totalRequests(corrected)).toBeLessThanOrEqual(7);
    expect(corrected.readUnits).toBeLessThanOrEqual(12);
    const after = (await readModels.get<TimelineModel>(timelineKey(storyId)))!.value;
    expect(after.entries).toHaveLength(LENGTH + 1);
    expect(after.entries.find((entry) => entry.id === first.id)).toMatchObject({ headline: 'The first, corrected', corrections: [{ note: 'A typo.' }] });
    expect(after.totals.developments).toBe(LENGTH + 1);
    // each of the two batches replaced a chunk: the second deleted what the first replaced, and only its own replaced chunk waits for the next write
    expect((await client.send(query('<', { Select: 'COUNT' }))).Count).toBe(1 + Math.ceil((LENGTH + 1) / 100) + 1);

    // a projector that wrote the story's last chunk keeps it: its next batch of the story reads the head alone
    const warm = createProjector(events, createReadModelStore(client, tables.names.readModels));
    const appendOne = async (expectedVersion: number) => {
      await events.append({ streamId, expectedVersion, events: [{ id: randomUUID(), ...commentary(storyId, expectedVersion) } as NewEvent], metadata, recordedAt });
      return (await events.readRecords(streamId, { after: expectedVersion }))[0]!;
    };
    await warm.project([await appendOne(all.length + 2)]);
    const latest = await appendOne(all.length + 3);
    const beforeWarm = counter.tally('warm');
    await counter.run('warm', () => warm.project([latest]));
    const again = difference(counter.tally('warm'), beforeWarm);
    expect(again.requests.BatchGetItemCommand).toBe(1);
    expect(again.readUnits).toBeLessThan(one.readUnits);
    expect((await readModels.get<TimelineModel>(timelineKey(storyId)))!.value.entries.at(-1)?.id).toBe(latest.id);
    // 5,000 events appended and projected on DynamoDB Local take about a minute on two cores
  }, 900_000); // seconds alone, minutes beside the load tests on 2 cores
});
