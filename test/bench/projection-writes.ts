import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createEventStore, type EventStore, type NewEvent } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector, type Projector } from '../../functions/projector';
import { storyStreamId } from '../../events/streams';
import type { ProjectableEvent } from '../../events/projections';
import { createMissingTables, localTableNames } from '../../infra/local/create-tables';
import { commentary } from './append';
import { billedWriteUnits, dynamoCost } from './cost';
import { difference, perOperation, totalRequests, type RequestCounter, type Tally } from './request-counter';
import { median, round, type Figure } from './stats';

/**
 * What projecting costs in DynamoDB, per projected event, counted request by request with the
 * request-counting middleware: 100-event batches over 25 stories, a 1-event batch on a 10-event
 * story and on a 2,000-event story. Each against the other as its same-run baseline (a batch's cost
 * should follow the change, not the batch's size or the story's length), and the cost of a million
 * events appended (one event per transaction, billed 2 units per KB per item as AWS bills it) and
 * projected, for each batch size.
 */

const metadata = { subject: 'bench', correlationId: 'bench' };
const STORIES = 25;

const opening = (storyId: string): NewEvent[] => [
  { id: randomUUID(), type: 'StoryOpened', data: { storyId, title: `Projection ${storyId}`, summary: 'Benchmark.', topics: ['bench'] } },
  { id: randomUUID(), type: 'ActorIdentified', data: { actorId: 'bench-outlet', name: 'Bench Outlet', aliases: [], kind: 'outlet' } },
] as NewEvent[];

const developments = (storyId: string, from: number, count: number): NewEvent[] => Array.from({ length: count }, (_, i) => ({ id: randomUUID(), ...commentary(storyId, from + i) }) as NewEvent);

/** Appends `events` to a story in transactions of 25, returns the records appended. */
const appendAll = async (store: EventStore, storyId: string, events: NewEvent[]): Promise<ProjectableEvent[]> => {
  const streamId = storyStreamId(storyId);
  const before = (await store.readRecords(streamId)).length;
  for (let i = 0; i < events.length; i += 25) {
    await store.append({ streamId, expectedVersion: before + i, events: events.slice(i, i + 25), metadata, recordedAt: new Date().toISOString() });
  }
  return store.readRecords(streamId, { after: before });
};

interface Measured {
  tally: Tally;
  ms: number[];
}

/** Projects `batch` under the counter's label, adding its tally and time to `into`. */
const projectCounted = async (counter: RequestCounter, label: string, projector: Projector, batch: ProjectableEvent[], into: Measured) => {
  const before = counter.tally(label);
  const started = performance.now();
  await counter.run(label, () => projector.project(batch));
  into.ms.push(performance.now() - started);
  const used = difference(counter.tally(label), before);
  into.tally = {
    requests: Object.fromEntries([...new Set([...Object.keys(into.tally.requests), ...Object.keys(used.requests)])].map((k) => [k, (into.tally.requests[k] ?? 0) + (used.requests[k] ?? 0)])),
    readUnits: into.tally.readUnits + used.readUnits,
    writeUnits: into.tally.writeUnits + used.writeUnits,
    transactWriteUnits: (into.tally.transactWriteUnits ?? 0) + (used.transactWriteUnits ?? 0),
  };
};

const empty = (): Measured => ({ tally: { requests: {}, readUnits: 0, writeUnits: 0, transactWriteUnits: 0 }, ms: [] });
const kinds = (tally: Tally) =>
  Object.entries(tally.requests)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, n]) => `${kind.replace(/Command$/, '')} ${round(n, 2)}`)
    .join(', ');

