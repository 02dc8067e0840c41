import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '../../functions/adapters/event-store';
import type { ReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { actorKey, timelineKey, visitsKey, visitsProjection, type ActorModel, type TimelineModel } from '../../events/projections';
import { storyStreamId } from '../../events/streams';
import { commentary } from '../bench/append';
import { writeAppendedItems } from '../support/seed-events';
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

describe('stories read in part', () => {
  const metadata = { subject: 'test', correlationId: 'test' };
  const recordedAt = '2026-12-06T00:00:00.000Z';
  const development = (storyId: string, n: number, actors: string[] = []): NewEvent => {
    const { type, data } = commentary(storyId, n);
    return { id: randomUUID(), type, data: { ...data, actors } } as NewEvent;
  };

  // each on tables of its own: the fold of its story alone is what they hold
  let own: Awaited<ReturnType<typeof freshStores>>;
  beforeEach(async () => {
    own = await freshStores();
  });
  afterEach(() => own.tables.drop());

  it('a timeline stored without its totals (read models of shape 5) is read whole once, and gains them', async () => {
    const { events, readModels } = own;
    const storyId = `totals-${randomUUID().slice(0, 6)}`;
    const streamId = storyStreamId(storyId);
    const projector = createProjector(events, readModels);
    const opened: NewEvent = { id: randomUUID(), type: 'StoryOpened', data: { storyId, title: 'Totals', summary: 'Kept beside the entries.', topics: ['bench'] } };
    await writeAppendedItems(own.tables.client, own.tables.names.events, { streamId, events: [opened, ...Array.from({ length: 150 }, (_, i) => development(storyId, i))], metadata, recordedAt });
    await projector.project(await events.readStream(streamId));
    // the head written again as a projector before shape 6 wrote it: the same chunks, no totals
    const stored = (await readModels.get<TimelineModel>(timelineKey(storyId)))!;
    const { totals: _totals, ...withoutTotals } = stored.value;
    await readModels.put({ key: stored.key, value: withoutTotals, rev: stored.rev, previous: stored });
    expect((await readModels.get<Partial<TimelineModel>>(timelineKey(storyId)))?.value.totals).toBeUndefined();

    await events.append({ streamId, expectedVersion: 151, events: [development(storyId, 150)], metadata, recordedAt });
    const log = await events.readStream(streamId);
    await projector.project(log.slice(-1));
    expect((await readModels.get<TimelineModel>(timelineKey(storyId)))?.value.totals).toEqual({ developments: 151, actors: ['bench-outlet'] });
    await expectReadModelsToEqualFold(readModels, log);
  });

  it('an actor a batch involves and then corrects away is in the story all the same, as the fold has it', async () => {
    const { events, readModels } = own;
    const storyId = `in-out-${randomUUID().slice(0, 6)}`;
    const streamId = storyStreamId(storyId);
    const opened: NewEvent = { id: randomUUID(), type: 'StoryOpened', data: { storyId, title: 'In and out', summary: 'An actor named, then not.', topics: ['bench'] } };
    const named = development(storyId, 0, ['an-unnamed-envoy']);
    // appended to the table as they are (the decider would ask for the actor's identification first, which would name the story on its own)
    await events.append({ streamId, events: [opened, named, { id: randomUUID(), type: 'DevelopmentCorrected', data: { eventId: named.id, changes: { actors: [] }, note: 'Nobody.' } }], metadata, recordedAt });
    const log = await events.readStream(streamId);
    await createProjector(events, readModels).project(log);
    await expectReadModelsToEqualFold(readModels, log);
    expect((await readModels.get<ActorModel>(actorKey('an-unnamed-envoy')))?.value.stories).toEqual([storyId]);
  });
});
