/**
 * What an entry says, as HTML (for RSS description, Atom content, JSON Feed content_html) and
 * as plain text (JSON Feed content_text). The HTML is built only from escaped text: no markup
 * from the entry itself reaches the output, and links are http(s) only.
 */
import type { DateSpan } from '../../events/catalog/development';
import type { FeedEntry } from '../../events/feeds/feed-document';
import { cleanLabel, cleanText, escapeHtml, htmlText, safeHttpUrl, truncate } from './text';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** The title readers see: plain text, marked when the entry is withdrawn or is a correction. */
export function entryTitle(entry: FeedEntry): string {
  const title = cleanLabel(entry.title);
  const mark = (prefix: string): string => (title.toLowerCase().startsWith(prefix.toLowerCase()) ? title : prefix + title);
  if (entry.withdrawn !== undefined) return mark('[Withdrawn] ');
  switch (entry.kind) {
    case 'correction':
      return mark('Correction: ');
    case 'retraction':
      return mark('Retraction: ');
    case 'development':
    case 'digest':
      return title;
    default: {
      const unknown: never = entry.kind;
      return unknown;
    }
  }
}

interface DateParts {
  year: string;
  month?: string;
  day?: string;
}

function dateParts(value: string): DateParts | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (match === null) return undefined;
  const [, year = '', month, day] = match;
  const monthName = month === undefined ? undefined : MONTHS[Number(month) - 1];
  if (month !== undefined && monthName === undefined) return undefined;
  return { year, month: monthName, day: day === undefined ? undefined : String(Number(day)) };
}

function formatParts(parts: DateParts): string {
  return [parts.day, parts.month, parts.year].filter((p) => p !== undefined).join(' ');
}

/**
 * A date span at the precision it was reported with: `4 October 2012`, `October 2012`, `2012`,
 * `2–3 October 2012`, `30 September – 3 October 2012`, `2012–2013`.
 */
export function formatDateSpan(span: DateSpan): string {
  const start = dateParts(span.start);
  const end = span.end === undefined || span.end === span.start ? undefined : dateParts(span.end);
  if (start === undefined) return cleanLabel(span.end === undefined ? span.start : `${span.start} – ${span.end}`);
  if (span.end !== undefined && span.end !== span.start && end === undefined) return cleanLabel(`${span.start} – ${span.end}`);
  if (end === undefined) return formatParts(start);
  if (start.year !== end.year) return start.month === undefined ? `${start.year}–${end.year}` : `${formatParts(start)} – ${formatParts(end)}`;
  if (start.month !== end.month) {
    return start.day === undefined ? `${start.month}–${end.month} ${end.year}` : `${start.day} ${start.month} – ${formatParts(end)}`;
  }
  return `${start.day}–${formatParts(end)}`;
}

