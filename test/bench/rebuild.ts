import { randomUUID } from 'node:crypto';
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { createEventStore, type NewEvent } from '../../functions/adapters/event-store';
import { createReadModelStore, FRESH_BATCHES_IN_FLIGHT } from '../../functions/adapters/read-model-store';
import { retryUnprocessed } from '../../functions/adapters/unprocessed-retry';
import { inParallel } from '../../functions/projection/worker-pool';
import { createProjector } from '../../functions/projector';
import { rebuildReadModels } from '../../functions/rebuild';
import { storyStreamId } from '../../events/streams';
import { createMissingTables, localTableNames } from '../../infra/local/create-tables';
import { readModelsTable } from '../../contracts/tables';
import { commentary } from './append';
import { comparedFigure, interleave } from './interleave';
import { requestFigures } from './cost';
import { difference, perOperation, type RequestCounter } from './request-counter';
import { median, round, type Figure } from './stats';

/**
 * Rebuild: replaying the events of 100 stories into a new generation of read models, until readers
 * are switched to it and it has caught up, against DynamoDB Local's own ceiling for the same work in
 * the same run: reading the same events as the rebuild reads them (the streams' ids from the index,
 * then each stream's Query, 16 streams at once) and then writing the very items the rebuild wrote
 * (its BatchWriteItem requests, captured from its first round, the same batches at the same number in
 * flight) to keys of their own. Rounds of the two interleave. Deleting the generations the rebuild
 * replaced (a Scan of the whole read-model table) is timed on its own.
 */

const PK = readModelsTable.partitionKey.name;
const SK = readModelsTable.sortKey.name;

/** Streams read at once by the rebuild (functions/rebuild.ts STREAMS_IN_FLIGHT). */
const STREAMS_IN_FLIGHT = 16;

