/**
 * The building blocks of the pages for people: escaped text, links, dates with the precision
 * known, JSON-LD data blocks. Every piece of text from an event passes through `text`/`label`,
 * every link through `href`: no markup and no script URL can come from the events.
 */
import type { DateSpan } from '../../../events/catalog/development';
import { formatDateSpan, formatDay, spanDateTime } from '../human-dates';
import { cleanLabel, cleanText, escapeHtml, safeHttpUrl } from '../text';

/** A single-line label (headline, name, outlet) as HTML text. */
export const label = (value: string): string => escapeHtml(cleanLabel(value));

/** Long text as paragraphs of HTML text. */
export const paragraphs = (value: string): string =>
  cleanText(value)
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');

/** A link to one of our pages (a path we built) or to an http(s) URL; anything else is dropped to text. */
export const link = (target: string, content: string, attributes = ''): string => {
  const url = target.startsWith('/') && !target.startsWith('//') ? target : safeHttpUrl(target);
  return url === undefined ? content : `<a href="${escapeHtml(url)}"${attributes}>${content}</a>`;
};

/** A date span as a person writes it, in a `<time>` with a `datetime` only as precise as the span. */
export const when = (span: DateSpan): string => {
  const datetime = spanDateTime(span);
  const text = escapeHtml(formatDateSpan(span));
  return datetime === undefined ? `<span class="date">${text}</span>` : `<time datetime="${escapeHtml(datetime)}">${text}</time>`;
};

/** An instant shown as its day (UTC). */
export const day = (instant: string): string => {
  const text = formatDay(instant);
  return text === undefined ? '' : `<time datetime="${escapeHtml(new Date(instant).toISOString())}">${text}</time>`;
};

/**
 * A JSON-LD data block. A data block is not script (its type is not JavaScript): the CSP forbids
 * every script and this is never run. `<`, `>`, `&` and the line separators are escaped inside the
 * JSON strings, so no text can close the element.
 */
export const jsonLd = (data: unknown): string =>
  `<script type="application/ld+json">${JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}</script>`;

/** Plain text for JSON-LD values: controls removed, labels on one line. */
export const ldText = (value: string): string => cleanText(value).trim();
export const ldLabel = (value: string): string => cleanLabel(value);

/** `VisitCancelled` → `Visit cancelled`. */
export const typeLabel = (type: string): string => {
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
