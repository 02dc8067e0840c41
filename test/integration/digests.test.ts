import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventOf, RecordedEvent } from '../../events/catalog/events';
import type { DigestContent } from '../../events/digest/compose';
import { digestFeedKey, type FeedModel } from '../../events/projections';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { digestStreamId, storyStreamId } from '../../events/streams';
import { createOutboxMailer } from '../../functions/adapters/mailer';
import { digestEventId, publishDigest, type DigestDependencies } from '../../functions/digests';
import { renderCurrent, type RenderedFeed } from '../../functions/feed-publication';
import { createProjector } from '../../functions/projector';
import { createStoryService } from '../../functions/story-service';
import { startScheduler } from '../../infra/local/scheduler';
import { seed } from '../../infra/local/seed';
import { digestSchedules, digestSchedulesIn } from '../../contracts/schedules';
import { entryPath } from '../../functions/links';
import { freshStores } from '../support/dynamodb';
import { parseWithFeedparser } from '../support/feedparser';
import { parseXml, xmlProblems } from '../support/feed-fixtures';

const storyId = seedStory.storyId;
const WEEK_END = '2012-10-08T06:00:00.000Z';
const NEXT_WEEK_END = '2012-10-15T06:00:00.000Z';
const pledge = seedStory.events.find((e) => e.type === 'AssistancePledged' && e.data.pledgeId === 'pakistan-steel-mills-modernization')!;
const tarbela = seedStory.events.find((e) => e.type === 'InterestExpressed' && e.data.project.includes('Tarbela'))!;

/**
 * A world of its own for each test (fresh tables, the seed story appended and projected, an empty
 * outbox), so that no test depends on what another one published, or on the order they run in.
 */
const openWorld = async () => {
  const { tables, events, readModels } = await freshStores({ generationCacheMs: 0 });
  const stories = createStoryService(events);
  const projector = createProjector(events, readModels);
  const outbox = mkdtempSync(join(tmpdir(), 'storyline-outbox-'));
  await seed(stories);
  await projector.project(await events.readStream(storyStreamId(storyId)));
  return {
    events,
    readModels,
    stories,
    projector,
    outbox,
    /** The digest function's dependencies, with its clock at `now`. */
    deps: (now: string): DigestDependencies => ({ events, readModels, mailer: createOutboxMailer(outbox), now: () => new Date(now), publicBaseUrl: 'https://news.example.org' }),
    digestsOf: async (period: string) => (await events.readStream(digestStreamId(period))) as RecordedEvent<EventOf<'DigestPublished'>>[],
    emlFiles: () => readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort(),
    eml: (name: string) => readFileSync(join(outbox, name), 'utf8'),
    async close() {
      await tables.drop();
      rmSync(outbox, { recursive: true, force: true });
    },
  };
};
type World = Awaited<ReturnType<typeof openWorld>>;
const inWorld = (test: (world: World) => Promise<void>) => async () => {
  const world = await openWorld();
  try {
    await test(world);
  } finally {
    await world.close();
  }
};

/** The first weekly digest, fired on time. */
const publishFirstWeek = (world: World) => publishDigest(world.deps('2012-10-08T06:00:20Z'), 'weekly', '2012-10-08T06:00:00Z');

/** A correction and a retraction reported in the second week, projected. */
const correctAndRetract = async (world: World) => {
  const appended = await world.stories.append({
    storyId,
    events: [
      { type: 'DevelopmentCorrected', data: { eventId: pledge.id, changes: { confidence: 'confirmed' }, note: 'The ministry confirmed the pledge.' }, reportedAt: '2012-10-10T12:00:00Z' },
      { type: 'DevelopmentRetracted', data: { eventId: tarbela.id, reason: 'The ministry denied any interest in Tarbela-4.' }, reportedAt: '2012-10-11T09:00:00Z' },
    ],
    subject: 'test-editor',
    correlationId: 'digest-test',
  });
  await world.projector.project(await world.events.readStream(storyStreamId(storyId)));
  return appended.events;
};

