import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createEventStore, type EventStore, type NewEvent } from '../../functions/adapters/event-store';
import { createStoryService } from '../../functions/story-service';
import { storyStreamId } from '../../events/streams';
import { createMissingTables, localTableNames } from '../../infra/local/create-tables';
import { commentary } from './append';
import { comparedFigure, interleave } from './interleave';
import { closedLoop, type Figure } from './stats';

/**
 * Append cost as a story grows: appends through the story service (decide + store, no HTTP) to stories
 * of 5,000 events against stories of 10, with 4 writers each on a story of its own; and the first
 * append on a cold instance (a new service: nothing cached) to each. On an in-memory DynamoDB Local
 * of its own, in interleaved rounds.
 */

const WRITERS = 4;
const metadata = { subject: 'bench', correlationId: 'bench' };

const writeStory = async (store: EventStore, storyId: string, length: number) => {
  const events: NewEvent[] = [
    { id: randomUUID(), type: 'StoryOpened', data: { storyId, title: `Growth ${storyId}`, summary: 'Benchmark.', topics: ['bench'] } },
    { id: randomUUID(), type: 'ActorIdentified', data: { actorId: 'bench-outlet', name: 'Bench Outlet', aliases: [], kind: 'outlet' } },
    ...Array.from({ length: length - 2 }, (_, i) => ({ id: randomUUID(), ...commentary(storyId, i) }) as NewEvent),
  ];
  for (let i = 0; i < events.length; i += 50) {
    await store.append({ streamId: storyStreamId(storyId), expectedVersion: i, events: events.slice(i, i + 50), metadata, recordedAt: new Date().toISOString() });
  }
};

export const benchAppendGrowth = async ({ dynamo, long = 5000, rounds, durationMs }: { dynamo: DynamoDBClient; long?: number; rounds: number; durationMs: number }): Promise<Figure[]> => {
  const names = localTableNames(`growth-${randomUUID().slice(0, 6)}`);
  await createMissingTables(dynamo, names);
  const store = createEventStore(dynamo, names.events);
  const longStories = Array.from({ length: WRITERS }, (_, w) => `long-${w}`);
  // one story at a time: large transactions on DynamoDB Local time out waiting for its lock when many run at once
  for (const id of longStories) await writeStory(store, id, long);
  // the first cold start after a story grew without one writes its snapshot (as it would in AWS)
  for (const id of longStories) await createStoryService(store).state(id);
  let shortCount = 0;
  const freshShortStories = () => Promise.all(Array.from({ length: WRITERS }, async () => {
    const id = `short-${shortCount++}`;
    await writeStory(store, id, 10);
    return id;
  }));

  const append = (service: ReturnType<typeof createStoryService>, storyId: string, n: number) =>
    service.append({ storyId, events: [commentary(storyId, n)], subject: 'bench', correlationId: randomUUID() });

  const warm = createStoryService(store);
  let n = 0;
  const rate = (stories: () => Promise<string[]>) => async () => {
    const ids = await stories();
    for (const id of ids) await warm.state(id);
    return closedLoop(WRITERS, durationMs, async (worker) => {
      await append(warm, ids[worker]!, n++);
    });
  };
  const [longRate, shortRate] = await interleave({
    rounds,
    settle: async () => undefined,
    workloads: [
      { name: `appends to ${long}-event stories`, run: rate(async () => longStories) },
      { name: 'appends to 10-event stories', run: rate(freshShortStories) },
    ],
  });

  // the first append of a new instance: one per story, timed one at a time
  const cold = (stories: () => Promise<string[]>) => async () => {
    const ids = await stories();
    const latencies: number[] = [];
    const started = performance.now();
    for (const id of ids) {
      const t = performance.now();
      await append(createStoryService(store), id, n++);
      latencies.push(performance.now() - t);
    }
    return { latencies, errors: 0, elapsedMs: performance.now() - started };
  };
  const [longCold, shortCold] = await interleave({
    rounds,
    settle: async () => undefined,
    workloads: [
      { name: `cold first append, ${long} events`, run: cold(async () => longStories) },
      { name: 'cold first append, 10 events', run: cold(freshShortStories) },
    ],
  });
  return [
    comparedFigure(`append rate at a ${long}-event story (service, ${WRITERS} writers)`, 'events/s', longRate!, shortRate!, 'rates', { text: '>= 0.80', met: ({ ratio }) => ratio >= 0.8 }),
    comparedFigure(`cold instance: first append to a ${long}-event story`, 'ms', longCold!, shortCold!, 'p50s', { text: '<= 2.0', met: ({ ratio }) => ratio <= 2 }),
  ];
};
