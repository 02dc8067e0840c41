/**
 * Atom 1.0 (RFC 4287) with RFC 5005 archive links. Built by hand from escaped text.
 */
import type { FeedLinks, LinkedFeed } from './linked-feed';
import { entryHtml } from './entry-html';
import { ATOM_NAMESPACE, FEED_AUTHOR, GENERATOR, HISTORY_NAMESPACE, feedId, feedUpdated, resolveEntry, resolveLinks } from './feed-meta';
import { cleanLabel, escapeXml, escapeXmlAttr, rfc3339, xmlAttr, xmlText } from './text';

function link(rel: string, href: string | undefined, type: string): string {
  return href === undefined ? '' : `<link rel="${rel}" type="${type}" href="${escapeXmlAttr(href)}"/>`;
}

const ATOM_TYPE = 'application/atom+xml';

export function renderAtom(feed: LinkedFeed, links: FeedLinks, now: Date): string {
  const resolved = resolveLinks(feed, links);
  const entries = feed.entries.map((entry) => resolveEntry(entry, links.baseUrl, now));
  const subtitle = cleanLabel(feed.description);

  const parts: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    `<feed xmlns="${ATOM_NAMESPACE}" xmlns:fh="${HISTORY_NAMESPACE}">`,
    `<id>${xmlText(feedId(feed.key))}</id>`,
    `<title type="text">${xmlText(cleanLabel(feed.title))}</title>`,
    subtitle === '' ? '' : `<subtitle type="text">${xmlText(subtitle)}</subtitle>`,
    `<updated>${rfc3339(feedUpdated(feed, entries, now))}</updated>`,
    // Entries carry no author of their own; Atom then requires one on the feed.
    `<author><name>${FEED_AUTHOR}</name></author>`,
    `<generator>${GENERATOR}</generator>`,
    link('self', resolved.self, ATOM_TYPE),
    link('alternate', resolved.home, 'text/html'),
    link('current', resolved.current, ATOM_TYPE),
    link('prev-archive', resolved.prevArchive, ATOM_TYPE),
    link('next-archive', resolved.nextArchive, ATOM_TYPE),
    resolved.archive ? '<fh:archive/>' : '',
  ];

  for (const e of entries) {
    let entry = `<entry><id>${xmlText(e.id)}</id>`;
    entry += `<title type="text">${xmlText(e.title)}</title>`;
    entry += `<published>${rfc3339(e.published)}</published>`;
    entry += `<updated>${rfc3339(e.updated)}</updated>`;
    if (e.link !== undefined) entry += link('alternate', e.link, 'text/html');
    for (const category of e.categories) entry += `<category term="${xmlAttr(category)}"/>`;
    entry += `<content type="html">${escapeXml(entryHtml(e.entry))}</content>`;
    parts.push(`${entry}</entry>`);
  }
  parts.push('</feed>\n');
  return parts.join('');
}
