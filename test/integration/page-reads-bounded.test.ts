import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { readModelsTable } from '../../contracts/tables';
import { actorKey, STORIES_KEY, type ActorModel, type StoriesModel } from '../../events/projections';
import { createEventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createPageSources } from '../../functions/page-sources';
import { createProjector } from '../../functions/projector';
import { createRequestCounter, difference, totalRequests } from '../bench/request-counter';
import { countedTables } from '../support/dynamodb';
import { longStory } from '../support/long-story';
import { dev, StoryLog } from '../support/projection-fixtures';

/**
 * The home page and an actor's page read what they show, however long the site's and the actor's
 * history: the newest stories are a Query with a Limit on the list of stories (kept by when each
 * story last changed), an actor's latest developments a Query of its feed's newest items beside its
 * profile (its identifications alone). Counted with the request-counting middleware.
 */

const DEVELOPMENTS = 3000;
const STORIES = 120;
const SHOWN = 20;
const counter = createRequestCounter();
const suite = countedTables(counter);

/** The long story, where every development quotes the outlet `dawn`, and small stories, each with one later quote of it. */
const long = longStory('long', DEVELOPMENTS);
const small = Array.from({ length: STORIES }, (_, i) => {
  const log = new StoryLog(`small-${String(i).padStart(3, '0')}`, (i + 1) * 100_000).open().actor('dawn', 'Dawn', ['The Dawn'], 'outlet');
  log.record('CommentaryPublished', { ...dev({ headline: `Small ${i}` }), outlet: 'dawn', quote: `Small quote ${i}.` }, { recordedAt: DEVELOPMENTS + 10 + i });
  return log;
});

let sources: ReturnType<typeof createPageSources>;
let readModels: ReturnType<typeof createReadModelStore>;
beforeAll(async () => {
  readModels = createReadModelStore(suite.client, suite.tables.names.readModels);
  const projector = createProjector(createEventStore(suite.client, suite.tables.names.events), readModels);
  await projector.project(long.events);
  for (const log of small) await projector.project(log.events);
  sources = createPageSources(readModels);
}, 900_000); // thousands of items written: seconds alone, minutes beside the load tests on 2 cores

/** What `read` costs, in requests and read units. */
const counted = async <T>(label: string, read: () => Promise<T>) => {
  const before = counter.tally(label);
  const value = await counter.run(label, read);
  const used = difference(counter.tally(label), before);
  return { value, requests: totalRequests(used), queries: used.requests.QueryCommand ?? 0, readUnits: used.readUnits };
};

it(`an actor of ${DEVELOPMENTS + STORIES} developments: its page reads its profile and its latest ${SHOWN} in a few requests`, async () => {
  const page = await counted('actor page', () => sources.actor('dawn', SHOWN));
  const whole = await counted('whole actor', () => readModels.get<ActorModel>(actorKey('dawn')));

  const newest = [...small].reverse().map((log) => log.events.at(-1)?.id);
  expect(page.value?.developments.map((d) => d.eventId)).toEqual(newest.slice(0, SHOWN));
  expect(page.value).toMatchObject({ actorId: 'dawn', name: 'Dawn', aliases: ['The Dawn'], kind: 'outlet' });
  expect(page.value?.identifiedAt).toHaveLength(STORIES + 1);
  // the profile and one page of the feed's newest items (the feed's title item beside them)
  expect(page.requests).toBeLessThanOrEqual(4);
  // the whole document: every development, many times what the page reads (which its identifications
  // and the feed's titles, one per story, make up the most of)
  expect(whole.value?.value.developments).toHaveLength(DEVELOPMENTS + STORIES);
  expect(page.readUnits * 5).toBeLessThan(whole.readUnits);
});

it(`the home page of ${STORIES + 1} stories reads its newest ${SHOWN} with one Query`, async () => {
  const page = await counted('home page', () => sources.latestStories(SHOWN));
  const whole = await counted('whole list', () => readModels.get<StoriesModel>(STORIES_KEY));

  expect(whole.value?.value.stories).toHaveLength(STORIES + 1);
  expect(page.value).toEqual(whole.value?.value.stories.slice(0, SHOWN));
  expect(page.value.map((s) => s.storyId)).toEqual(small.slice(-SHOWN).reverse().map((log) => log.storyId));
  // one Query (and the generation pointer, when its cache has expired)
  expect(page.queries).toBe(1);
  expect(page.requests).toBeLessThanOrEqual(2);
});

it('a story that changes again leaves one entry in the list of stories, its newest', async () => {
  const story = small[0]!;
  const projector = createProjector(createEventStore(suite.client, suite.tables.names.events), readModels);
  story.record('CommentaryPublished', { ...dev({ headline: 'Small again' }), outlet: 'dawn', quote: 'Again.' }, { recordedAt: DEVELOPMENTS + 10 + STORIES });
  await projector.project(story.events.slice(-1));

  const latest = await sources.latestStories(SHOWN);
  expect(latest[0]).toMatchObject({ storyId: story.storyId, version: story.events.length });
  // stored: one item for the story, the one it replaced deleted
  const stored = await suite.client.send(
    new QueryCommand({
      TableName: suite.tables.names.readModels,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': readModelsTable.partitionKey.name },
      ExpressionAttributeValues: { ':pk': { S: `g${await readModels.generation()}/${STORIES_KEY}` } },
    }),
  );
  const items = (stored.Items ?? []).map((item) => JSON.parse(item.item?.S ?? '{}') as { story?: { storyId: string } });
  expect(items).toHaveLength(STORIES + 1);
  expect(items.filter((item) => item.story?.storyId === story.storyId)).toEqual([{ t: 'story', story: latest[0] }]);
});
