/**
 * RSS 2.0 (https://www.rssboard.org/rss-specification) with atom:link rel="self" and
 * RFC 5005 archive links. Built by hand from escaped text: predictable and fast.
 */
import type { FeedLinks, LinkedFeed } from './linked-feed';
import { entryHtml } from './entry-html';
import { ATOM_NAMESPACE, FEED_TTL_MINUTES, GENERATOR, HISTORY_NAMESPACE, feedUpdated, resolveEntry, resolveLinks } from './feed-meta';
import { cleanLabel, escapeXml, escapeXmlAttr, rfc3339, rfc822, xmlText } from './text';

function atomLink(rel: string, href: string | undefined, type?: string): string {
  if (href === undefined) return '';
  const typeAttr = type === undefined ? '' : ` type="${type}"`;
  return `<atom:link rel="${rel}"${typeAttr} href="${escapeXmlAttr(href)}"/>`;
}

export function renderRss(feed: LinkedFeed, links: FeedLinks, now: Date): string {
  const resolved = resolveLinks(feed, links);
  const entries = feed.entries.map((entry) => resolveEntry(entry, links.baseUrl, now));
  const updated = rfc822(feedUpdated(feed, entries, now));

  const title = xmlText(cleanLabel(feed.title));
  // <link> and <description> are required in a channel.
  const parts: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    `<rss version="2.0" xmlns:atom="${ATOM_NAMESPACE}" xmlns:fh="${HISTORY_NAMESPACE}"><channel>`,
    `<title>${title}</title>`,
    `<link>${escapeXml(resolved.home ?? resolved.current ?? resolved.self ?? '')}</link>`,
    `<description>${xmlText(feed.description) || title}</description>`,
    atomLink('self', resolved.self, 'application/rss+xml'),
    atomLink('current', resolved.current, 'application/rss+xml'),
    atomLink('prev-archive', resolved.prevArchive, 'application/rss+xml'),
    atomLink('next-archive', resolved.nextArchive, 'application/rss+xml'),
    resolved.archive ? '<fh:archive/>' : '',
    `<lastBuildDate>${updated}</lastBuildDate>`,
    `<pubDate>${updated}</pubDate>`,
    `<generator>${GENERATOR}</generator>`,
    '<docs>https://www.rssboard.org/rss-specification</docs>',
    `<ttl>${FEED_TTL_MINUTES}</ttl>`,
  ];

  for (const e of entries) {
    let item = `<item><title>${xmlText(e.title)}</title>`;
    if (e.link !== undefined) item += `<link>${escapeXml(e.link)}</link>`;
    item += `<description>${escapeXml(entryHtml(e.entry))}</description>`;
    item += `<guid isPermaLink="false">${xmlText(e.id)}</guid>`;
    item += `<pubDate>${rfc822(e.published)}</pubDate>`;
    // RSS has no 'updated'; readers that know Atom pick up corrections from this.
    if (e.updated.getTime() > e.published.getTime()) item += `<atom:updated>${rfc3339(e.updated)}</atom:updated>`;
    for (const category of e.categories) item += `<category>${xmlText(category)}</category>`;
    parts.push(`${item}</item>`);
  }
  parts.push('</channel></rss>\n');
  return parts.join('');
}
