import type { FeedEntry as DomainFeedEntry } from '../../events/feeds/feed-document';
import type { FeedLinks, LinkedEntry as FeedEntry, LinkedFeed as FeedDocument } from '../../functions/render/linked-feed';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The clock every render test uses. */
export const NOW = new Date('2012-10-10T12:00:00Z');

export const BASE_URL = 'https://news.example.org';

/** A deterministic UUID for fixture number `n`. */
export const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export function makeEntry(overrides: Partial<FeedEntry> = {}, n = 1): FeedEntry {
  const id = overrides.id ?? uuid(n);
  return {
    id,
    storyId: 'state-visit',
    kind: 'development',
    eventType: 'VisitPlanned',
    title: `The president will visit Paris (${n})`,
    summary: 'The president will travel to Paris for a two-day state visit.\n\nTalks are expected to cover trade.',
    published: '2012-10-04T09:30:00Z',
    updated: '2012-10-04T09:30:00Z',
    occurred: { start: '2012-10-04', precision: 'day' },
    topics: ['diplomacy', 'france'],
    actors: ['president'],
    sources: [{ outlet: 'Example Times', quote: 'The visit is confirmed.', url: 'https://times.example.com/a' }],
    confidence: 'confirmed',
    corrections: [],
    path: `/stories/state-visit/developments/${id}`,
    ...overrides,
  };
}

/** A feed of any kind of entries: linked ones for the renderers, model entries (no paths) for the publication. */
export function makeFeed<E extends DomainFeedEntry = FeedEntry>(entries: E[] = [makeEntry() as unknown as E], overrides: Partial<Omit<FeedDocument, 'entries'>> = {}): Omit<FeedDocument, 'entries'> & { entries: E[] } {
  return {
    key: 'story/state-visit',
    title: 'State visit',
    description: 'Every development of the state visit, as it is reported.',
    homePath: '/stories/state-visit',
    updated: entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), '1970-01-01T00:00:00Z'),
    entries,
    ...overrides,
  };
}

export function makeLinks(extension: 'rss' | 'atom' | 'json', overrides: Partial<FeedLinks> = {}): FeedLinks {
  const current = `${BASE_URL}/stories/state-visit/feed.${extension}`;
  return { baseUrl: BASE_URL, self: current, current, ...overrides };
}

/** Links of an archive page in the middle of the history. */
export function archiveLinks(extension: 'rss' | 'atom' | 'json'): FeedLinks {
  return makeLinks(extension, {
    self: `${BASE_URL}/stories/state-visit/feed.${extension}?page=2`,
    prevArchive: `${BASE_URL}/stories/state-visit/feed.${extension}?page=1`,
    nextArchive: `${BASE_URL}/stories/state-visit/feed.${extension}?page=3`,
    archive: true,
  });
}

/** `count` entries, newest first, one hour apart. */
export function manyEntries(count: number): FeedEntry[] {
  const newest = Date.parse('2012-10-09T12:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(newest - i * 3_600_000).toISOString();
    return makeEntry({ published: at, updated: at }, i + 1);
  });
}

export const withdrawnEntry = (): FeedEntry =>
  makeEntry(
    {
      title: 'The president will visit Lyon',
      updated: '2012-10-06T08:00:00Z',
      withdrawn: { reason: 'The source confused Lyon with Paris.', at: '2012-10-06T08:00:00Z' },
    },
    20,
  );

export const correctedEntry = (): FeedEntry =>
  makeEntry(
    {
      title: 'The president met the prime minister',
      updated: '2012-10-07T10:00:00Z',
      occurred: { start: '2012-10-02', end: '2012-10-03', precision: 'day' },
      corrections: [{ eventId: uuid(31), note: 'The meeting lasted two days, not one.', at: '2012-10-07T10:00:00Z' }],
    },
    30,
  );

export const correctionItem = (): FeedEntry =>
  makeEntry(
    {
      kind: 'correction',
      eventType: 'DevelopmentCorrected',
      title: 'The president met the prime minister',
      summary: 'The meeting lasted two days, not one.',
      published: '2012-10-07T10:00:00Z',
      updated: '2012-10-07T10:00:00Z',
      concerns: uuid(30),
    },
    31,
  );

/** A string of the characters XML 1.0 forbids, plus tab, LF and CR (which it allows). */
export const CONTROL_CHARS = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');

