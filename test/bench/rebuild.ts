import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createEventStore, type NewEvent } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { rebuildReadModels } from '../../functions/rebuild';
import { storyStreamId } from '../../events/streams';
import { createMissingTables, localTableNames } from '../../infra/local/create-tables';
import { commentary } from './append';
import { comparedFigure, interleave } from './interleave';
import { requestFigures } from './cost';
import { difference, perOperation, type RequestCounter } from './request-counter';
import type { Figure } from './stats';

/**
 * Rebuild: replaying 20,000 events into a new generation of read models, against reading those
 * events (the limit), in interleaved rounds; and what a rebuilt event costs in requests.
 */
export const benchRebuild = async ({ dynamo, events: total = 20_000, rounds, counter }: { dynamo: DynamoDBClient; events?: number; rounds: number; counter: RequestCounter }): Promise<Figure[]> => {
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

  const readModels = createReadModelStore(dynamo, names.readModels);
  const projector = createProjector(store, readModels);
  const before = counter.tally('rebuild');
  let rebuilt = 0;
  // one operation per event: a round's rate is events per second
  const timed = async (work: () => Promise<number>) => {
    const started = performance.now();
    const events = await work();
    const elapsedMs = performance.now() - started;
    return { latencies: Array.from({ length: events }, () => elapsedMs / events), errors: 0, elapsedMs };
  };
  const [rebuild, read] = await interleave({
    rounds,
    settle: () => Promise.resolve(),
    workloads: [
      {
        name: 'rebuild',
        run: () =>
          timed(async () => {
            const result = await counter.run('rebuild', () => rebuildReadModels({ events: store, readModels, projector }));
            rebuilt += result.events;
            return result.events;
          }),
      },
      {
        name: 'reading the same events',
        run: () =>
          timed(async () => {
            let read = 0;
            await store.scanAll((page) => {
              read += page.length;
            });
            return read;
          }),
      },
    ],
  });
  return [
    comparedFigure(`rebuild (${total} events in ${stories} stories)`, 'events/s', rebuild!, read!, 'rates', { text: '>= 5000 events/s', met: ({ value }) => value >= 5000 }),
    ...requestFigures('rebuilt event', perOperation(difference(counter.tally('rebuild'), before), rebuilt)),
  ];
};
