import { BatchGetItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createEventStore, type EventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { createStoryService } from '../../functions/story-service';
import { timelineKey } from '../../events/projections';
import { commentary } from '../bench/append';
import { createRequestCounter } from '../bench/request-counter';
import { countedTables } from '../support/dynamodb';

/**
 * The projector reads its progress documents and the generation's item in one BatchGetItem
 * (`getManyCurrent`): no GetItem of the generation per batch, however long since the last, and a
 * batch that meets a switch made by a rebuild in another process reads and writes the new generation.
 */

const STORY = 'gen-probe';
const counter = createRequestCounter();
const suite = countedTables(counter);
let service: ReturnType<typeof createStoryService>;
let events: EventStore;
beforeAll(async () => {
  events = createEventStore(suite.client, suite.tables.names.events);
  service = createStoryService(events);
  await append([
    { type: 'StoryOpened', data: { storyId: STORY, title: 'Generation probe', summary: 'A story the projector follows across generations.', topics: ['probe'] } },
    { type: 'ActorIdentified', data: { actorId: 'bench-outlet', name: 'Bench Outlet', aliases: [], kind: 'outlet' } },
  ]);
});

const append = (events: unknown[]) => service.append({ storyId: STORY, events: events as never, subject: 'test', correlationId: 'test' });

describe('the generation, read with the progress documents', () => {
  it('costs no request of its own once known, even after the cache of it expired', async () => {
    const readModels = createReadModelStore(suite.client, suite.tables.names.readModels, { generationCacheMs: 0 });
    const projector = createProjector(events, readModels);
    await append([commentary(STORY, 1)]);
    await projector.project(await events.readStream(`story/${STORY}`));
    await append([commentary(STORY, 2)]);
    const log = await events.readStream(`story/${STORY}`);
    await counter.run('batch', () => projector.project(log.slice(-1)));
    const { requests } = counter.tally('batch');
    expect(requests).not.toHaveProperty(GetItemCommand.name);
    expect(requests[BatchGetItemCommand.name]).toBeGreaterThanOrEqual(1);
    expect((await readModels.get<{ version: number }>(timelineKey(STORY)))?.value.version).toBe(log.at(-1)?.version);
  });

  it('follows a switch made elsewhere: the batch reads and writes the generation switched to', async () => {
    const ours = createReadModelStore(suite.client, suite.tables.names.readModels, { generationCacheMs: 60_000 });
    const elsewhere = createReadModelStore(suite.client, suite.tables.names.readModels);
    const projector = createProjector(events, ours);
    const before = await ours.generation();
    // another process (a rebuild) switched readers to a fresh generation holding the story so far
    const next = before + 1;
    const log = await events.readStream(`story/${STORY}`);
    await createProjector(events, elsewhere).project(log, { generation: next });
    await elsewhere.switchGeneration(next);
    await append([commentary(STORY, 3)]);
    const last = (await events.readStream(`story/${STORY}`)).at(-1)!;
    // our cached generation is still the old one (60 s): the probe sees the switch
    expect(await ours.generation()).toBe(before);
    await projector.project([last]);
    expect(await ours.generation()).toBe(next);
    expect((await ours.get<{ version: number }>(timelineKey(STORY), next))?.value.version).toBe(last.version);
    expect((await ours.get<{ version: number }>(timelineKey(STORY), before))?.value.version).toBeLessThan(last.version);
  });
});