const body = (eml: string, type: 'plain' | 'html') =>
  Buffer.from(eml.split(`Content-Type: text/${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n`)[1]?.split('\r\n--')[0] ?? '', 'base64').toString('utf8');

describe('the weekly digest of the seed story, fired at 2012-10-08T06:00:00Z', () => {
  it('publishes one DigestPublished with the week’s 28 developments, and writes one .eml', inWorld(async (world) => {
    const outcome = await publishFirstWeek(world);
    expect(outcome).toEqual({ status: 'published', digestId: 'weekly-2012-10-08t06-00-00z', version: 1, counts: { stories: 1, developments: 28, reportedEarlier: 0, corrections: 0, retractions: 0 } });

    const published = await world.digestsOf('weekly');
    expect(published).toHaveLength(1);
    const [digest] = published;
    expect(digest).toMatchObject({ id: digestEventId('weekly', WEEK_END), type: 'DigestPublished', streamId: 'digest/weekly', version: 1, reportedAt: WEEK_END });
    expect(digest?.data.window).toEqual({ start: '2012-10-01T06:00:00.000Z', end: WEEK_END, timezone: 'UTC' });
    expect(digest?.data.developments).toHaveLength(28);
    expect(new Set(digest?.data.developments.map((d) => d.storyId))).toEqual(new Set([storyId]));
    expect(digest?.data.content).toMatchObject({ title: expect.stringContaining('Weekly digest to 2012-10-08'), counts: { developments: 28 } });

    expect(world.emlFiles()).toEqual(['weekly-2012-10-08t06-00-00z.eml']);
    const eml = world.eml('weekly-2012-10-08t06-00-00z.eml');
    expect(eml).toContain('Message-ID: <weekly-2012-10-08t06-00-00z@storyline>');
    expect(eml).toContain('Content-Type: multipart/alternative;');
    const text = body(eml, 'plain');
    expect(text).toContain('Lavrov');
    expect(text).toContain('Subscribe: https://news.example.org/digests/weekly/feed.rss');
  }));

  it('makes nothing more when the schedule fires again, late, or is retried', inWorld(async (world) => {
    expect((await publishFirstWeek(world)).status).toBe('published');
    const eml = world.eml('weekly-2012-10-08t06-00-00z.eml');
    for (const now of ['2012-10-08T06:00:40Z', '2012-10-08T11:00:00Z', '2012-10-09T06:00:00Z', new Date().toISOString()]) {
      expect(await publishDigest(world.deps(now), 'weekly', '2012-10-08T06:00:00Z')).toEqual({ status: 'already-published', digestId: 'weekly-2012-10-08t06-00-00z' });
    }
    // the same instant written another way is the same window
    expect((await publishDigest(world.deps('2012-10-08T07:00:00Z'), 'weekly', '2012-10-08T08:00:00+02:00')).status).toBe('already-published');
    expect(await world.digestsOf('weekly')).toHaveLength(1);
    expect(world.emlFiles()).toEqual(['weekly-2012-10-08t06-00-00z.eml']);
    expect(world.eml('weekly-2012-10-08t06-00-00z.eml')).toBe(eml);
  }));

  it('makes one digest when firings race', inWorld(async (world) => {
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => publishDigest(world.deps('2012-10-08T06:00:30Z'), 'daily', '2012-10-08T06:00:00Z')));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already-published', 'already-published', 'already-published', 'published']);
    const daily = await world.digestsOf('daily');
    expect(daily).toHaveLength(1);
    expect(daily[0]?.data.window).toEqual({ start: '2012-10-07T06:00:00.000Z', end: WEEK_END, timezone: 'UTC' });
    expect(world.emlFiles()).toEqual(['daily-2012-10-08t06-00-00z.eml']);
  }));

  it('publishes nothing for an empty window, and writes no .eml', inWorld(async (world) => {
    expect(await publishDigest(world.deps('2012-10-01T06:01:00Z'), 'weekly', '2012-10-01T06:00:00Z')).toEqual({
      status: 'empty',
      digestId: 'weekly-2012-10-01t06-00-00z',
      window: { start: '2012-09-24T06:00:00.000Z', end: '2012-10-01T06:00:00.000Z', timezone: 'UTC' },
    });
    expect((await publishDigest(world.deps('2012-10-09T06:01:00Z'), 'daily', '2012-10-09T06:00:00Z')).status).toBe('empty');
    expect(await world.digestsOf('weekly')).toEqual([]);
    expect(await world.digestsOf('daily')).toEqual([]);
    expect(world.emlFiles()).toEqual([]);
  }));

  it('refuses a firing for an unknown period or in the future, and publishes nothing', inWorld(async (world) => {
    await expect(publishDigest(world.deps('2012-10-08T06:00:00Z'), 'hourly', '2012-10-08T06:00:00Z')).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(publishDigest(world.deps('2012-10-08T06:00:00Z'), 'weekly', 'next monday')).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(publishDigest(world.deps('2012-10-08T06:00:00Z'), 'weekly', NEXT_WEEK_END)).rejects.toMatchObject({ name: 'ValidationError' });
    expect(await world.digestsOf('weekly')).toEqual([]);
    expect(world.emlFiles()).toEqual([]);
  }));
});

