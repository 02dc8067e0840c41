import { readModelsTable } from '../../contracts/tables';
import { createEventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createPageReader } from '../../functions/page-reader';
import { createPageSources } from '../../functions/page-sources';
import { createProjector } from '../../functions/projector';
import { freshTables } from '../support/dynamodb';
import { gatewayEvent, lambdaContext, type HttpLambda } from '../support/gateway-events';
import { longStory } from '../support/long-story';
import { eventually } from '../support/runtime';
import { scanItems } from '../support/suite-tables';

/**
 * The pages of a long story, rendered on read from what the projector stored (which holds no
 * page): the story's page shows its latest developments and leads, page by page, to archive pages
 * that together hold every development; the permalink of any development answers.
 */

const STORY = 'long';
const log = longStory(STORY, 300);
const developments = log.events.filter((e) => e.type === 'CommentaryPublished');

let tables: Awaited<ReturnType<typeof freshTables>>;
let project: (events: typeof log.events) => Promise<unknown>;
let pages: HttpLambda;
let readModels: ReturnType<typeof createReadModelStore>;

const ROUTES: [RegExp, string, string[]][] = [
  [/^\/stories\/([^/]+)$/, '/stories/{storyId}', ['storyId']],
  [/^\/stories\/([^/]+)\/archive\/([^/]+)$/, '/stories/{storyId}/archive/{page}', ['storyId', 'page']],
  [/^\/stories\/([^/]+)\/developments\/([^/]+)$/, '/stories/{storyId}/developments/{eventId}', ['storyId', 'eventId']],
];
/** A GET of one of the story's pages, as API Gateway hands it to the pages function. */
const get = async (path: string, headers: Record<string, string> = {}) => {
  const [pattern, route, names] = ROUTES.find(([p]) => p.test(path))!;
  const values = pattern.exec(path)!.slice(1);
  const pathParameters = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(values[i]!)]));
  return pages(gatewayEvent({ method: 'GET', route, path, pathParameters, headers: { accept: 'text/html', ...headers } }), lambdaContext());
};

/** The keys of every item stored in the read-model table. */
const storedKeys = async (): Promise<string[]> => (await scanItems(tables, tables.names.readModels)).map((item) => item[readModelsTable.partitionKey.name]?.S ?? '');
const pageItems = (keys: string[]) => keys.filter((key) => /^g\d+\/page/.test(key));

const headlines = (html: string): number[] => [...html.matchAll(/<h3><a href="[^"]+">Development (\d+)<\/a><\/h3>/g)].map((m) => Number(m[1]));
const relLink = (html: string, rel: 'prev' | 'next'): string | undefined => new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html)?.[1];

beforeAll(async () => {
  tables = await freshTables();
  readModels = createReadModelStore(tables.client, tables.names.readModels);
  const projector = createProjector(createEventStore(tables.client, tables.names.events), readModels);
  project = (events) => projector.project(events);
  process.env.READ_MODELS_TABLE = tables.names.readModels;
  await project(log.events);
  ({ handler: pages } = await import('../../functions/handlers/pages'));
}, 60_000);
afterAll(() => tables.drop());

