import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import * as fc from 'fast-check';
import { isCollectionKey } from '../../events/projections/collections';
import { parseFeedKey, type FeedModel } from '../../events/projections';
import { renderCurrent } from '../../functions/feed-publication';
import { appendInterleaved, buildStory, seededChoose, storyStepsArb } from '../support/faults-stories';
import type { EventStore } from '../../functions/adapters/event-store';
import type { ReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { readModelsTable } from '../../contracts/tables';
import { rebuildReadModels, type RebuildProgress } from '../../functions/rebuild';
import { createStoryService } from '../../functions/story-service';
import { foldAll } from '../../events/projections';
import { seed } from '../../infra/local/seed';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { freshStores, type freshTables } from '../support/dynamodb';
import { scanItems } from '../support/suite-tables';

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
  await expectSameBytes(keys, generationBefore, result.generation);
});

/** Every collection item stored under `key` in a generation, by sort key, as stored (JSON). */
const rawItems = async (key: string, generation: number): Promise<Record<string, string>> => {
  const items: Record<string, string> = {};
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await tables.client.send(
      new QueryCommand({
        TableName: tables.names.readModels,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': readModelsTable.partitionKey.name },
        ExpressionAttributeValues: { ':pk': { S: `g${generation}/${key}` } },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) items[item[readModelsTable.sortKey.name]?.N ?? ''] = item.item?.S ?? '';
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/** The rebuilt generation holds the same collection items, byte for byte, and renders the same feeds, as the live one. */
const expectSameBytes = async (keys: readonly string[], live: number, rebuilt: number) => {
  const at = new Date();
  for (const key of keys.filter(isCollectionKey)) {
    expect({ key, items: await rawItems(key, rebuilt) }).toEqual({ key, items: await rawItems(key, live) });
    if (!parseFeedKey(key)) continue;
    const [a, b] = await Promise.all([readModels.get<FeedModel>(key, live), readModels.get<FeedModel>(key, rebuilt)]);
    expect({ key, rendered: b && renderCurrent(b.value, at) }).toEqual({ key, rendered: a && renderCurrent(a.value, at) });
  }
};

test('a rebuild of random stories equals their live projection, byte for byte', async () => {
  const choose = seededChoose(19);
  const steps = fc.sample(storyStepsArb(14), { numRuns: 3, seed: 19 });
  const built = steps.map((story, i) => ({ storyId: `rebuilt-${i}`, events: buildStory(`rebuilt-${i}`, story) }));
  await appendInterleaved(events, built, choose);
  const projector = createProjector(events, readModels);
  const log: Awaited<ReturnType<EventStore['readStream']>> = [];
  for (const { storyId } of built) log.push(...(await events.readStream(`story/${storyId}`)));
  for (let i = 0; i < log.length; ) {
    const size = 1 + choose(9);
    await projector.project(log.slice(i, i + size));
    i += size;
  }
  const live = await readModels.generation();
  const keys = [...foldAll(log).keys()];
  const before = await readModels.getMany(keys, live);
  const result = await rebuildReadModels({ events, readModels, projector });
  const after = await readModels.getMany(keys, result.generation);
  for (const key of keys) expect({ key, value: after.get(key)?.value }).toEqual({ key, value: before.get(key)?.value });
  await expectSameBytes(keys, live, result.generation);
});

test('each rebuild deletes the generations before the one it replaced, and keeps that one', async () => {
  const projector = createProjector(events, readModels);
  const generationsStored = async () => {
    const found = new Map<number, number>();
    for (const item of await scanItems(tables, tables.names.readModels)) {
      const gen = /^g(\d+)\//.exec(item.pk?.S ?? '')?.[1];
      if (gen !== undefined) found.set(Number(gen), (found.get(Number(gen)) ?? 0) + 1);
    }
    return found;
  };
  const first = await rebuildReadModels({ events, readModels, projector });
  const second = await rebuildReadModels({ events, readModels, projector, now: () => new Date(first.generation + 1000) });
  expect(second.previousGeneration).toBe(first.generation);
  // the generation the first rebuild replaced is gone now; the first rebuild's own stays
  expect(second.dropped).toBeGreaterThan(0);
  const stored = await generationsStored();
  expect([...stored.keys()].sort()).toEqual([first.generation, second.generation].sort());
  expect(stored.get(first.generation)).toBe(stored.get(second.generation));
  // readers still find everything, in the current generation
  const timeline = await readModels.get(`story/${seedStory.storyId}/timeline`);
  expect(timeline?.value).toMatchObject({ storyId: seedStory.storyId });
});

test('neither the projector nor a rebuild stores a page: the pages are rendered when read', async () => {
  const { tables: own, events: store, readModels: models } = await freshStores({ generationCacheMs: 0 });
  try {
    await seed(createStoryService(store));
    const log = await store.readStream(`story/${seedStory.storyId}`);
    await createProjector(store, models).project(log);
    const result = await rebuildReadModels({ events: store, readModels: models, projector: createProjector(store, models) });
    const keys = (await scanItems(own, own.names.readModels)).map((item) => item[readModelsTable.partitionKey.name]?.S ?? '');
    // both generations hold the story's documents, and no page or page index
    for (const generation of [result.generation, result.previousGeneration]) expect(keys.some((key) => key.startsWith(`g${generation}/story/${seedStory.storyId}`))).toBe(true);
    expect(keys.filter((key) => /^g\d+\/page/.test(key))).toEqual([]);
  } finally {
    await own.drop();
  }
});