describe('a digest whose e-mail fails', () => {
  it('sends the e-mail before publishing: a failed send publishes nothing, and the retried firing sends and publishes once', inWorld(async (world) => {
    const sent: string[] = [];
    let failures = 1;
    const flaky = {
      describe: 'a mail server that fails once',
      send(message: { messageId: string }) {
        if (failures-- > 0) return Promise.reject(Object.assign(new Error('451 try again later'), { name: 'TooManyRequestsException' }));
        sent.push(message.messageId);
        return Promise.resolve();
      },
    };
    const firing = () => publishDigest({ ...world.deps('2012-10-08T06:00:10Z'), mailer: flaky }, 'weekly', WEEK_END);

    await expect(firing()).rejects.toThrow('451 try again later');
    expect(await world.digestsOf('weekly')).toHaveLength(0);
    expect((await firing()).status).toBe('published');
    expect(sent).toEqual(['weekly-2012-10-08t06-00-00z@storyline']);
    expect((await firing()).status).toBe('already-published');
    expect(sent).toHaveLength(1);
    expect(await world.digestsOf('weekly')).toHaveLength(1);
  }));
});

describe('the weekly digest after a correction and a retraction', () => {
  it('lists them in its changes section, and repeats none of the developments the first digest carried', inWorld(async (world) => {
    expect((await publishFirstWeek(world)).status).toBe('published');
    const [correction, retraction] = await correctAndRetract(world);

    const outcome = await publishDigest(world.deps('2012-10-15T06:00:05Z'), 'weekly', '2012-10-15T06:00:00Z');
    expect(outcome).toEqual({ status: 'published', digestId: 'weekly-2012-10-15t06-00-00z', version: 2, counts: { stories: 0, developments: 0, reportedEarlier: 0, corrections: 1, retractions: 1 } });
    const [, second] = await world.digestsOf('weekly');
    expect(second?.data.developments).toEqual([]);
    expect(second?.data.corrections).toEqual([
      { storyId, eventId: correction?.id, correctedEventId: pledge.id },
      { storyId, eventId: retraction?.id, correctedEventId: tarbela.id },
    ]);
    const content = second?.data.content as DigestContent | undefined;
    expect(content?.changes.map((c) => [c.kind, c.note])).toEqual([
      ['correction', 'The ministry confirmed the pledge.'],
      ['retraction', 'The ministry denied any interest in Tarbela-4.'],
    ]);
    expect(world.emlFiles()).toEqual(['weekly-2012-10-08t06-00-00z.eml', 'weekly-2012-10-15t06-00-00z.eml']);
    const html = body(world.eml('weekly-2012-10-15t06-00-00z.eml'), 'html');
    expect(html).toContain('Corrections and retractions');
    expect(html).toContain('The ministry confirmed the pledge.');
  }));
});

