import type { ActorModel, AgreementsModel, FeedModel, StoriesModel, StoryActorsModel, TimelineModel, VisitsModel } from '../../events/projections';
import { actorKey, agreementsKey, STORIES_KEY, storyActorsKey, timelineKey, topicFeedKey, visitsKey } from '../../events/projections';
import { prefersHtml } from '../../functions/http/negotiation';
import type { FeedEntry } from '../../events/feeds/feed-document';
import { developmentPath, entryPath, feedPagePath } from '../../functions/links';
import { formatDateSpan, spanDateTime } from '../../functions/render/human-dates';
import { renderActorPage } from '../../functions/render/pages/actor';
import { digestPageContent, renderDigestPage } from '../../functions/render/pages/digest';
import { renderHomePage } from '../../functions/render/pages/home';
import { developmentAt, renderDevelopmentPage } from '../../functions/render/pages/permalink';
import { renderStoryPage } from '../../functions/render/pages/story';
import { renderTopicPage } from '../../functions/render/pages/topic';
import { archivePageCount, STORY_PAGE_SIZE, storyPageOf, storyPageSpan } from '../../functions/render/pages/story-pagination';
import { longStory } from '../support/long-story';
import { dev, fold, StoryLog, summitStory } from '../support/projection-fixtures';

/** The page renderers: pure functions from read models to HTML. */

const storyOf = (events: ReturnType<typeof summitStory>['events']) => {
  const doc = fold(events);
  const id = 'summit';
  return {
    timeline: doc<TimelineModel>(timelineKey(id)),
    visits: doc<VisitsModel>(visitsKey(id)),
    agreements: doc<AgreementsModel>(agreementsKey(id)),
    actors: doc<StoryActorsModel>(storyActorsKey(id)),
    doc,
  };
};

/** Every JSON-LD block of a page, parsed. */
const structuredData = (html: string): unknown[] =>
  [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1] ?? 'null'));

