import { randomUUID } from 'node:crypto';
import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { createEventStore, type EventStore, type NewEvent } from '../../functions/adapters/event-store';
import { toEventItem } from '../../functions/adapters/event-items';
import { createSnapshotStore, noSnapshots, type SnapshotStore } from '../../functions/adapters/snapshot-store';
import { createStoryService } from '../../functions/story-service';
import { createStoryStates } from '../../functions/story-states';
import { encodeEvent } from '../../events/catalog/codec';
import { snapshotTag } from '../../events/story/snapshot';
import { storyStreamId } from '../../events/streams';
import { createMissingTables, localTableNames } from '../../infra/local/create-tables';
import { commentary } from './append';
import { alternate, comparedFigure, interleave } from './interleave';
import { closedLoop, round, type Figure } from './stats';

/**
 * Append cost as a story grows: appends through the story service (decide + store + snapshots, no
 * HTTP) to stories of 5,000 and 20,000 events against stories of 10, with 4 writers each on a story of
 * its own; and the first append on a cold instance (a new service: nothing cached, the story's
 * snapshot and the events after it to read) to each. On an in-memory DynamoDB Local of its own, in
 * interleaved rounds (warmed up, rotated; the cold appends of the lengths taken one by one in turns). Also the bytes the snapshot store holds per long story, and
 * the rate at stories of the first length through a service that writes no snapshot (the one work an
 * append to a long story does that one to a short story does not). No stream runner or projector
 * reads this DynamoDB Local: what these appends cost is the service's and DynamoDB Local's alone.
 */

const WRITERS = 4;
/**
 * The rate rounds are this many times as many and as short as asked (the same time in all): in rounds
 * of 1.5 s, one workload's round against the next one's moved 0.2-3x on the shared machine (its load
 * moves by the second), where shorter rounds put a figure's and its baseline's closer together in time
 * and give the medians more rounds to be taken over.
 */
const SLICES = 5;
/** Cold first appends per story in a round: a round's p50 of 4 alone moved by 2x from one run to the next. */
const COLD_PASSES = 3;
const metadata = { subject: 'bench', correlationId: 'bench' };

/** A story's events, opened and with its outlet identified, then commentaries. */
export const storyEvents = (storyId: string, length: number): NewEvent[] => [
  { id: randomUUID(), type: 'StoryOpened', data: { storyId, title: `Growth ${storyId}`, summary: 'Benchmark.', topics: ['bench'] } },
  { id: randomUUID(), type: 'ActorIdentified', data: { actorId: 'bench-outlet', name: 'Bench Outlet', aliases: [], kind: 'outlet' } },
  ...Array.from({ length: length - 2 }, (_, i) => ({ id: randomUUID(), ...commentary(storyId, i) }) as NewEvent),
];

/**
 * A long story's events written straight into the events table (25 to a BatchWriteItem, 8 at once):
 * what a cold start reads and what appends go after, without waiting for thousands of appends. The id
 * records of these events are not written: nothing here re-sends them.
 */
export const writeStoryItems = async (dynamo: DynamoDBClient, table: string, storyId: string, length: number): Promise<NewEvent[]> => {
  const events = storyEvents(storyId, length);
  const recordedAt = new Date().toISOString();
  const puts: WriteRequest[] = events.map((event, i) => ({
    PutRequest: { Item: toEventItem({ streamId: storyStreamId(storyId), version: i + 1, id: event.id, ...encodeEvent(event), recordedAt, reportedAt: recordedAt, metadata }) },
  }));
  const batches = Array.from({ length: Math.ceil(puts.length / 25) }, (_, i) => puts.slice(i * 25, i * 25 + 25));
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(
      batches.slice(i, i + 8).map(async (batch) => {
        let pending = batch;
        while (pending.length) pending = (await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }))).UnprocessedItems?.[table] ?? [];
      }),
    );
  }
  return events;
};

/** A short story through the store's append path, as the API would have written it. */
const writeShortStory = async (store: EventStore, storyId: string, length: number) => {
  await store.append({ streamId: storyStreamId(storyId), expectedVersion: 0, events: storyEvents(storyId, length), metadata, recordedAt: new Date().toISOString() });
};

