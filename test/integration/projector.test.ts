import type { EventStore } from '../../functions/adapters/event-store';
import type { ReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { foldAll, timelineKey, visitsKey } from '../../events/projections';
import { createStoryService } from '../../functions/story-service';
import { seed } from '../../infra/local/seed';
import { freshStores, type freshTables } from '../support/dynamodb';

let tables: Awaited<ReturnType<typeof freshTables>>;
let events: EventStore;
let readModels: ReadModelStore;
beforeAll(async () => {
  ({ tables, events, readModels } = await freshStores());
  await seed(createStoryService(events));
});
afterAll(() => tables.drop());

const expectEqualToFold = async () => {
  const log = await events.readStream('story/russia-pakistan-2012');
  const expected = foldAll(log);
  const stored = await readModels.getMany([...expected.keys()]);
  for (const [key, doc] of expected) expect({ key, value: stored.get(key)?.value }).toEqual({ key, value: doc });
};

describe('projector on DynamoDB Local', () => {
  it('projects batches in any order and multiplicity into what a pure fold makes', async () => {
    const projector = createProjector(events, readModels);
    const log = await events.readStream('story/russia-pakistan-2012');
    await projector.project(log.slice(0, 10));
    await projector.project(log.slice(5, 12)); // overlap: replays change nothing
    await projector.project(log.slice(30, 31)); // a gap: 13..30 are read from the table
    await projector.project([...log.slice(40)].reverse());
    await projector.project(log); // everything again
    await expectEqualToFold();
    expect((await readModels.get<{ applied: Record<string, number> }>(timelineKey('russia-pakistan-2012')))?.value.applied).toEqual({ 'story/russia-pakistan-2012': log.length });
    expect(await readModels.get(visitsKey('russia-pakistan-2012'))).toBeDefined();
  });
});
