/**
 * Text helpers shared by the feed renderers: cleaning, escaping, URLs and dates.
 * Pure: no clock, no environment; `now` is always passed in.
 */

/**
 * Characters XML 1.0 forbids (C0 controls other than tab, LF and CR; lone surrogates;
 * U+FFFE and U+FFFF), plus DEL and the C1 controls, which XML allows but discourages and
 * which no reader displays. With the `u` flag a surrogate range matches only unpaired halves.
 */
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;
const UNSAFE_CHARS_TEST = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

/** Bidi embeddings, overrides and isolates: they can make a title read differently from what it says. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const BIDI_CONTROLS_TEST = /[\u202A-\u202E\u2066-\u2069]/;

/** Removes the characters an XML 1.0 document cannot carry (and the discouraged controls). */
export function stripUnsafeChars(text: string): string {
  return UNSAFE_CHARS_TEST.test(text) ? text.replace(UNSAFE_CHARS, '') : text;
}

/** Removes bidi override and isolate controls. */
export function stripBidiControls(text: string): string {
  return BIDI_CONTROLS_TEST.test(text) ? text.replace(BIDI_CONTROLS, '') : text;
}

/**
 * A single-line label (a title, an outlet, a category): no forbidden characters, no bidi
 * controls, whitespace (newlines included) collapsed. Long text keeps its bidi controls:
 * it is rendered in block elements, which end any embedding at their boundary.
 */
export function cleanLabel(text: string): string {
  const clean = stripBidiControls(stripUnsafeChars(text));
  return /[^\S ]| {2}|^ | $/.test(clean) ? clean.replace(/\s+/g, ' ').trim() : clean;
}

/** Multi-line text: forbidden characters removed, line endings normalised to LF. */
export function cleanText(text: string): string {
  return stripUnsafeChars(text).replace(/\r\n?/g, '\n');
}

const xmlTextEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const xmlAttrEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Parsers normalise literal whitespace in attribute values to spaces; references survive.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// A test first: most labels need no escaping, and `test` allocates nothing.
// (Measured: a regex with a callback beats a char-code loop building the string by 2x here.)
const XML_TEXT_SPECIAL = /[&<>\r]/;
const XML_ATTR_SPECIAL = /[&<>"'\t\n\r]/;
const HTML_SPECIAL = /[&<>"']/;

/**
 * Escapes text for XML character data. `>` is escaped too, so `]]>` can never appear.
 * Expects text already passed through `stripUnsafeChars` (use `xmlText` otherwise).
 */
export function escapeXml(text: string): string {
  return XML_TEXT_SPECIAL.test(text) ? text.replace(/[&<>\r]/g, (c) => xmlTextEntities[c] ?? c) : text;
}

/** Escapes text for a double- or single-quoted XML attribute value. */
export function escapeXmlAttr(text: string): string {
  return XML_ATTR_SPECIAL.test(text) ? text.replace(/[&<>"'\t\n\r]/g, (c) => xmlAttrEntities[c] ?? c) : text;
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return HTML_SPECIAL.test(text) ? text.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c) : text;
}

/** Any text, made safe for XML character data: forbidden characters removed, then escaped. */
export function xmlText(text: string): string {
  return escapeXml(stripUnsafeChars(text));
}

/** Any text, made safe for an XML attribute value. */
export function xmlAttr(text: string): string {
  return escapeXmlAttr(stripUnsafeChars(text));
}

/** Any text, made safe as HTML text: forbidden characters removed, then escaped. */
export function htmlText(text: string): string {
  return escapeHtml(cleanText(text));
}

/** The URL, normalised, if it is an absolute http(s) URL; otherwise undefined. */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.length === 0 || url.length > 4000) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.hostname === '') return undefined;
  // `href` is percent-encoded by the URL parser: no spaces, quotes or controls remain.
  return parsed.href;
}

/**
 * An absolute link to one of our pages: `baseUrl` (which may carry a path prefix such as an
 * API stage) followed by `path`. Undefined unless the result is an http(s) URL.
 */
export function joinUrl(baseUrl: string, path: string): string | undefined {
  if (!path.startsWith('/') || path.startsWith('//')) return undefined;
  return safeHttpUrl(baseUrl.replace(/\/+$/, '') + path);
}

/**
 * The instant, as a Date no later than `now`. Invalid or missing input yields `fallback`
 * (itself clamped): a feed should render even if one date is bad.
 */
export function clampDate(value: string | Date | undefined, now: Date, fallback: Date = now): Date {
  const date = value === undefined ? undefined : value instanceof Date ? value : new Date(value);
  if (date === undefined || Number.isNaN(date.getTime())) {
    return fallback.getTime() > now.getTime() ? now : fallback;
  }
  return date.getTime() > now.getTime() ? now : date;
}

/** The later of two dates. */
export function laterOf(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

/** RFC 822 (as updated by RFC 1123) with a four-digit year: `Sat, 06 Oct 2012 00:00:00 GMT`. */
export function rfc822(date: Date): string {
  // `toUTCString` is specified (ECMA-262) to produce exactly this form for years 0-9999.
  return date.toUTCString();
}

/** RFC 3339 in UTC: `2012-10-06T00:00:00Z` (fractional seconds only when present). */
export function rfc3339(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * Text cut to at most `max` characters at a word boundary when one is near, with an ellipsis.
 * Never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const lastCode = cut.charCodeAt(cut.length - 1);
  if (lastCode >= 0xd800 && lastCode <= 0xdbff) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  if (space > max * 0.6) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}