describe('the digest feeds', () => {
  // built once for the read-only tests below: two weekly digests (the second after a correction and a retraction) and one daily
  let world: World;
  let feed: FeedModel;
  let rendered: RenderedFeed;
  beforeAll(async () => {
    world = await openWorld();
    await publishFirstWeek(world);
    await publishDigest(world.deps('2012-10-08T06:00:30Z'), 'daily', '2012-10-08T06:00:00Z');
    await correctAndRetract(world);
    await publishDigest(world.deps('2012-10-15T06:00:05Z'), 'weekly', '2012-10-15T06:00:00Z');
    await world.projector.project([...(await world.digestsOf('weekly')), ...(await world.digestsOf('daily'))]);
    const stored = await world.readModels.get<FeedModel>(digestFeedKey('weekly'));
    if (!stored) throw new Error('the weekly digest feed was not projected');
    feed = stored.value;
    rendered = renderCurrent(feed, new Date());
  });
  afterAll(() => world.close());

  it('hold each digest as one item, newest first, identified by its event id', async () => {
    const weekly = await world.digestsOf('weekly');
    expect(feed.entries.map((e) => [e.id, e.kind, entryPath(e), e.published])).toEqual([
      [weekly[1]?.id, 'digest', '/digests/weekly/weekly-2012-10-15t06-00-00z', NEXT_WEEK_END],
      [weekly[0]?.id, 'digest', '/digests/weekly/weekly-2012-10-08t06-00-00z', WEEK_END],
    ]);
    expect(feed.entries[1]?.title).toBe(weekly[0]?.data.content.title);
    expect((await world.readModels.get<FeedModel>(digestFeedKey('daily')))?.value.entries).toHaveLength(1);
  });

  it('render as RSS and Atom that parse strictly, and that feedparser reads without complaint', async () => {
    for (const format of ['rss', 'atom'] as const) {
      const body = rendered.bodies[format].body;
      expect({ format, problems: xmlProblems(body) }).toEqual({ format, problems: undefined });
      const parsed = await parseWithFeedparser(body);
      expect({ format, bozo: parsed.bozo, exception: parsed.bozo_exception }).toEqual({ format, bozo: false, exception: null });
      expect(parsed.version).toBe(format === 'rss' ? 'rss20' : 'atom10');
      expect(parsed.entries.map((e) => e.title)).toEqual(feed.entries.map((e) => e.title));
      const html = parsed.entries[1]?.content[0]?.value ?? parsed.entries[1]?.summary ?? '';
      expect(html).toContain('Lavrov');
      expect(html).not.toMatch(/<script/i);
      expect(parsed.entries[0]?.published_parsed ?? parsed.entries[0]?.updated_parsed).toBe('2012-10-15T06:00:00Z');
    }
    expect(parseXml(rendered.bodies.rss.body).rss.channel.item).toHaveLength(2);
  });

  it('render as a JSON Feed 1.1 with HTML content', () => {
    const json = JSON.parse(rendered.bodies.json.body) as { version: string; title: string; items: { id: string; title: string; content_html: string; date_published: string }[] };
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.title).toBe('Storyline weekly digest');
    expect(json.items.map((i) => [i.id, i.title, i.date_published])).toEqual(feed.entries.map((e) => [`urn:uuid:${e.id}`, e.title, expect.stringMatching(/^2012-10-(15|08)T06:00:00/)]));
    expect(json.items[1]?.content_html).toContain('Lavrov');
    expect(json.items[0]?.content_html).toContain('Corrections and retractions');
  });
});

