import type { FeedDirectory, DirectoryFeed } from '../../events/projections';
import { cleanLabel, escapeXmlAttr, rfc822, xmlText } from './text';
import { feedPagePath, feedPath } from '../links';

/**
 * Every feed as one OPML 2.0 document (http://opml.org/spec2.opml), for a reader to subscribe to
 * all of them at once (`newsboat -i storyline.opml`). One format per feed (RSS, which every reader
 * takes), grouped by kind; readers that know groups (newsboat: tags) keep them.
 */

export const OPML_CONTENT_TYPE = 'text/x-opml; charset=utf-8';

const GROUPS: [keyof FeedDirectory, string][] = [
  ['stories', 'Stories'],
  ['topics', 'Topics'],
  ['actors', 'Actors'],
  ['digests', 'Digests'],
];

const outline = (feed: DirectoryFeed, baseUrl: string): string => {
  const title = escapeXmlAttr(cleanLabel(feed.title));
  return `<outline type="rss" version="RSS2" text="${title}" title="${title}" xmlUrl="${escapeXmlAttr(`${baseUrl}${feedPath(feed.feed, 'rss')}`)}" htmlUrl="${escapeXmlAttr(`${baseUrl}${feedPagePath(feed.feed)}`)}"/>`;
};

/** `changed`: when the list last changed (ISO instant), as dateModified. */
export const renderOpml = (directory: FeedDirectory, baseUrl: string, changed: string): string => {
  const groups = GROUPS.filter(([kind]) => directory[kind].length > 0).map(
    ([kind, label]) => `<outline text="${label}" title="${label}">${directory[kind].map((feed) => outline(feed, baseUrl)).join('')}</outline>`,
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<opml version="2.0"><head>',
    `<title>${xmlText('Storyline: every feed')}</title>`,
    `<dateModified>${rfc822(new Date(changed))}</dateModified>`,
    '<docs>http://opml.org/spec2.opml</docs>',
    `</head><body>${groups.join('')}</body></opml>\n`,
  ].join('');
};