/** An instant shown as a day in UTC: `8 October 2012`. */
function formatDay(instant: string): string | undefined {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCFullYear()}`;
}

/** A `datetime` attribute value for `<time>`, only when the input is a valid date form. */
function timeAttr(value: string): string {
  return /^\d{4}(-\d{2}(-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?)?)?$/.test(value) ? ` datetime="${value}"` : '';
}

const confidenceText = {
  confirmed: 'Confirmed',
  reported: 'Reported, not independently confirmed',
  speculation: 'Speculation: not confirmed',
} as const;

function paragraphs(text: string): string[] {
  return cleanText(text)
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

function htmlParagraphs(text: string): string {
  let html = '';
  for (const p of paragraphs(text)) html += `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`;
  return html;
}

/** The shape of a digest's content this renderer understands; anything else is ignored. */
interface DigestSection {
  title: string;
  items: { title: string; summary?: string }[];
}

function digestSections(digest: Record<string, unknown>): DigestSection[] {
  const sections = digest.sections;
  if (!Array.isArray(sections)) return [];
  const result: DigestSection[] = [];
  for (const section of sections as unknown[]) {
    if (typeof section !== 'object' || section === null) continue;
    const { title, items } = section as { title?: unknown; items?: unknown };
    if (typeof title !== 'string') continue;
    const parsedItems: DigestSection['items'] = [];
    if (Array.isArray(items)) {
      for (const item of items as unknown[]) {
        if (typeof item !== 'object' || item === null) continue;
        const { title: itemTitle, summary } = item as { title?: unknown; summary?: unknown };
        if (typeof itemTitle !== 'string') continue;
        parsedItems.push(typeof summary === 'string' ? { title: itemTitle, summary } : { title: itemTitle });
      }
    }
    result.push({ title, items: parsedItems });
  }
  return result;
}

/** The entry as HTML, built from escaped text only. */
export function entryHtml(entry: FeedEntry): string {
  let html = '';
  if (entry.withdrawn !== undefined) {
    html += `<p><strong>Withdrawn:</strong> ${htmlText(entry.withdrawn.reason)}</p>`;
  }
  if (entry.confidence === 'speculation') {
    html += `<p><strong>${confidenceText.speculation}.</strong></p>`;
  }
  html += htmlParagraphs(entry.summary);

  if (entry.digest !== undefined) {
    for (const section of digestSections(entry.digest)) {
      html += `<h3>${htmlText(cleanLabel(section.title))}</h3>`;
      if (section.items.length === 0) continue;
      html += '<ul>';
      for (const item of section.items) {
        html += `<li><strong>${htmlText(cleanLabel(item.title))}</strong>`;
        if (item.summary !== undefined) html += htmlParagraphs(item.summary);
        html += '</li>';
      }
      html += '</ul>';
    }
  }

  const facts: string[] = [];
  if (entry.occurred !== undefined) {
    const { start } = entry.occurred;
    const attr = entry.occurred.end === undefined || entry.occurred.end === start ? timeAttr(start) : '';
    facts.push(`<strong>When:</strong> <time${attr}>${escapeHtml(formatDateSpan(entry.occurred))}</time>`);
  }
  if (entry.confidence !== undefined && entry.confidence !== 'speculation') {
    facts.push(`<strong>Confidence:</strong> ${confidenceText[entry.confidence]}`);
  }
  if (facts.length > 0) html += `<p>${facts.join('<br>')}</p>`;

  if (entry.sources.length > 0) {
    html += '<h3>Sources</h3>';
    for (const source of entry.sources) {
      const url = safeHttpUrl(source.url);
      const outlet = htmlText(cleanLabel(source.outlet));
      const quote = htmlParagraphs(source.quote);
      if (quote !== '') html += url === undefined ? `<blockquote>${quote}</blockquote>` : `<blockquote cite="${escapeHtml(url)}">${quote}</blockquote>`;
      html += `<p>— ${url === undefined ? outlet : `<a href="${escapeHtml(url)}">${outlet}</a>`}</p>`;
    }
  }

  if (entry.corrections.length > 0) {
    html += '<h3>Corrections</h3><ul>';
    for (const correction of entry.corrections) {
      const day = formatDay(correction.at);
      const when = day === undefined ? '' : `<time${timeAttr(correction.at)}>${day}</time>: `;
      html += `<li>${when}${htmlText(correction.note)}</li>`;
    }
    html += '</ul>';
  }
  return html;
}

/** The entry as plain text (JSON Feed content_text). */
export function entryText(entry: FeedEntry): string {
  const blocks: string[] = [];
  if (entry.withdrawn !== undefined) blocks.push(`Withdrawn: ${cleanText(entry.withdrawn.reason).trim()}`);
  if (entry.confidence === 'speculation') blocks.push(`${confidenceText.speculation}.`);
  blocks.push(...paragraphs(entry.summary));
  if (entry.digest !== undefined) {
    for (const section of digestSections(entry.digest)) {
      blocks.push(cleanLabel(section.title));
      for (const item of section.items) {
        const summary = item.summary === undefined ? '' : `: ${paragraphs(item.summary).join(' ')}`;
        blocks.push(`- ${cleanLabel(item.title)}${summary}`);
      }
    }
  }
  const facts: string[] = [];
  if (entry.occurred !== undefined) facts.push(`When: ${formatDateSpan(entry.occurred)}`);
  if (entry.confidence !== undefined && entry.confidence !== 'speculation') facts.push(`Confidence: ${confidenceText[entry.confidence]}`);
  if (facts.length > 0) blocks.push(facts.join('\n'));
  if (entry.sources.length > 0) {
    blocks.push('Sources:');
    for (const source of entry.sources) {
      const url = safeHttpUrl(source.url);
      const quote = paragraphs(source.quote).join(' ');
      blocks.push(`“${quote}” — ${cleanLabel(source.outlet)}${url === undefined ? '' : ` <${url}>`}`);
    }
  }
  if (entry.corrections.length > 0) {
    blocks.push('Corrections:');
    for (const correction of entry.corrections) {
      const day = formatDay(correction.at);
      blocks.push(`- ${day === undefined ? '' : `${day}: `}${cleanText(correction.note).trim()}`);
    }
  }
  return blocks.join('\n\n');
}

/** A sentence or two of plain text (JSON Feed summary). */
export function entrySummary(entry: FeedEntry, max = 300): string {
  const first = paragraphs(entry.summary)[0] ?? '';
  return truncate(first.replace(/\s+/g, ' '), max);
}
