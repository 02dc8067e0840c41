import { BatchGetItemCommand, GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { createStoryService } from '../../functions/story-service';
import { timelineKey } from '../../events/projections';
import { freshStores, type freshTables } from '../support/dynamodb';

/**
 * The projector reads its progress documents and the generation's item in one BatchGetItem
 * (`getManyCurrent`): no GetItem of the generation per batch, however long since the last, and a
 * batch that meets a switch made by a rebuild in another process reads and writes the new generation.
 */

const STORY = 'gen-probe';
let tables: Awaited<ReturnType<typeof freshTables>>;
let service: ReturnType<typeof createStoryService>;
let events: Awaited<ReturnType<typeof freshStores>>['events'];
beforeAll(async () => {
  const stores = await freshStores();
  ({ tables, events } = stores);
  service = createStoryService(events);
  await append([
    { type: 'StoryOpened', data: { storyId: STORY, title: 'Generation probe', summary: 'A story the projector follows across generations.', topics: ['probe'] } },
    { type: 'ActorIdentified', data: { actorId: 'probe-outlet', name: 'Probe Outlet', aliases: [], kind: 'outlet' } },
  ]);
});
afterAll(() => tables.drop());

const append = (events: unknown[]) => service.append({ storyId: STORY, events: events as never, subject: 'test', correlationId: 'test' });

/** The kinds of command a client sends while `run` runs. */
const commandsDuring = async (client: DynamoDBClient, run: () => Promise<unknown>): Promise<string[]> => {
  const sent: string[] = [];
  const send = client.send.bind(client) as (command: object) => Promise<unknown>;
  const spy = jest.spyOn(client, 'send').mockImplementation(((command: object) => {
    sent.push(command.constructor.name);
    return send(command);
  }) as never);
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return sent;
};

const development = (n: number) => ({
  type: 'CommentaryPublished',
  data: {
    outlet: 'probe-outlet',
    quote: `Quote ${n}.`,
    headline: `Development ${n}`,
    summary: `Development ${n} of the probe story.`,
    occurred: { start: '2026-11', precision: 'month' },
    actors: [],
    places: ['Islamabad'],
    topics: ['probe'],
    sources: [{ outlet: 'Probe Wire', quote: `Quote ${n}.` }],
    confidence: 'reported',
  },
});

describe('the generation, read with the progress documents', () => {
  it('costs no request of its own once known, even after the cache of it expired', async () => {
    const readModels = createReadModelStore(tables.client, tables.names.readModels, { generationCacheMs: 0 });
    const projector = createProjector(events, readModels);
    await append([development(1)]);
    await projector.project(await events.readStream(`story/${STORY}`));
    await append([development(2)]);
    const log = await events.readStream(`story/${STORY}`);
    const sent = await commandsDuring(tables.client, () => projector.project(log.slice(-1)));
    expect(sent).not.toContain(GetItemCommand.name);
    expect(sent.filter((kind) => kind === BatchGetItemCommand.name).length).toBeGreaterThanOrEqual(1);
    expect((await readModels.get<{ version: number }>(timelineKey(STORY)))?.value.version).toBe(log.at(-1)?.version);
  });

  it('follows a switch made elsewhere: the batch reads and writes the generation switched to', async () => {
    const ours = createReadModelStore(tables.client, tables.names.readModels, { generationCacheMs: 60_000 });
    const elsewhere = createReadModelStore(tables.client, tables.names.readModels);
    const projector = createProjector(events, ours);
    const before = await ours.generation();
    // another process (a rebuild) switched readers to a fresh generation holding the story so far
    const next = before + 1;
    const log = await events.readStream(`story/${STORY}`);
    await createProjector(events, elsewhere).project(log, { generation: next });
    await elsewhere.switchGeneration(next);
    await append([development(3)]);
    const last = (await events.readStream(`story/${STORY}`)).at(-1)!;
    // our cached generation is still the old one (60 s): the probe sees the switch
    expect(await ours.generation()).toBe(before);
    await projector.project([last]);
    expect(await ours.generation()).toBe(next);
    expect((await ours.get<{ version: number }>(timelineKey(STORY), next))?.value.version).toBe(last.version);
    expect((await ours.get<{ version: number }>(timelineKey(STORY), before))?.value.version).toBeLessThan(last.version);
  });
});
