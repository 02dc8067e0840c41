/**
 * The document every page shares: language, viewport, our stylesheet (the only one the CSP
 * allows), feed autodiscovery links, JSON-LD, a header with the way home, one `main`, a footer
 * with visible Follow links. No script runs on any page.
 */
import type { FeedRef } from '../../../events/projections/keys';
import { FEED_FORMATS } from '../../feed-publication';
import { feedPath, pagePath } from '../../links';
import { escapeHtml } from '../text';
import { jsonLd, label, link } from './html';

const FORMAT_NAMES = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' } as const;
const FORMAT_TYPES = { rss: 'application/rss+xml', atom: 'application/atom+xml', json: 'application/feed+json' } as const;

export interface PageFeed {
  /** What the feed follows, as a person names it ("Russia and Pakistan, 2012"). */
  title: string;
  ref: FeedRef;
  /** How the visible Follow line names it ("this story"); the title when absent. */
  follow?: string;
}

export interface PageShell {
  /** The page's title (plain text); the document title adds "Storyline". */
  title: string;
  description?: string;
  /** The way back: each a link above the page's heading. */
  trail?: { href: string; text: string }[];
  feed?: PageFeed;
  structuredData?: unknown;
  /** The pages before and after this one in a sequence (a long story's pages): `<link rel="prev|next">`. */
  pagination?: { prev?: string; next?: string };
  /** The content of `main` (already HTML). */
  main: string;
}

/** The Follow links of a feed: RSS, Atom, JSON Feed. */
export const followLinks = (feed: PageFeed): string =>
  `<p class="follow"><span class="follow-label">Follow ${label(feed.follow ?? feed.title)}:</span> ${FEED_FORMATS.map((format) =>
    link(feedPath(feed.ref, format), FORMAT_NAMES[format], ` type="${FORMAT_TYPES[format]}"`),
  ).join(' ')}</p>`;

const autodiscovery = (feed: PageFeed): string =>
  FEED_FORMATS.map(
    (format) =>
      `<link rel="alternate" type="${FORMAT_TYPES[format]}" title="${escapeHtml(`${feed.title} (${FORMAT_NAMES[format]})`)}" href="${escapeHtml(feedPath(feed.ref, format))}">`,
  ).join('');

export const renderDocument = (page: PageShell): string => {
  const trail = page.trail?.length
    ? `<nav class="trail" aria-label="Breadcrumb"><ol>${page.trail.map((step) => `<li>${link(step.href, label(step.text))}</li>`).join('')}</ol></nav>`
    : '';
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${label(page.title === 'Storyline' ? page.title : `${page.title} · Storyline`)}</title>` +
    (page.description ? `<meta name="description" content="${label(page.description)}">` : '') +
    `<link rel="stylesheet" href="${pagePath('stylesheet')}">` +
    (page.feed ? autodiscovery(page.feed) : '') +
    (page.pagination?.prev ? `<link rel="prev" href="${escapeHtml(page.pagination.prev)}">` : '') +
    (page.pagination?.next ? `<link rel="next" href="${escapeHtml(page.pagination.next)}">` : '') +
    (page.structuredData === undefined ? '' : jsonLd(page.structuredData)) +
    `</head><body><header class="site"><p class="brand">${link(pagePath('home'), 'Storyline')}</p>${trail}</header>` +
    `<main>${page.main}</main>` +
    `<footer class="site">${page.feed ? followLinks(page.feed) : ''}<p>${link(pagePath('home'), 'All stories')} · Storyline keeps every development as an immutable event; corrections and retractions are shown, never erased.</p></footer>` +
    `</body></html>`
  );
};