describe('the local scheduler', () => {
  const weekly = digestSchedules.find((s) => s.period === 'weekly')!;
  const firing = Date.parse(WEEK_END);
  let deadLetterDir: string;
  beforeEach(() => {
    jest.useFakeTimers();
    deadLetterDir = mkdtempSync(join(tmpdir(), 'storyline-dead-letter-'));
  });
  afterEach(() => {
    jest.useRealTimers();
    rmSync(deadLetterDir, { recursive: true, force: true });
  });

  it('fires at the scheduled time by its clock, and retries a failed firing until it succeeds', async () => {
    let clock = firing - 60_000;
    const calls: unknown[] = [];
    const lines: string[] = [];
    const scheduler = startScheduler({
      schedules: [weekly],
      deadLetterDir,
      now: () => clock,
      log: (line) => lines.push(line),
      target: (input) => {
        calls.push(input);
        if (calls.length === 1) return Promise.reject(new Error('throttled'));
        return Promise.resolve('published');
      },
    });
    try {
      expect(scheduler.next()).toEqual([{ period: 'weekly', at: WEEK_END }]);
      // the timer runs out while the clock still reads before the firing: nothing fires yet
      await jest.advanceTimersByTimeAsync(60_000);
      expect(calls).toEqual([]);
      clock = firing;
      await jest.advanceTimersByTimeAsync(60_000);
      expect(calls).toEqual([{ period: 'weekly', scheduledTime: WEEK_END, timezone: 'UTC' }]);
      expect(lines).toEqual([expect.stringContaining('weekly digest firing failed (attempt 1): throttled')]);
      // the retry waits for its backoff, and carries the same scheduled time
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      expect(calls).toEqual([
        { period: 'weekly', scheduledTime: WEEK_END, timezone: 'UTC' },
        { period: 'weekly', scheduledTime: WEEK_END, timezone: 'UTC' },
      ]);
      expect(existsSync(deadLetterDir) ? readdirSync(deadLetterDir) : []).toEqual([]);
      expect(scheduler.next()).toEqual([{ period: 'weekly', at: NEXT_WEEK_END }]);
    } finally {
      scheduler.stop();
    }
  });

  it('fires in the zone the timezone setting names, and tells the target that zone', async () => {
    // 06:00 in London on Sunday 28 October 2012, the day summer time ends, is 06:00 UTC (the day before, 05:00 UTC)
    let clock = Date.parse('2012-10-27T12:00:00Z');
    const calls: unknown[] = [];
    const daily = digestSchedulesIn('Europe/London').filter((s) => s.period === 'daily');
    const scheduler = startScheduler({ schedules: daily, deadLetterDir, now: () => clock, target: (input) => Promise.resolve(calls.push(input)) });
    try {
      expect(scheduler.next()).toEqual([{ period: 'daily', at: '2012-10-28T06:00:00.000Z' }]);
      clock = Date.parse('2012-10-28T06:00:00Z');
      await jest.advanceTimersByTimeAsync(24 * 3_600_000);
      expect(calls).toEqual([{ period: 'daily', scheduledTime: '2012-10-28T06:00:00.000Z', timezone: 'Europe/London' }]);
    } finally {
      scheduler.stop();
    }
  });

  it('dead-letters a firing once its retries are exhausted', async () => {
    let clock = firing - 1000;
    let calls = 0;
    const scheduler = startScheduler({
      schedules: [weekly],
      deadLetterDir,
      maxRetries: 2,
      now: () => clock,
      target: () => {
        calls++;
        return Promise.reject(new Error('table not found'));
      },
    });
    try {
      clock = firing;
      await jest.advanceTimersByTimeAsync(1000);
      expect(calls).toBe(1);
      expect(readdirSync(deadLetterDir)).toEqual([]);
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      expect(calls).toBe(3);
      const files = readdirSync(deadLetterDir);
      expect(files).toEqual(['schedule-weekly-2012-10-08T06-00-00-000Z.json']);
      expect(JSON.parse(readFileSync(join(deadLetterDir, files[0] ?? ''), 'utf8'))).toEqual({ input: { period: 'weekly', scheduledTime: WEEK_END, timezone: 'UTC' }, reason: 'retries exhausted' });
      expect(scheduler.next()).toEqual([{ period: 'weekly', at: NEXT_WEEK_END }]);
    } finally {
      scheduler.stop();
    }
  });
});
