import type { EventStore } from '../../functions/adapters/event-store';
import type { ReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { timelineKey, visitsKey, visitsProjection } from '../../events/projections';
import { createStoryService } from '../../functions/story-service';
import { seed } from '../../infra/local/seed';
import { freshStores, type freshTables } from '../support/dynamodb';
import { expectReadModelsToEqualFold } from '../support/faults-read-models';

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
  await expectReadModelsToEqualFold(readModels, log);
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

describe('an event a projection fails on (a bug: evolve throws)', () => {
  it('is passed over in the documents that projection would change, the same way as the fold does it; the events after it are projected', async () => {
    const own = await freshStores();
    const realEvolve = visitsProjection.evolve.bind(visitsProjection);
    let failOn: string | undefined;
    const spy = jest.spyOn(visitsProjection, 'evolve').mockImplementation((model, event, story) => {
      if (event.id === failOn) throw new TypeError("Cannot read properties of undefined (reading 'status')");
      return realEvolve(model, event, story);
    });
    try {
      await seed(createStoryService(own.events));
      const log = await own.events.readStream('story/russia-pakistan-2012');
      const cancelled = log.find((e) => e.type === 'VisitCancelled');
      failOn = cancelled?.id;
      const failures: string[] = [];
      const projector = createProjector(own.events, own.readModels, { onPassedOver: (event, projection) => failures.push(`${projection} ${event.id}`) });
      for (let i = 0; i < log.length; i += 9) await projector.project(log.slice(i, i + 9));

      await expectReadModelsToEqualFold(own.readModels, log);
      const stored = await own.readModels.getMany([visitsKey('russia-pakistan-2012'), timelineKey('russia-pakistan-2012')]);
      const visits = stored.get(visitsKey('russia-pakistan-2012'))?.value as { passedOver?: { id: string; reason: string }[]; applied: Record<string, number> };
      expect(visits.passedOver).toEqual([expect.objectContaining({ id: cancelled?.id, reason: expect.stringContaining('the visits projection failed on it') })]);
      expect(visits.applied['story/russia-pakistan-2012']).toBeGreaterThan(cancelled?.version ?? Infinity);
      // only that projection passed it over: the timeline has the cancellation
      const timeline = stored.get(timelineKey('russia-pakistan-2012'))?.value as { entries: { id: string }[]; passedOver?: unknown };
      expect(timeline.entries.map((e) => e.id)).toContain(cancelled?.id);
      expect(timeline.passedOver).toBeUndefined();
      expect(failures).toContain(`visits ${cancelled?.id}`);
    } finally {
      spy.mockRestore();
      await own.tables.drop();
    }
  });
});
