import type { EventStore } from '../../functions/adapters/event-store';
import type { ReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { rebuildReadModels, type RebuildProgress } from '../../functions/rebuild';
import { createStoryService } from '../../functions/story-service';
import { foldAll } from '../../events/projections';
import { seed } from '../../infra/local/seed';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { freshStores, type freshTables } from '../support/dynamodb';

let tables: Awaited<ReturnType<typeof freshTables>>;
let events: EventStore;
let readModels: ReadModelStore;
beforeAll(async () => {
  ({ tables, events, readModels } = await freshStores({ generationCacheMs: 0 }));
});
afterAll(() => tables.drop());

test('a rebuild from the event table equals the incrementally built read models, and readers switch only at the end', async () => {
  const stories = createStoryService(events);
  await seed(stories);
  const pledge = seedStory.events.find((e) => e.type === 'AssistancePledged')!;
  await stories.append({
    storyId: seedStory.storyId,
    events: [{ type: 'DevelopmentCorrected', data: { eventId: pledge.id, changes: { headline: 'Russia pledges $300-500 million to Pakistan Steel Mills' }, note: 'Clearer headline' } }],
    subject: 'test',
    correlationId: 'test',
  });
  const projector = createProjector(events, readModels);
  const log = await events.readStream(`story/${seedStory.storyId}`);
  for (let i = 0; i < log.length; i += 7) await projector.project(log.slice(i, i + 7));

  const keys = [...foldAll(log).keys()];
  const before = await readModels.getMany(keys);
  const generationBefore = await readModels.generation();
  const phases: RebuildProgress['phase'][] = [];
  const result = await rebuildReadModels({ events, readModels, projector }, (p) => {
    phases.push(p.phase);
  });
  expect(result.events).toBe(log.length);
  expect(await readModels.generation()).toBe(result.generation);
  expect(result.generation).not.toBe(generationBefore);
  expect(phases.indexOf('writing')).toBeGreaterThan(phases.indexOf('reading'));
  expect(phases.at(-1)).toBe('done');

  const after = await readModels.getMany(keys);
  expect(after.size).toBe(before.size);
  for (const key of keys) expect({ key, value: after.get(key)?.value }).toEqual({ key, value: before.get(key)?.value });
});