/** What must never be in a page: script other than JSON-LD data, event handlers, script URLs. */
const expectNoActiveContent = (html: string) => {
  const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
  expect(scripts.every((tag) => tag === '<script type="application/ld+json">')).toBe(true);
  const tags = html.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, '').match(/<[a-z][^>]*>/gi) ?? [];
  // every attribute we write is double-quoted: read them as the browser will
  const attributes = tags.flatMap((tag) => [...tag.matchAll(/\s([a-z-]+)(?:="([^"]*)")?/gi)].map((m) => ({ name: m[1]!.toLowerCase(), value: m[2] ?? '' })));
  expect(attributes.filter((a) => a.name.startsWith('on') || /^\s*javascript:/i.test(a.value))).toEqual([]);
  expect(html).not.toMatch(/<(img|iframe|object|embed|svg|b)\b/i);
};

describe('human dates', () => {
  it.each([
    [{ start: '2012-10-04', precision: 'day' }, '4 October 2012', '2012-10-04'],
    [{ start: '2012-10', precision: 'month' }, 'October 2012', '2012-10'],
    [{ start: '2012', precision: 'year' }, '2012', '2012'],
    [{ start: '2012-09', end: '2012-10', precision: 'month' }, 'September–October 2012', undefined],
    [{ start: '2012-10-02', end: '2012-10-03', precision: 'day' }, '2–3 October 2012', undefined],
    [{ start: '2012', end: '2013', precision: 'year' }, '2012–2013', undefined],
  ] as const)('%j reads "%s", datetime %s', (span, text, datetime) => {
    expect(formatDateSpan(span)).toBe(text);
    expect(spanDateTime(span)).toBe(datetime);
  });
});

describe('the story page', () => {
  const summit = summitStory();
  const story = storyOf(summit.events);
  const html = renderStoryPage(story);

  it('is one HTML document in English with the story title as its heading, and its feeds discoverable and visible', () => {
    expect(html.startsWith('<!DOCTYPE html><html lang="en">')).toBe(true);
    expect(html.match(/<main>/g)).toHaveLength(1);
    expect(html).toContain('<h1>The summit story</h1>');
    for (const [type, ext] of [['application/rss+xml', 'rss'], ['application/atom+xml', 'atom'], ['application/feed+json', 'json']]) {
      expect(html).toContain(`<link rel="alternate" type="${type}" title="The summit story (`);
      expect(html).toContain(`href="/stories/summit/feed.${ext}"`);
    }
    expect(html).toMatch(/<p class="follow">.*RSS.*Atom.*JSON Feed/);
    expect(html).toContain('<link rel="stylesheet" href="/style.css">');
  });

  it('shows each date at the precision its event carries, with a datetime only that precise', () => {
    expect(html).toContain('<time datetime="2012-08">August 2012</time>');
    expect(html).toContain('<time datetime="2012-10-04">4 October 2012</time>');
    expect(html).toContain('<time datetime="2012">2012</time>');
    expect(html).toContain('<span class="date">2–3 October 2012</span>');
    expect(html).not.toMatch(/datetime="2012-08-01/);
  });

  it('lists the timeline in the order things happened', () => {
    const order = ['No progress on the pipeline', 'Putin to attend the summit in Islamabad', 'Gazprom wants the pipeline', 'Lavrov visits Islamabad'].map((h) => html.indexOf(h));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('shows a correction with its note and what it changed', () => {
    expect(html).toContain('Russia pledges $300-500 million for Pakistan Steel Mills');
    expect(html).toContain('The amount and who announced it were missing.');
    expect(html).toContain('Changed: headline (was “Russia pledges money for steel”)');
    const data = JSON.stringify(structuredData(html));
    expect(data).toContain('"@type":"CorrectionComment","text":"The amount and who announced it were missing."');
  });

  it('shows a retraction as withdrawn, with its reason', () => {
    const article = html.slice(html.indexOf(`id="${summit.interest.id}"`));
    expect(article).toMatch(/^[^]*?<span class="badge withdrawn-badge">Withdrawn<\/span>/);
    expect(article).toContain('The report was not confirmed.');
  });

  it('marks speculation and reported claims', () => {
    expect(html).toContain('<span class="badge reported">Reported, not independently confirmed</span>');
  });

  it("shows each visit with its history, and as a schema.org Event with the status it has", () => {
    expect(html).toContain('<span class="badge status-cancelled">Cancelled</span>');
    expect(html).toContain('<span class="badge status-took-place">Took place</span>');
    const visitSection = html.slice(html.indexOf('id="visits"'));
    for (const step of ['Visit planned', 'Visit rescheduled', 'Visit cancelled']) expect(visitSection).toContain(step);
    const graph = (structuredData(html)[0] as { '@graph': { '@type': string; eventStatus?: string; name?: string }[] })['@graph'];
    const events = graph.filter((node) => node['@type'] === 'Event');
    expect(events.map((e) => e.eventStatus)).toEqual(['https://schema.org/EventCancelled', 'https://schema.org/EventScheduled']);
  });

  it('a rescheduled visit is EventRescheduled with the previous start date; a planned one EventScheduled with no invented date', () => {
    const log = new StoryLog('visits').open();
    log.actor('putin', 'Vladimir Putin');
    log.record('VisitPlanned', { ...dev({ actors: ['putin'] }), visitId: 'v', visitors: ['putin'], destination: 'Islamabad', scheduled: { start: '2012-10', precision: 'month' } });
    const planned = structuredData(renderStoryPage({ timeline: fold(log.events)<TimelineModel>(timelineKey('visits')), visits: fold(log.events)<VisitsModel>(visitsKey('visits')) }));
    expect((planned[0] as { '@graph': object[] })['@graph'][1]).toEqual({
      '@type': 'Event',
      name: 'A development',
      eventStatus: 'https://schema.org/EventScheduled',
      startDate: '2012-10',
      location: { '@type': 'Place', name: 'Islamabad' },
      attendee: [{ '@type': 'Thing', name: 'Vladimir Putin' }],
    });
    log.record('VisitRescheduled', { ...dev(), visitId: 'v', scheduled: { start: '2012-11-05', precision: 'day' } });
    const moved = structuredData(renderStoryPage({ timeline: fold(log.events)<TimelineModel>(timelineKey('visits')), visits: fold(log.events)<VisitsModel>(visitsKey('visits')) }));
    expect((moved[0] as { '@graph': object[] })['@graph'][1]).toMatchObject({ eventStatus: 'https://schema.org/EventRescheduled', startDate: '2012-11-05', previousStartDate: '2012-10' });
  });

  it('lists the actors with their aliases and the agreements with their amounts', () => {
    expect(html).toContain('<a href="/actors/putin">Vladimir Putin</a>');
    expect(html).toContain('Also spelled: Putin');
    expect(html).toContain('USD 300,000,000–500,000,000');
  });

  it('an opened story with no developments says so', () => {
    const log = new StoryLog('empty').open();
    const page = renderStoryPage({ timeline: fold(log.events)<TimelineModel>(timelineKey('empty')) });
    expect(page).toContain('<h1>The empty story</h1>');
    expect(page).toContain('No developments have been reported in this story yet.');
    expect(page).not.toContain('id="visits"');
  });
});

describe('a long story, paginated like its feeds', () => {
  it('puts every development on exactly one page: the latest on the story page, the earlier on archive pages numbered from the first', () => {
    for (const total of [0, 1, 49, 50, 51, 99, 100, 101, 120, 300, 301]) {
      const pages = archivePageCount(total);
      expect(pages).toBe(Math.max(0, Math.ceil((total - STORY_PAGE_SIZE) / STORY_PAGE_SIZE)));
      const spans = [...Array.from({ length: pages }, (_, i) => i + 1), 0].map((page) => ({ page, ...storyPageSpan(total, page)! }));
      // in timeline order, back to back, the latest page last
      expect(spans.map((s) => [s.start, s.end]).flat()).toEqual([0, ...spans.slice(0, -1).flatMap((s) => [s.end, s.end]), total]);
      expect(spans.at(-1)).toEqual({ page: 0, start: Math.max(0, total - STORY_PAGE_SIZE), end: total });
      for (const { page, start, end } of spans) {
        expect(end - start).toBeLessThanOrEqual(STORY_PAGE_SIZE);
        for (let index = start; index < end; index++) expect(storyPageOf(index, total)).toBe(page);
      }
      expect(storyPageSpan(total, pages + 1)).toBeUndefined();
      expect(storyPageSpan(total, -1)).toBeUndefined();
    }
  });

  it('leaves a complete archive page as it is when the story grows at its end', () => {
    expect(storyPageSpan(150, 1)).toEqual({ start: 0, end: 50 });
    expect(storyPageSpan(151, 1)).toEqual({ start: 0, end: 50 });
    expect(storyPageSpan(151, 2)).toEqual({ start: 50, end: 100 });
    expect(storyPageSpan(151, 3)).toEqual({ start: 100, end: 101 });
  });

  const timeline = fold(longStory('long', 120).events)<TimelineModel>(timelineKey('long'));
  const pageOf = (page: number) => {
    const total = timeline.entries.length;
    const span = storyPageSpan(total, page)!;
    return renderStoryPage({ timeline: { ...timeline, entries: timeline.entries.slice(span.start, span.end) }, position: { page, archivePages: archivePageCount(total), total, first: span.start } });
  };
  const headlines = (html: string) => [...html.matchAll(/<h3><a href="[^"]+">Development (\d+)<\/a><\/h3>/g)].map((m) => Number(m[1]));
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('shows the latest developments on the story page, linking to the archive page before them (rel=prev) and to every page', () => {
    const html = pageOf(0);
    expect(headlines(html)).toEqual(range(71, 120));
    expect(html).toContain('<h1>The long story</h1>');
    expect(html).toContain('120 developments');
    expect(html).toContain('<link rel="prev" href="/stories/long/archive/2">');
    expect(html).not.toContain('rel="next"');
    expect(html).toContain('<a href="/stories/long/archive/2" rel="prev">Earlier developments</a>');
    expect(html).toContain('<li><a href="/stories/long/archive/1">1–50</a></li><li><a href="/stories/long/archive/2">51–70</a></li><li><span aria-current="page">71–120 (latest)</span></li>');
    expectNoActiveContent(html);
  });

  it('shows the earlier developments on archive pages, each linked to the pages before and after it', () => {
    const first = pageOf(1);
    expect(headlines(first)).toEqual(range(1, 50));
    expect(first).not.toContain('rel="prev"');
    expect(first).toContain('<link rel="next" href="/stories/long/archive/2">');
    expect(first).toContain('<title>The long story: developments 1–50 · Storyline</title>');
    const second = pageOf(2);
    expect(headlines(second)).toEqual(range(51, 70));
    expect(second).toContain('<link rel="prev" href="/stories/long/archive/1">');
    expect(second).toContain('<link rel="next" href="/stories/long">');
    expect(second).toContain('<a href="/stories/long" rel="next">Later developments</a>');
    expect(second).toContain('<link rel="alternate" type="application/rss+xml"');
    const graph = (structuredData(second)[0] as { '@graph': { hasPart?: unknown[] }[] })['@graph'];
    expect(graph[0]?.hasPart).toHaveLength(20);
    expectNoActiveContent(second);
  });

  it("a development's page links to the story page that shows it", () => {
    const old = renderDevelopmentPage(developmentAt(timeline, 10));
    expect(old).toContain(`<a href="/stories/long/archive/1#${timeline.entries[10]!.id}">The whole story: The long story</a>`);
    const recent = renderDevelopmentPage(developmentAt(timeline, 100));
    expect(recent).toContain(`<a href="/stories/long#${timeline.entries[100]!.id}">`);
  });

  it('a story that fits one page has no page links', () => {
    const html = renderStoryPage({ timeline: fold(longStory('short', 50).events)<TimelineModel>(timelineKey('short')) });
    expect(headlines(html)).toHaveLength(50);
    expect(html).not.toMatch(/rel="(prev|next)"|class="pages"/);
  });
});

describe('the development page', () => {
  const summit = summitStory();
  const { timeline, visits } = storyOf(summit.events);
  const pageOf = (id: string) => {
    const index = timeline.entries.findIndex((e) => e.id === id);
    return { index, html: renderDevelopmentPage(developmentAt(timeline, index, visits.visits.find((v) => v.eventIds.includes(id)))) };
  };
  const { index, html } = pageOf(summit.planned.id);

  it('has the headline as its heading, links back to its story and to the developments before and after it', () => {
    expect(html).toContain('<h1>Putin to attend the summit in Islamabad</h1>');
    expect(html).toContain('<a href="/stories/summit">The summit story</a>');
    expect(html).toContain(`href="${developmentPath('summit', timeline.entries[index - 1]!.id)}" rel="prev"`);
    expect(html).toContain(`href="${developmentPath('summit', timeline.entries[index + 1]!.id)}" rel="next"`);
  });

  it('carries the development as a NewsArticle and its visit as an Event that took place', () => {
    const graph = (structuredData(pageOf(summit.lavrov.id).html)[0] as { '@graph': Record<string, unknown>[] })['@graph'];
    expect(graph[0]).toMatchObject({ '@type': 'NewsArticle', headline: 'Lavrov visits Islamabad', isPartOf: { '@id': '/stories/summit' } });
    expect(graph[1]).toMatchObject({ '@type': 'Event', startDate: '2012-10-04', location: { name: 'Islamabad' } });
  });
});

describe('hostile text', () => {
  const HOSTILE = '</script><script>alert(1)</script> ]]> <img src=x onerror=alert(1)> \u202Eevil\u0007 javascript:alert(1) & "quotes"';
  const log = new StoryLog('hostile').open().actor('dawn', HOSTILE.slice(0, 200), [], 'outlet');
  log.record('CommentaryPublished', {
    ...dev({ headline: HOSTILE.slice(0, 300), summary: `${HOSTILE}\n\n${'x'.repeat(9000)}`, sources: [{ outlet: HOSTILE, quote: HOSTILE, url: 'https://ok.example.com/?a="b"&c=<d>' }] }),
    outlet: 'dawn',
    quote: HOSTILE,
  });
  const doc = fold(log.events);
  const timeline = doc<TimelineModel>(timelineKey('hostile'));
  const pages = [renderStoryPage({ timeline }), renderDevelopmentPage(developmentAt(timeline, 0))];

  it.each(pages.map((html, i) => [i, html]))('stays text on page %i: no script but JSON-LD data, no handler, no script URL', (_i, html) => {
    expectNoActiveContent(html);
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('\u0007');
    expect(html).toContain('href="https://ok.example.com/?a=%22b%22&amp;c=%3Cd%3E"');
  });

  it('survives in the JSON-LD as the same text', () => {
    const data = JSON.stringify(structuredData(pages[1]!));
    expect(data).toContain('</script><script>alert(1)</script>');
  });
});

describe('home, actor and topic pages', () => {
  const summit = summitStory();
  const { doc } = storyOf(summit.events);
  const stories = doc<StoriesModel>(STORIES_KEY);
  const titles = new Map(stories.stories.map((s) => [s.storyId, s.title]));

  it('the home page lists the stories with links to their pages and feeds', () => {
    const html = renderHomePage(stories.stories);
    expect(html).toContain('<a href="/stories/summit">The summit story</a>');
    expect(html).toContain('href="/feed.rss"');
    expect(html).toContain('href="/stories/summit/feed.atom"');
  });

  it('the home page links to the desk only in the variant for a signed-in editor', () => {
    expect(renderHomePage(stories.stories)).not.toContain('href="/desk"');
    expect(renderHomePage(stories.stories, { editor: true })).toContain('<a href="/desk">Desk</a>');
  });

  it('an actor page shows the aliases and its latest developments with their stories', () => {
    const html = renderActorPage(doc<ActorModel>(actorKey('putin')), titles);
    expect(html).toContain('<h1>Vladimir Putin</h1>');
    expect(html).toContain('Also spelled: Putin');
    expect(html).toContain(`href="/stories/summit/developments/${summit.cancelled.id}"`);
    expect(html).toContain('href="/actors/putin/feed.json"');
  });

  it('a topic page lists its developments, withdrawn ones marked', () => {
    const html = renderTopicPage('pipeline', doc<FeedModel>(topicFeedKey('pipeline')).entries, titles);
    expect(html).toContain('<h1>Topic: pipeline</h1>');
    expect(html).toMatch(/Gazprom wants the pipeline<\/a> <span class="badge withdrawn-badge">Withdrawn/);
  });
});

describe('a digest page', () => {
  const window = { start: '2012-10-01T06:00:00.000Z', end: '2012-10-02T06:00:00.000Z', timezone: 'UTC' };

  it('shows a digest whose content has only some of the composer’s fields (the schema promises a record), with its feed item’s title and summary', () => {
    const html = renderDigestPage('daily', digestPageContent({ sections: [] }, { title: 'Daily digest: 2012-10-01 to 2012-10-02', summary: '0 new developments, 0 corrections.' }, window));
    expect(html).toContain('<h1>Daily digest: 2012-10-01 to 2012-10-02</h1>');
    expect(html).toContain('0 new developments, 0 corrections.');
    expect(html).toContain('1 October 2012');
  });

  it('keeps what the composer wrote, and leaves out a window it does not know', () => {
    const html = renderDigestPage('daily', digestPageContent({ title: 'The daily digest', summary: 'Two stories moved.', stories: 'not a list' }, { title: 'fallback', summary: 'fallback' }));
    expect(html).toContain('<h1>The daily digest</h1>');
    expect(html).toContain('Two stories moved.');
    expect(html).not.toContain('fallback');
    expect(html).not.toContain('Developments reported from');
  });
});

describe('links and negotiation', () => {
  it('feed items link to the permalink page of the development they are about; channels to their page', () => {
    const entry = (fields: Partial<FeedEntry>) => ({ kind: 'development', storyId: 's', id: 'e1', ...fields }) as FeedEntry;
    expect(entryPath(entry({}))).toBe('/stories/s/developments/e1');
    expect(entryPath(entry({ kind: 'correction', id: 'c1', concerns: 'e1' }))).toBe('/stories/s/developments/e1');
    expect(feedPagePath({ kind: 'all' })).toBe('/');
    expect(feedPagePath({ kind: 'digest', period: 'daily' })).toBe('/digests/daily');
  });

  it.each([
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['text/html', true],
    ['*/*', false],
    [undefined, false],
    ['application/json', false],
    ['text/html;q=0.5, application/json', false],
    ['application/json;q=0.4, text/*', true],
  ])('Accept %s prefers HTML: %s', (accept, html) => {
    expect(prefersHtml(accept)).toBe(html);
  });
});
