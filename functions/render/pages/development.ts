/**
 * A development as people read it, on the story page and on its own permalink page: when it
 * occurred (at the precision known), how sure it is, what it says, its sources quoted and
 * attributed, its corrections (note and what changed) and, when retracted, why.
 */
import type { FieldChanges, TimelineEntry } from '../../../events/projections/entry';
import type { TimelineModel } from '../../../events/projections/timeline';
import { actorPath, developmentPath, topicPath } from '../../links';
import { formatDateSpan } from '../human-dates';
import { cleanLabel, escapeHtml, safeHttpUrl } from '../text';
import { day, label, link, paragraphs, typeLabel, when } from './html';

const CONFIDENCE = {
  confirmed: { text: 'Confirmed', cls: 'confirmed' },
  reported: { text: 'Reported, not independently confirmed', cls: 'reported' },
  speculation: { text: 'Speculation: not confirmed', cls: 'speculation' },
} as const;

/** Actor ids to the names the story identified them by. */
export const actorNames = (story: Pick<TimelineModel, 'actors'>): Map<string, string> => new Map(story.actors.map((a) => [a.actorId, a.name]));

const changeText = (changes: FieldChanges, before: TimelineEntry['original']): string => {
  const parts: string[] = [];
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (field === 'headline' || field === 'summary') parts.push(`${field} (was “${cleanLabel(String(before[field]))}”)`);
    else if (field === 'occurred') parts.push(`date (was ${formatDateSpan(before.occurred)}, now ${formatDateSpan(changes.occurred!)})`);
    else if (field === 'confidence') parts.push(`confidence (was ${before.confidence}, now ${changes.confidence})`);
    else parts.push(field);
  }
  return parts.join('; ');
};

/** The corrections, each with its note and what it changed (compared with the fields just before it). */
const corrections = (entry: TimelineEntry): string => {
  if (entry.corrections.length === 0) return '';
  let before = entry.original;
  const items = entry.corrections.map((c) => {
    const changed = changeText(c.changes, before);
    before = { ...before, ...Object.fromEntries(Object.entries(c.changes).filter(([, v]) => v !== undefined)) };
    return `<li><strong>Corrected ${day(c.reportedAt)}:</strong> ${label(c.note)}${changed ? ` <span class="changed">Changed: ${label(changed)}.</span>` : ''}</li>`;
  });
  return `<section class="corrections" aria-label="Corrections"><ul>${items.join('')}</ul></section>`;
};

const sources = (entry: TimelineEntry): string =>
  entry.sources.length === 0
    ? ''
    : `<div class="sources">${entry.sources
        .map((source) => {
          const url = safeHttpUrl(source.url);
          const outlet = url === undefined ? label(source.outlet) : link(url, label(source.outlet));
          return `<figure><blockquote${url ? ` cite="${url.replace(/"/g, '%22')}"` : ''}>${paragraphs(source.quote)}</blockquote><figcaption>— ${outlet}</figcaption></figure>`;
        })
        .join('')}</div>`;

const tags = (entry: TimelineEntry, names: Map<string, string>): string => {
  const actors = entry.actors.map((id) => `<li>${link(actorPath(id), label(names.get(id) ?? id))}</li>`).join('');
  const topics = entry.topics.map((t) => `<li>${link(topicPath(t), label(t))}</li>`).join('');
  const places = entry.places.map((p) => `<li>${label(p)}</li>`).join('');
  return (
    (actors ? `<div class="tags"><span>Who:</span> <ul>${actors}</ul></div>` : '') +
    (places ? `<div class="tags"><span>Where:</span> <ul>${places}</ul></div>` : '') +
    (topics ? `<div class="tags"><span>Topics:</span> <ul>${topics}</ul></div>` : '')
  );
};

/**
 * One development as an `<article>`; `heading` is the level of its headline (3 on the story page,
 * 1 on its own page), where it links to its permalink page unless it is that page.
 */
export const developmentArticle = (storyId: string, entry: TimelineEntry, names: Map<string, string>, heading: 1 | 3): string => {
  const confidence = CONFIDENCE[entry.confidence];
  const headline = heading === 1 ? label(entry.headline) : link(developmentPath(storyId, entry.id), label(entry.headline));
  const withdrawn = entry.retracted
    ? `<p class="withdrawn-note"><strong>Withdrawn ${day(entry.retracted.at)}:</strong> ${label(entry.retracted.reason)}</p>`
    : '';
  return (
    `<article class="development${entry.retracted ? ' withdrawn' : ''}" id="${escapeHtml(entry.id)}">` +
    `<h${heading}>${entry.retracted ? '<span class="badge withdrawn-badge">Withdrawn</span> ' : ''}${headline}</h${heading}>` +
    `<p class="meta">${when(entry.occurred)} · ${typeLabel(entry.type)} · <span class="badge ${confidence.cls}">${confidence.text}</span></p>` +
    withdrawn +
    `<div class="summary">${paragraphs(entry.summary)}</div>` +
    sources(entry) +
    corrections(entry) +
    tags(entry, names) +
    `</article>`
  );
};