export const benchRebuild = async ({ dynamo, events: total = 20_000, rounds, counter, target }: { dynamo: DynamoDBClient; events?: number; rounds: number; counter: RequestCounter; target: number }): Promise<Figure[]> => {
  const names = localTableNames(`bench-${randomUUID().slice(0, 6)}`);
  await createMissingTables(dynamo, names);
  const store = createEventStore(dynamo, names.events);
  const stories = 100;
  const perStory = Math.ceil(total / stories);
  const recordedAt = new Date().toISOString();
  const metadata = { subject: 'bench', correlationId: 'bench' };
  // two writers of 25-event batches: DynamoDB Local's lock times out under many concurrent large transactions
  const writers = 2;
  await Promise.all(
    Array.from({ length: writers }, async (_, worker) => {
      for (let s = worker; s < stories; s += writers) {
        const storyId = `rebuild-${s}`;
        const events: NewEvent[] = [
          { id: randomUUID(), type: 'StoryOpened', data: { storyId, title: `Rebuild ${s}`, summary: 'Benchmark.', topics: ['bench'] } },
          { id: randomUUID(), type: 'ActorIdentified', data: { actorId: 'bench-outlet', name: 'Bench Outlet', aliases: [], kind: 'outlet' } },
          ...Array.from({ length: perStory - 2 }, (_, i) => ({ id: randomUUID(), ...commentary(storyId, i) }) as NewEvent),
        ];
        for (let i = 0; i < events.length; i += 25) {
          await store.append({ streamId: storyStreamId(storyId), expectedVersion: i, events: events.slice(i, i + 25), metadata, recordedAt });
        }
      }
    }),
  );

  // the rebuild's BatchWriteItem requests, as sent (the first round's)
  let capturing = false;
  const captured: WriteRequest[][] = [];
  dynamo.middlewareStack.add(
    ((next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: { input: { RequestItems?: Record<string, WriteRequest[]> } }) => {
      if (capturing && context.commandName === 'BatchWriteItemCommand') captured.push(structuredClone(args.input.RequestItems?.[names.readModels] ?? []));
      return next(args);
    }) as never,
    { step: 'initialize', name: 'benchRebuildCapture' },
  );

  const readModels = createReadModelStore(dynamo, names.readModels);
  const projector = createProjector(store, readModels);
  const before = counter.tally('rebuild');
  let rebuilt = 0;
  const drops: { ms: number; items: number }[] = [];
  const ceiling: { readMs: number; writeMs: number }[] = [];
  /** One operation per event: a round's rate is events per second. */
  const perEvent = (events: number, elapsedMs: number) => ({ latencies: Array.from({ length: events }, () => elapsedMs / events), errors: 0, elapsedMs });
  const [rebuild, limit] = await interleave({
    rounds,
    settle: () => Promise.resolve(),
    workloads: [
      {
        name: 'rebuild',
        run: async (round) => {
          capturing = round === 0;
          const started = performance.now();
          let switched = Number.NaN;
          const result = await counter.run('rebuild', () =>
            rebuildReadModels({ events: store, readModels, projector }, ({ phase }) => {
              // readers are switched and caught up: what follows deletes older generations
              if (phase === 'dropping') {
                switched = performance.now();
                capturing = false;
              }
            }),
          );
          drops.push({ ms: performance.now() - switched, items: result.dropped });
          rebuilt += result.events;
          return perEvent(result.events, switched - started);
        },
      },
      {
        name: 'DynamoDB Local reading the same events, then BatchWriteItem of the same items',
        run: async (round) => {
          const started = performance.now();
          let read = 0;
          await inParallel(
            [...(await store.streamIds('story')), ...(await store.streamIds('digest'))],
            async (streamId) => {
              const log = await store.readRecords(streamId);
              read += log.length;
            },
            STREAMS_IN_FLIGHT,
          );
          const readAt = performance.now();
          // the same items at keys of their own (a partition of this round), as the rebuild writes them to a new generation
          const batches = captured.map((batch) => batch.map((request) => rekeyed(request, `ceiling${round}/`)));
          await inParallel(batches, (batch) => retryUnprocessed(names.readModels, 'BatchWriteItem', batch, send), FRESH_BATCHES_IN_FLIGHT);
          const writtenAt = performance.now();
          ceiling.push({ readMs: readAt - started, writeMs: writtenAt - readAt });
          // not timed: the table goes back to what the rebuild rounds find
          const deletes = batches.map((batch) => batch.flatMap((request) => (request.PutRequest ? [{ DeleteRequest: { Key: { [PK]: request.PutRequest.Item![PK]!, [SK]: request.PutRequest.Item![SK]! } } }] : [])));
          await inParallel(deletes, (batch) => retryUnprocessed(names.readModels, 'BatchWriteItem', batch, send), FRESH_BATCHES_IN_FLIGHT);
          return perEvent(read, writtenAt - started);
        },
      },
    ],
  });
  dynamo.middlewareStack.remove('benchRebuildCapture');
  async function send(requests: WriteRequest[]): Promise<WriteRequest[]> {
    return (await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [names.readModels]: requests } }))).UnprocessedItems?.[names.readModels] ?? [];
  }
  const items = captured.reduce((sum, batch) => sum + batch.length, 0);
  const events = rebuilt / rounds;
  const readRate = median(ceiling.map((c) => events / (c.readMs / 1000)));
  const writeRate = median(ceiling.map((c) => items / (c.writeMs / 1000)));
  return [
    comparedFigure(`rebuild (${total} events in ${stories} stories, until switched and caught up)`, 'events/s', rebuild!, limit!, 'rates', { text: `>= ${target} events/s`, met: ({ value }) => value >= target }),
    {
      name: '  the ceiling: DynamoDB Local reading the same events',
      value: round(readRate),
      unit: 'events/s',
      baseline: Number.NaN,
      baselineName: '',
      ratio: Number.NaN,
      spread: `${STREAMS_IN_FLIGHT} streams at once; ${ceiling.map((c) => `${round(c.readMs / 1000, 2)} s`).join(', ')}`,
    },
    {
      name: '  the ceiling: DynamoDB Local writing the same items (BatchWriteItem)',
      value: round(writeRate),
      unit: 'items/s',
      baseline: round(items / events, 2),
      baselineName: 'items per rebuilt event',
      ratio: round(writeRate / (items / events)),
      spread: `${items} items in ${captured.length} batches, ${FRESH_BATCHES_IN_FLIGHT} in flight; ${ceiling.map((c) => `${round(c.writeMs / 1000, 2)} s`).join(', ')}; ratio = events/s the writes alone allow`,
    },
    {
      name: 'rebuild: deleting the generations before the one replaced (a Scan of the read-model table)',
      value: round(median(drops.map((d) => d.ms))),
      unit: 'ms',
      baseline: Number.NaN,
      baselineName: '',
      ratio: Number.NaN,
      spread: drops.map((d) => `${round(d.ms)} ms for ${d.items} items`).join(', '),
    },
    ...requestFigures('rebuilt event', perOperation(difference(counter.tally('rebuild'), before), rebuilt)),
  ];
};

/** A write request of a read-model item, at the same key under another prefix. */
const rekeyed = (request: WriteRequest, prefix: string): WriteRequest => {
  if (!request.PutRequest?.Item) return request;
  const item = request.PutRequest.Item;
  return { PutRequest: { Item: { ...item, [PK]: { S: `${prefix}${item[PK]?.S ?? ''}` } } } };
};
