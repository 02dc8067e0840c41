import { digestTally, type DigestContent, type DigestDevelopment } from '../../events/digest/compose';
import { mailDocument } from './mail-document';
import { formatDateSpan, formatDay, formatInstantSpan, formatTimeOfDay } from './human-dates';
import { cleanLabel, cleanText, htmlText, safeHttpUrl, escapeHtml } from './text';

/**
 * A digest as an HTML document (readable in a mail client: inline styles only, no script, all text
 * escaped) and as plain text. Both say the same things in the same order, with dates as a person
 * writes them, in the time zone of the digest's window.
 */

const confidenceNote = (d: DigestDevelopment) => (d.confidence === 'speculation' ? ' (speculation)' : d.confidence === 'reported' ? ' (reported)' : '');
/** For a development reported before the window and recorded in it. */
const lateNote = (d: DigestDevelopment, { timezone }: DigestContent['window']) =>
  d.reportedEarlier ? `; reported ${formatDay(d.reportedAt, timezone) ?? d.reportedAt}, added since the last digest` : '';
/** `1–8 October 2012` */
const windowDays = ({ window }: DigestContent) => formatInstantSpan(window.start, window.end, window.timezone);
/** `1–8 October 2012 (06:00 to 06:00, UTC)` */
const windowText = (content: DigestContent) => {
  const { start, end, timezone } = content.window;
  return `${windowDays(content)} (${formatTimeOfDay(start, timezone) ?? start} to ${formatTimeOfDay(end, timezone) ?? end}, ${timezone})`;
};
/** `28 developments in 1 story, reported 1–8 October 2012.` */
const leadText = (content: DigestContent) => `${digestTally(content.counts)}, reported ${windowDays(content)}.`;

/** Links a digest shows at its end: the feed, and for a subscriber's copy, unsubscribing and preferences. */
export interface DigestLinks {
  feedUrl?: string;
  unsubscribeUrl?: string;
  preferencesUrl?: string;
}

export const renderDigestHtml = (content: DigestContent, links: DigestLinks = {}): string => {
  let html = `<h1 style="font-size: 1.4em">${htmlText(cleanLabel(content.title))}</h1>`;
  html += `<p style="color: #555">${htmlText(leadText(content))}</p>`;
  for (const story of content.stories) {
    html += `<h2 style="font-size: 1.2em; border-bottom: 1px solid #ccc">${htmlText(cleanLabel(story.title))}</h2>`;
    for (const topic of story.topics) {
      html += `<h3 style="font-size: 1em; text-transform: uppercase; color: #666">${htmlText(cleanLabel(topic.topic))}</h3><ul>`;
      for (const d of topic.developments) {
        html += `<li style="margin-bottom: .8em"><strong>${htmlText(cleanLabel(d.headline))}</strong> <em>${escapeHtml(formatDateSpan(d.occurred))}${confidenceNote(d)}${escapeHtml(lateNote(d, content.window))}</em>`;
        html += `<p style="margin: .3em 0">${htmlText(d.summary)}</p>`;
        for (const source of d.sources) {
          const url = safeHttpUrl(source.url);
          const outlet = htmlText(cleanLabel(source.outlet));
          html += `<blockquote style="margin: .3em 1em; color: #444">&ldquo;${htmlText(source.quote)}&rdquo; &mdash; ${url ? `<a href="${escapeHtml(url)}">${outlet}</a>` : outlet}</blockquote>`;
        }
        html += '</li>';
      }
      html += '</ul>';
    }
  }
  if (content.changes.length) {
    html += '<h2 style="font-size: 1.2em; border-bottom: 1px solid #ccc">Corrections and retractions</h2><ul>';
    for (const c of content.changes) {
      html += `<li><strong>${c.kind === 'correction' ? 'Corrected' : 'Retracted'}:</strong> ${htmlText(cleanLabel(c.headline))} <em>(${htmlText(cleanLabel(c.storyTitle))})</em><p style="margin: .3em 0">${htmlText(c.note)}</p></li>`;
    }
    html += '</ul>';
  }
  html += `<p style="color: #777; font-size: .9em">Reported ${htmlText(windowText(content))}.`;
  const feed = safeHttpUrl(links.feedUrl);
  if (feed) html += ` Subscribe: <a href="${escapeHtml(feed)}">${escapeHtml(feed)}</a>`;
  html += '</p>';
  const [unsubscribe, preferences] = [safeHttpUrl(links.unsubscribeUrl), safeHttpUrl(links.preferencesUrl)];
  if (unsubscribe || preferences) {
    html += '<p style="color: #777; font-size: .9em">';
    if (preferences) html += `<a href="${escapeHtml(preferences)}">Change what you receive</a>`;
    if (unsubscribe) html += `${preferences ? ' &middot; ' : ''}<a href="${escapeHtml(unsubscribe)}">Unsubscribe</a>`;
    html += '</p>';
  }
  return mailDocument(cleanLabel(content.title), html);
};

const wrap = (text: string, width = 76, indent = ''): string => {
  const words = cleanText(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.trim() && line.length + word.length + 1 > width) {
      lines.push(line);
      line = indent;
    }
    line += (line.trim() ? ' ' : '') + word;
  }
  if (line.trim()) lines.push(line);
  return lines.join('\n');
};

export const renderDigestText = (content: DigestContent, links: DigestLinks = {}): string => {
  const out: string[] = [cleanLabel(content.title), '='.repeat(Math.min(76, cleanLabel(content.title).length)), wrap(leadText(content)), ''];
  for (const story of content.stories) {
    out.push(cleanLabel(story.title), '-'.repeat(Math.min(76, cleanLabel(story.title).length)));
    for (const topic of story.topics) {
      out.push('', `[${cleanLabel(topic.topic).toUpperCase()}]`);
      for (const d of topic.developments) {
        out.push(wrap(`* ${cleanLabel(d.headline)} (${formatDateSpan(d.occurred)}${confidenceNote(d)}${lateNote(d, content.window)})`), wrap(d.summary, 76, '  '));
        for (const source of d.sources) out.push(wrap(`"${source.quote}" - ${cleanLabel(source.outlet)}${safeHttpUrl(source.url) ? ` <${safeHttpUrl(source.url)}>` : ''}`, 76, '    '));
      }
    }
    out.push('');
  }
  if (content.changes.length) {
    out.push('Corrections and retractions', '---------------------------');
    for (const c of content.changes) out.push(wrap(`* ${c.kind === 'correction' ? 'Corrected' : 'Retracted'}: ${cleanLabel(c.headline)} (${cleanLabel(c.storyTitle)})`), wrap(c.note, 76, '  '));
    out.push('');
  }
  out.push(wrap(`Reported ${windowText(content)}.`));
  if (safeHttpUrl(links.feedUrl)) out.push(`Subscribe: ${safeHttpUrl(links.feedUrl)}`);
  if (safeHttpUrl(links.preferencesUrl)) out.push(`Change what you receive: ${safeHttpUrl(links.preferencesUrl)}`);
  if (safeHttpUrl(links.unsubscribeUrl)) out.push(`Unsubscribe: ${safeHttpUrl(links.unsubscribeUrl)}`);
  return `${out.join('\n')}\n`;
};
