import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createEventStore, type NewEvent } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { rebuildReadModels } from '../../functions/rebuild';
import { storyStreamId } from '../../events/streams';
import { createMissingTables, localTableNames } from '../../infra/local/create-tables';
import { commentary } from './append';
import { round, type Figure } from './stats';

/** Rebuild: replaying 20,000 events into fresh read models, against reading those events (the limit). */
export const benchRebuild = async ({ dynamo, events: total = 20_000 }: { dynamo: DynamoDBClient; events?: number }): Promise<Figure[]> => {
  const names = localTableNames(`bench-${randomUUID().slice(0, 6)}`);
  await createMissingTables(dynamo, names);
  const store = createEventStore(dynamo, names.events);
  const stories = 100;
  const perStory = Math.ceil(total / stories);
  const recordedAt = new Date().toISOString();
  const metadata = { subject: 'bench', correlationId: 'bench' };
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      for (let s = worker; s < stories; s += 8) {
        const storyId = `rebuild-${s}`;
        const events: NewEvent[] = [
          { id: randomUUID(), type: 'StoryOpened', data: { storyId, title: `Rebuild ${s}`, summary: 'Benchmark.', topics: ['bench'] } },
          { id: randomUUID(), type: 'ActorIdentified', data: { actorId: 'bench-outlet', name: 'Bench Outlet', aliases: [], kind: 'outlet' } },
          ...Array.from({ length: perStory - 2 }, (_, i) => ({ id: randomUUID(), ...commentary(storyId, i) }) as NewEvent),
        ];
        for (let i = 0; i < events.length; i += 50) {
          await store.append({ streamId: storyStreamId(storyId), expectedVersion: i, events: events.slice(i, i + 50), metadata, recordedAt });
        }
      }
    }),
  );

  let read = 0;
  const readStarted = performance.now();
  await store.scanAll((page) => {
    read += page.length;
  });
  const readRate = read / ((performance.now() - readStarted) / 1000);

  const readModels = createReadModelStore(dynamo, names.readModels);
  const started = performance.now();
  const result = await rebuildReadModels({ events: store, readModels, projector: createProjector(store, readModels) });
  const rate = result.events / ((performance.now() - started) / 1000);
  return [
    { name: `rebuild (${result.events} events, ${result.documents} read models)`, value: round(rate), unit: 'events/s', baseline: round(readRate), baselineName: 'reading the same events', ratio: round(rate / readRate, 2), target: '>= 2000 events/s', met: rate >= 2000 },
  ];
};