const HOSTILE = `]]> <script>alert(1)</script> ${CONTROL_CHARS} \ud800 lone \udc00 \u202egnp.exe\u202c \uFFFE\uFFFF & "quotes" 'single' <![CDATA[x]]> &amp; &#0;`;

/** An entry whose every text field is hostile, with 60 KiB of summary text. */
export function hostileEntry(n = 666): FeedEntry {
  return makeEntry(
    {
      title: `${HOSTILE} <b>bold</b> \u202eevil title`,
      summary: `${HOSTILE}\n\n<img src=x onerror=alert(1)>\n\n${'A long line of news, repeated. '.repeat(2048)}`,
      storyId: HOSTILE,
      eventType: HOSTILE,
      topics: [HOSTILE, '<script>', 'ok-topic'],
      sources: [
        { outlet: `${HOSTILE} Outlet`, quote: HOSTILE, url: 'javascript:alert(1)' },
        { outlet: 'Data Outlet', quote: 'data', url: 'data:text/html,<script>alert(1)</script>' },
        { outlet: 'Quote "Outlet"', quote: 'fine', url: 'https://ok.example.com/a?b="c"&d=<e>' },
      ],
      confidence: 'speculation',
      withdrawn: { reason: HOSTILE, at: '2012-10-08T00:00:00Z' },
      corrections: [{ eventId: uuid(667), note: HOSTILE, at: '2012-10-08T00:00:00Z' }],
      digest: { sections: [{ title: HOSTILE, items: [{ title: HOSTILE, summary: HOSTILE }, { nope: 1 }] }, 'junk', null] },
      path: `/stories/x/timeline#${HOSTILE}`,
    },
    n,
  );
}

/** A feed whose own title and description are hostile too. */
export function hostileFeed(): FeedDocument {
  return makeFeed([hostileEntry(), makeEntry()], { title: `${HOSTILE} feed`, description: HOSTILE });
}

// --- Checks on rendered XML -------------------------------------------------------------

/** Characters XML 1.0 forbids, as raw characters. */
const FORBIDDEN_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

function isAllowedXmlCodePoint(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * Why the document is not strictly well-formed XML 1.0, or undefined. fast-xml-parser's
 * XMLValidator checks the structure but lets through forbidden characters, `]]>` in text and
 * character references to forbidden code points, so those are checked here too.
 */
export function xmlProblems(document: string): string | undefined {
  const result = XMLValidator.validate(document, { allowBooleanAttributes: false });
  if (result !== true) return `XMLValidator: ${result.err.code} ${result.err.msg} at ${result.err.line}:${result.err.col}`;
  const forbidden = FORBIDDEN_XML_CHARS.exec(document);
  if (forbidden !== null) return `forbidden character U+${forbidden[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${forbidden.index}`;
  if (document.includes('<![CDATA[')) return 'unexpected CDATA section (renderers escape instead)';
  if (document.includes(']]>')) return '`]]>` outside a CDATA section';
  for (const match of document.matchAll(/&#(x[0-9a-fA-F]+|[0-9]+);/g)) {
    const ref = match[1] ?? '';
    const cp = ref.startsWith('x') ? Number.parseInt(ref.slice(1), 16) : Number.parseInt(ref, 10);
    if (!isAllowedXmlCodePoint(cp)) return `character reference to a forbidden code point: ${match[0]}`;
  }
  return undefined;
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  jPath: true,
  // Repeatable elements always as arrays; RSS's single <link> stays a string.
  isArray: (name, jPath) => ['item', 'entry', 'category', 'atom:link'].includes(name) || (name === 'link' && String(jPath).startsWith('feed.')),
});

/** The document as a tree (attributes as `@_name`, text as `#text` when mixed with attributes). */
export function parseXml(document: string): Record<string, any> {
  return xmlParser.parse(document) as Record<string, any>;
}

/** Problems that would make HTML content unsafe: a script tag, an event handler, a non-http(s) link. */
export function unsafeHtml(html: string): string[] {
  const problems: string[] = [];
  if (/<script/i.test(html)) problems.push('<script');
  if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(html)) problems.push('event handler attribute');
  if (/\s(href|src|cite)\s*=\s*["']?\s*(javascript|data|vbscript):/i.test(html)) problems.push('non-http(s) URL attribute');
  for (const match of html.matchAll(/\s(?:href|src|cite)\s*=\s*"([^"]*)"/gi)) {
    if (!/^https?:\/\//.test(match[1] ?? '')) problems.push(`URL attribute not http(s): ${match[1] ?? ''}`);
  }
  return problems;
}