export const benchProjectionWrites = async ({ dynamo, rounds, counter, long = 2000 }: { dynamo: DynamoDBClient; rounds: number; counter: RequestCounter; long?: number }): Promise<Figure[]> => {
  const names = localTableNames(`bench-pw-${randomUUID().slice(0, 6)}`);
  await createMissingTables(dynamo, names);
  const store = createEventStore(dynamo, names.events);
  // no chunk held in memory between batches: what a batch costs on an instance that has not seen the story
  // (a warm projector reads only the heads of the stories it projected last: functions/adapters/read-model-store.ts, CHUNKS_CACHED)
  const readModels = createReadModelStore(dynamo, names.readModels, { cachedChunks: 0 });
  const projector = createProjector(store, readModels);
  const run = randomUUID().slice(0, 4);
  const stories = Array.from({ length: STORIES }, (_, i) => `pw-${run}-${i}`);
  const longStory = `pw-${run}-long`;

  // set up, not counted: 25 stories of 10 events, one of `long` events, all projected
  const setup: ProjectableEvent[] = [];
  for (const storyId of stories) setup.push(...(await appendAll(store, storyId, [...opening(storyId), ...developments(storyId, 0, 8)])));
  for (let i = 0; i < setup.length; i += 100) await projector.project(setup.slice(i, i + 100));
  const longEvents = await appendAll(store, longStory, [...opening(longStory), ...developments(longStory, 0, long - 2)]);
  for (let i = 0; i < longEvents.length; i += 100) await projector.project(longEvents.slice(i, i + 100));

  const batch100 = empty();
  const small = empty();
  const longOne = empty();
  const appendOne = empty();
  let n = 1000;
  for (let round = 0; round < rounds; round++) {
    const batch: ProjectableEvent[] = [];
    for (const storyId of stories) batch.push(...(await appendAll(store, storyId, developments(storyId, n, 4))));
    n += 4;
    await projectCounted(counter, 'projection-writes', projector, batch, batch100);
    // one event appended alone (counted: the append's cost) then projected alone, on a short and on the long story
    for (const [storyId, into] of [
      [stories[round % STORIES]!, small],
      [longStory, longOne],
    ] as const) {
      const before = counter.tally('projection-appends');
      const [event] = await counter.run('projection-appends', () => appendAll(store, storyId, developments(storyId, n++, 1)));
      const used = difference(counter.tally('projection-appends'), before);
      appendOne.tally = { requests: {}, readUnits: appendOne.tally.readUnits + used.readUnits, writeUnits: appendOne.tally.writeUnits + used.writeUnits, transactWriteUnits: (appendOne.tally.transactWriteUnits ?? 0) + (used.transactWriteUnits ?? 0) };
      appendOne.ms.push(0);
      await projectCounted(counter, 'projection-writes', projector, [event!], into);
    }
  }
  const perEvent100 = perOperation(batch100.tally, rounds * 100);
  const perSmall = perOperation(small.tally, rounds);
  const perLong = perOperation(longOne.tally, rounds);
  const perAppend = perOperation(appendOne.tally, appendOne.ms.length);

  const requests = (tally: Tally) => round(totalRequests(tally), 2);
  const figure = (name: string, value: number, unit: string, baseline: { name: string; value: number }, spread: string, target?: { text: string; met: boolean }): Figure => ({
    name,
    value,
    unit,
    baseline: baseline.value,
    baselineName: baseline.name,
    ratio: baseline.value ? round(value / baseline.value, 2) : 0,
    spread,
    ...(target ? { target: target.text, met: target.met } : {}),
  });
  const costPerMillion = (projected: Tally) => round((dynamoCost(perAppend) + dynamoCost(projected)) * 1e6, 2);
  return [
    figure(
      `projection: DynamoDB requests per projected event, 100-event batches over ${STORIES} stories`,
      requests(perEvent100),
      'requests',
      { name: '1-event batch', value: requests(perSmall) },
      `${kinds(perEvent100)}; ${round(median(batch100.ms))} ms a batch`,
      { text: '<= 1.0', met: totalRequests(perEvent100) <= 1.0 },
    ),
    figure('projection: DynamoDB requests, 1-event batch (10-event story)', requests(perSmall), 'requests', { name: `on the ${long}-event story`, value: requests(perLong) }, `${kinds(perSmall)}; ${round(median(small.ms))} ms`, {
      text: '<= 6',
      met: totalRequests(perSmall) <= 6,
    }),
    figure('projection: write units per projected event, 1-event batch (10-event story)', round(billedWriteUnits(perSmall), 1), 'WCU', { name: '100-event batches', value: round(billedWriteUnits(perEvent100), 1) }, `${round(perSmall.readUnits, 1)} read units`, {
      text: '<= 25',
      met: billedWriteUnits(perSmall) <= 25,
    }),
    figure(`projection: write units per projected event, 1-event batch (${long}-event story)`, round(billedWriteUnits(perLong), 1), 'WCU', { name: '10-event story', value: round(billedWriteUnits(perSmall), 1) }, `${kinds(perLong)}; ${round(perLong.readUnits, 1)} read units; ${round(median(longOne.ms))} ms`, {
      text: '<= 25',
      met: billedWriteUnits(perLong) <= 25,
    }),
    figure('cost per million events appended and projected, DynamoDB, 1-event batches', costPerMillion(perSmall), 'USD', { name: '100-event batches', value: costPerMillion(perEvent100) }, `append ${round(billedWriteUnits(perAppend), 1)} WCU (transactions billed 2 units/KB/item); projection ${round(billedWriteUnits(perSmall), 1)} WCU + ${round(perSmall.readUnits, 1)} RCU per event`),
    figure(`cost per million events appended and projected, DynamoDB, 100-event batches over ${STORIES} stories`, costPerMillion(perEvent100), 'USD', { name: '1-event batches', value: costPerMillion(perSmall) }, `projection ${round(billedWriteUnits(perEvent100), 2)} WCU + ${round(perEvent100.readUnits, 2)} RCU per event`),
  ];
};
