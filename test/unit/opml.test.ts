import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { foldAll } from '../../events/projections/fold';
import { feedDirectory } from '../../events/projections/feed-directory';
import { digestFeedKey, parseFeedKey, STORIES_KEY, timelineKey } from '../../events/projections/keys';
import type { StoriesModel } from '../../events/projections/stories';
import type { TimelineModel } from '../../events/projections/timeline';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { renderOpml } from '../../functions/render/opml';
import { digestEvent, seedEvents } from '../support/projection-fixtures';

/** One OPML document lists every feed the projector makes, once, in one format. */

const BASE = 'http://127.0.0.1:3000';
const docs = foldAll([...seedEvents(), digestEvent('daily', 1)]);
const directory = feedDirectory(docs.get(STORIES_KEY) as StoriesModel, [docs.get(timelineKey(seedStory.storyId)) as TimelineModel], ['daily']);
const opml = renderOpml(directory, BASE, '2024-01-01T00:00:00.000Z');

interface Outline {
  '@_text': string;
  '@_title'?: string;
  '@_type'?: string;
  '@_xmlUrl'?: string;
  '@_htmlUrl'?: string;
  outline?: Outline[];
}
const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'outline' }).parse(opml) as { opml: { '@_version': string; body: { outline: Outline[] } } };
const feeds = parsed.opml.body.outline.flatMap((group) => group.outline ?? []);

describe('the OPML document of every feed', () => {
  it('is strictly well-formed OPML 2.0', () => {
    expect(XMLValidator.validate(opml)).toBe(true);
    expect(parsed.opml['@_version']).toBe('2.0');
    expect(parsed.opml.body.outline.map((group) => group['@_text'])).toEqual(['Stories', 'Topics', 'Actors', 'Digests']);
  });

  it('lists each feed the projector made exactly once, in one format, with a title, xmlUrl and htmlUrl', () => {
    const made = [...docs.keys()].filter((key) => parseFeedKey(key) !== undefined);
    const listed = feeds.map((feed) => feed['@_xmlUrl']);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toHaveLength(made.length);
    expect(listed).toContain(`${BASE}/feed.rss`);
    expect(listed).toContain(`${BASE}/stories/${seedStory.storyId}/feed.rss`);
    expect(listed).toContain(`${BASE}/topics/steel/feed.rss`);
    expect(listed).toContain(`${BASE}/actors/kayani/feed.rss`);
    expect(listed).toContain(`${BASE}/digests/daily/feed.rss`);
    expect(made).toContain(digestFeedKey('daily'));
    for (const feed of feeds) {
      expect(feed).toMatchObject({ '@_type': 'rss', '@_text': expect.any(String), '@_title': expect.any(String), '@_htmlUrl': expect.stringMatching(/^http:\/\/127\.0\.0\.1:3000\//) });
      expect(feed['@_xmlUrl']).toMatch(/\.rss$/);
    }
    expect(feeds.find((feed) => feed['@_xmlUrl']?.endsWith('/actors/kayani/feed.rss'))?.['@_title']).toBe('Storyline: Ashfaq Kayani');
  });

  it('subscribes newsboat to every feed with one import (newsboat -i)', () => {
    const home = mkdtempSync(join(tmpdir(), 'storyline-newsboat-'));
    try {
      const file = join(home, 'storyline.opml');
      writeFileSync(file, opml);
      const urls = join(home, 'urls');
      // its own HOME, urls file, cache and config: nothing of the machine's newsboat is read or written
      const run = spawnSync('newsboat', ['-u', urls, '-c', join(home, 'cache.db'), '-C', join(home, 'config'), '-i', file], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' },
        timeout: 30_000,
      });
      if (run.error) throw new Error(`newsboat could not run (install it: apt-get install -y newsboat; .ci/run does): ${run.error.message}`);
      expect(run.status).toBe(0);
      const subscribed = readFileSync(urls, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => line.split(' ')[0]);
      expect([...subscribed].sort()).toEqual(feeds.map((feed) => feed['@_xmlUrl']).sort());
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