describe('a story of 300 developments', () => {
  it('is projected without a page item: no page and no page index is stored', async () => {
    const keys = await storedKeys();
    expect(keys.some((key) => key.endsWith(`/story/${STORY}/timeline`))).toBe(true);
    expect(pageItems(keys)).toEqual([]);
  });

  it('shows its latest 50 developments on its page, and its archive pages, followed by rel=prev, hold every other one once', async () => {
    const first = await get(`/stories/${STORY}`);
    expect(first.statusCode).toBe(200);
    expect(headlines(first.body!)).toEqual(developments.slice(250).map((_, i) => 251 + i));
    expect(first.body).toContain('300 developments');
    const seen = [...headlines(first.body!)];
    const visited: string[] = [];
    let html = first.body!;
    for (let prev = relLink(html, 'prev'); prev !== undefined; prev = relLink(html, 'prev')) {
      visited.push(prev);
      const page = await get(prev);
      expect(page.statusCode).toBe(200);
      html = page.body!;
      seen.push(...headlines(html));
    }
    expect(visited).toEqual([5, 4, 3, 2, 1].map((n) => `/stories/${STORY}/archive/${n}`));
    expect(seen.sort((a, b) => a - b)).toEqual(developments.map((_, i) => i + 1));
    // and back, by rel=next, to the story's page
    expect(relLink(html, 'next')).toBe(`/stories/${STORY}/archive/2`);
    expect(relLink((await get(`/stories/${STORY}/archive/5`)).body!, 'next')).toBe(`/stories/${STORY}`);
  });

  it('answers the permalink of an old development, which leads to the archive page that shows it', async () => {
    const oldest = developments[0]!;
    const page = await get(`/stories/${STORY}/developments/${oldest.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Development 1</h1>');
    expect(page.body).toContain(`href="/stories/${STORY}/archive/1#${oldest.id}"`);
    expect(page.body).toContain(`href="/stories/${STORY}/developments/${developments[1]!.id}" rel="next"`);
    for (const development of [developments[49]!, developments[250]!, developments[299]!]) expect((await get(`/stories/${STORY}/developments/${development.id}`)).statusCode).toBe(200);
  });

  it('answers a conditional GET with 304, and a page that does not exist with the 404 page', async () => {
    const page = await get(`/stories/${STORY}/archive/3`);
    const again = await get(`/stories/${STORY}/archive/3`, { 'if-none-match': String(page.headers?.etag) });
    expect(again.statusCode).toBe(304);
    expect(page.headers?.['content-security-policy']).toContain("default-src 'none'");
    // the page changed when its story last did
    expect(page.headers?.['last-modified']).toBe(new Date(log.events.at(-1)!.recordedAt).toUTCString());
    for (const path of [`/stories/${STORY}/archive/6`, `/stories/${STORY}/archive/0`, `/stories/${STORY}/archive/x`, `/stories/${STORY}/developments/no-such-event`, '/stories/no-such-story/archive/1']) {
      expect({ path, status: (await get(path)).statusCode }).toEqual({ path, status: 404 });
    }
  });

  it('shows one more development within seconds, writing no page for it, and keeps complete archive pages as they were', async () => {
    const before = (await get(`/stories/${STORY}/archive/5`)).body;
    const more = longStory(STORY, 301).events.at(-1)!;
    await project([more]);
    expect(pageItems(await storedKeys())).toEqual([]);
    await eventually(async () => headlines((await get(`/stories/${STORY}`)).body!).includes(301), { timeoutMs: 10_000 });
    expect(headlines((await get(`/stories/${STORY}`)).body!)).toEqual(Array.from({ length: 50 }, (_, i) => 252 + i));
    expect(headlines((await get(`/stories/${STORY}/archive/6`)).body!)).toEqual([251]);
    expect(headlines((await get(`/stories/${STORY}/archive/5`)).body!)).toEqual(headlines(before!));
  });

  it('reads only the chunks of the timeline that hold what a page shows, and finds a permalink by its version', async () => {
    const read: number[] = [];
    const sources = createPageSources({
      ...readModels,
      getTimelineChunks: (head, indexes) => {
        const chunks = [...indexes];
        read.push(...chunks);
        return readModels.getTimelineChunks(head, chunks);
      },
    });
    const reading = async <T>(page: () => Promise<T>): Promise<T> => {
      read.length = 0;
      return page();
    };
    // development n is the story's version n + 2 (after its opening and an actor), in chunk ⌊(n + 1) / 100⌋
    const chunkOf = (n: number) => Math.floor((n + 1) / 100);
    const latest = await reading(() => sources.storyPage(STORY, 0));
    const total = latest!.position.total;
    expect(latest!.timeline.entries.map((e) => e.headline)).toEqual(Array.from({ length: 50 }, (_, i) => `Development ${total - 49 + i}`));
    expect(read).toEqual([...new Set([chunkOf(total - 49), chunkOf(total)])]);
    await reading(() => sources.storyPage(STORY, 1));
    expect(read).toEqual([0]);
    expect((await reading(() => sources.development(STORY, developments[120]!.id)))?.entry.headline).toBe('Development 121');
    expect(read).toEqual([chunkOf(121)]);
  });

  it('is rendered again only when the story changed: a refresh from the same version serves the page it rendered', async () => {
    let now = 0;
    const reader = createPageReader(createPageSources(readModels), { now: () => now });
    const page = { kind: 'story', storyId: STORY, page: 0 } as const;
    const first = await reader.read(page);
    now += 10_000;
    expect(await reader.read(page)).toBe(first);
    await project([longStory(STORY, 302).events.at(-1)!]);
    now += 10_000;
    const changed = await reader.read(page);
    expect(changed).not.toBe(first);
    expect(headlines(changed!.html)).toContain(302);
  });
});
