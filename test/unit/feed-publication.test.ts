import type { FeedModel } from '../../events/projections';
import type { FeedModelEntry } from '../../events/projections/feed-entries';
import { renderCurrent, renderPage } from '../../functions/feed-publication';
import { makeEntry, makeFeed } from '../support/feed-fixtures';

/**
 * Last-Modified of a served feed is when the feed changed. Items carry when they were reported,
 * which may be long before they were recorded (a story entered from an archive): a feed that
 * changes today must not say it last changed in 2012, or If-Modified-Since would get 304.
 */

const entry = (n: number, reported: string, recorded: string): FeedModelEntry => ({
  ...makeEntry({ published: reported, updated: reported }, n),
  recorded: { at: recorded, streamId: 'story/state-visit', version: n },
});

const model = (entries: FeedModelEntry[]): FeedModel => ({ ...makeFeed(entries), entries, applied: { 'story/state-visit': entries.length } });

const now = new Date('2026-05-04T12:00:00Z');

describe('Last-Modified of a rendered feed', () => {
  it("is the item's reported time when that is the latest change", () => {
    const feed = model([entry(1, '2026-05-04T10:00:00.000Z', '2026-05-04T10:00:00.000Z')]);
    expect(renderCurrent(feed, now).lastModified).toBe('2026-05-04T10:00:00.000Z');
  });

  it('is when a back-dated item was recorded, when that is later than every reported time', () => {
    const feed = model([entry(2, '2012-10-08T00:00:00.000Z', '2026-05-04T11:00:00.000Z'), entry(1, '2012-10-05T00:00:00.000Z', '2026-05-04T11:30:00.000Z')]);
    expect(renderCurrent(feed, now).lastModified).toBe('2026-05-04T11:30:00.000Z');
  });

  it('counts newer items for an archive page, whose content they shift', () => {
    const entries = Array.from({ length: 51 }, (_, i) => entry(51 - i, new Date(Date.parse('2012-10-08T00:00:00Z') - i * 60_000).toISOString(), '2026-05-04T11:00:00.000Z'));
    expect(renderPage(model(entries), 'rss', 1, now)?.lastModified).toBe('2026-05-04T11:00:00.000Z');
  });

  it("is when the story's title or summary was last revised, when that is later than every item", () => {
    const feed = { ...model([entry(1, '2026-05-04T10:00:00.000Z', '2026-05-04T10:00:00.000Z')]), retitledAt: '2026-05-04T11:45:00.000Z' };
    expect(renderCurrent(feed, now).lastModified).toBe('2026-05-04T11:45:00.000Z');
    expect(renderCurrent({ ...feed, retitledAt: '2026-05-04T09:00:00.000Z' }, now).lastModified).toBe('2026-05-04T10:00:00.000Z');
  });

  it('is never after now', () => {
    const feed = model([entry(1, '2026-05-04T12:00:30.000Z', '2026-05-04T11:59:59.000Z')]);
    expect(renderCurrent(feed, now).lastModified).toBe(now.toISOString());
  });
});