export const benchAppendGrowth = async ({ dynamo, lengths = [5000, 20_000], rounds, durationMs }: { dynamo: DynamoDBClient; lengths?: number[]; rounds: number; durationMs: number }): Promise<Figure[]> => {
  const names = localTableNames(`growth-${randomUUID().slice(0, 6)}`);
  await createMissingTables(dynamo, names);
  const store = createEventStore(dynamo, names.events);
  const snapshots: SnapshotStore = createSnapshotStore(dynamo, names.snapshots);
  const longStories = new Map(lengths.map((length) => [length, Array.from({ length: WRITERS }, (_, w) => `long-${length}-${w}`)]));
  const progress = (what: string) => process.stderr.write(`bench: append growth: ${what}\n`);
  // stories of the first length appended to by a service that writes no snapshot: what the snapshot writes cost the rate
  const unsnapped = { length: lengths[0]!, ids: Array.from({ length: WRITERS }, (_, w) => `unsnapped-${lengths[0]}-${w}`) };
  for (const [length, ids] of [...longStories, [unsnapped.length, unsnapped.ids] as const]) for (const id of ids) await writeStoryItems(dynamo, names.events, id, length);
  progress(`${[...longStories.values()].flat().length + WRITERS} long stories written`);
  // the first cold start after a story grew without one writes its snapshot (as it would in AWS)
  const first = createStoryStates(store, snapshots);
  for (const ids of longStories.values()) for (const id of ids) await first.known(storyStreamId(id));
  await first.snapshotsWritten();
  progress('their snapshots written');
  let shortCount = 0;
  const freshShortStories = () =>
    Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const id = `short-${shortCount++}`;
        await writeShortStory(store, id, 10);
        return id;
      }),
    );

  // a development no event of the story says yet (the stories were written with commentaries 0, 1, 2...): an
  // append that repeated one would be answered from what is stored, writing nothing, and measure a read
  const append = async (service: ReturnType<typeof createStoryService>, storyId: string, n: number) => {
    const result = await service.append({ storyId, events: [commentary(storyId, `appended ${n}`)], subject: 'bench', correlationId: randomUUID() });
    if (result.repeated) throw new Error(`the bench's append to ${storyId} repeated an event: it measured no append`);
  };

  const warm = createStoryService(store, undefined, snapshots);
  let n = 0;
  const rate = (stories: () => Promise<string[]>, service = warm) => async () => {
    const ids = await stories();
    for (const id of ids) await service.state(id);
    return closedLoop(WRITERS, durationMs / SLICES, async (worker) => {
      await append(service, ids[worker]!, n++);
    });
  };
  const withoutSnapshots = { name: `appends to ${unsnapped.length}-event stories, no snapshot written`, run: rate(() => Promise.resolve(unsnapped.ids), createStoryService(store, undefined, noSnapshots)) };
  const short = { name: 'appends to 10-event stories', run: rate(freshShortStories) };
  // warmed up and rotated: the in-memory DynamoDB Local meets its first transactions in the first round (at
  // several times the latency of the later ones) and speeds up over the rounds, so a fixed order that runs the
  // long stories first in every round counts its warm-up against them
  const rates = await interleave({
    rounds: rounds * SLICES,
    settle: () => Promise.resolve(),
    warmUp: true,
    rotate: true,
    workloads: [...[...longStories].map(([length, ids]) => ({ name: `appends to ${length}-event stories`, run: rate(() => Promise.resolve(ids)) })), withoutSnapshots, short],
  });

  progress('append rates measured');
  // the first append of a new instance: COLD_PASSES per story, each by a new instance, timed one at a time and
  // taken in turns with the other lengths' (a cold append takes ~10 ms: rounds of one length at a time timed
  // each over ~150 ms of a shared machine whose load moves by the second, and their p50s moved 0.6-2.5x
  // against each other from one round to the next)
  const cold = (name: string, stories: () => Promise<string[]>) => ({
    name,
    operations: async () => {
      const ids = await stories();
      return Array.from({ length: COLD_PASSES }, () => ids.map((id) => () => append(createStoryService(store, undefined, snapshots), id, n++))).flat();
    },
  });
  const coldWorkloads = [...[...longStories].map(([length, ids]) => cold(`cold first append, ${length} events`, () => Promise.resolve(ids))), cold('cold first append, 10 events', freshShortStories)];
  // warmed up: DynamoDB Local's first reads of a snapshot head run several times slower (its JVM has not compiled them yet)
  const colds = await alternate({ rounds, warmUp: true, workloads: coldWorkloads });
  const shortRate = rates[rates.length - 1]!;
  const shortCold = colds[colds.length - 1]!;
  // the targets: flat to 5,000 events, nearly so to 20,000
  const rateTarget = (length: number) => (length <= 5000 ? 0.9 : 0.8);
  const coldTarget = (length: number) => (length <= 5000 ? 1.5 : 2);
  const figures: Figure[] = [];
  for (const [i, [length, ids]] of [...longStories].entries()) {
    figures.push(
      comparedFigure(`append rate at a ${length}-event story (service, ${WRITERS} writers)`, 'events/s', rates[i]!, shortRate, 'rates', { text: `>= ${rateTarget(length).toFixed(2)}`, met: ({ ratio }) => ratio >= rateTarget(length) }),
      comparedFigure(`cold instance: first append to a ${length}-event story`, 'ms', colds[i]!, shortCold, 'p50s', { text: `<= ${coldTarget(length).toFixed(1)}`, met: ({ ratio }) => ratio <= coldTarget(length) }),
    );
    const stored = await snapshots.read(storyStreamId(ids[0]!), snapshotTag());
    const bytes = stored?.bytes ?? 0;
    const version = stored?.head.version ?? 0;
    figures.push({ name: `snapshot store: bytes per ${length}-event story`, value: round(bytes / 1024), unit: 'KiB', baseline: version, baselineName: 'events folded into it', ratio: round(bytes / Math.max(1, version), 0), spread: `${stored?.head.segments ?? 0} segments + a head of ${round((stored?.headBytes ?? 0) / 1024)} KiB (all a cold start reads of it); ratio: bytes per event` });
  }
  // the one work an append to a long story does that one to a short story does not: a segment and the filter (31-59 KiB gzipped) every 100 events, off the append's path (both take a small head every 20 events)
  figures.push(comparedFigure(`append rate at a ${unsnapped.length}-event story, no snapshot written`, 'events/s', rates[longStories.size]!, shortRate, 'rates'));
  // a round's failed appends are not in its rate: a figure over rounds that failed says so
  const errors = [...rates, ...colds].reduce((sum, series) => sum + series.results.reduce((n, r) => n + r.errors, 0), 0);
  if (errors) figures.push({ name: 'append growth: failed appends (all rounds)', value: errors, unit: 'requests', baseline: 0, baselineName: '', ratio: 0, target: '0', met: false });
  return figures;
};
