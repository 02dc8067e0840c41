/** The digests of a period (a list) and one digest, in the look of the other pages. */
import type { DigestContent, DigestWindow } from '../../../events/digest/compose';
import type { FeedModelEntry } from '../../../events/projections/feed-entries';
import { developmentPath, digestPath, digestsPath, pagePath, storyPath } from '../../links';
import { day, label, link, paragraphs, when } from './html';
import { renderDocument, type PageFeed } from './layout';

const periodTitle = (period: string) => `${period.charAt(0).toUpperCase()}${period.slice(1)} digest`;
const digestFeed = (period: string): PageFeed => ({ title: `the ${period} digest`, ref: { kind: 'digest', period } });


/** `entries`: the digest feed's items the page shows, newest first. */
export const renderDigestsPage = (period: string, entries: readonly FeedModelEntry[]): string => {
  const items = entries
    .filter((e) => e.kind === 'digest')
    .map((e) => `<li>${link(digestPath(period, e.digestRef?.digestId ?? e.id), label(e.title))}<br><span class="meta">${day(e.published)}</span>${paragraphs(e.summary)}</li>`)
    .join('');
  return renderDocument({
    title: `${periodTitle(period)}s`,
    trail: [{ href: pagePath('home'), text: 'Stories' }],
    feed: digestFeed(period),
    main: `<h1>${label(periodTitle(period))}s</h1>${items ? `<ol class="plain listing">${items}</ol>` : '<p>None yet.</p>'}`,
  });
};

const isWindow = (value: unknown): value is DigestWindow =>
  typeof value === 'object' && value !== null && ['start', 'end', 'timezone'].every((field) => typeof (value as Record<string, unknown>)[field] === 'string');

/**
 * A digest's stored content as its page shows it. The event's schema promises only a record: what
 * the composer wrote is shown as is, and what is missing (a digest composed by another tool or an
 * older version) is left out, its title and summary those of its feed item.
 */
export const digestPageContent = (content: Record<string, unknown> | undefined, item: { title: string; summary: string }, window?: DigestWindow): DigestContent => {
  const stored = content ?? {};
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  return {
    ...stored,
    title: typeof stored.title === 'string' ? stored.title : item.title,
    summary: typeof stored.summary === 'string' ? stored.summary : item.summary,
    ...(isWindow(stored.window) ? { window: stored.window } : window ? { window } : {}),
    stories: list(stored.stories),
    changes: list(stored.changes),
  } as DigestContent;
};

export const renderDigestPage = (period: string, content: DigestContent): string => {
  let main = `<article class="digest"><h1>${label(content.title)}</h1>${paragraphs(content.summary)}`;
  if (isWindow(content.window)) main += `<p class="meta">Developments reported from ${day(content.window.start)} to ${day(content.window.end)} (${label(content.window.timezone)})</p>`;
  for (const story of content.stories) {
    main += `<section><h2>${link(storyPath(story.storyId), label(story.title))}</h2>`;
    for (const topic of story.topics) {
      main += `<h3>${label(topic.topic)}</h3><ul class="plain listing">`;
      for (const d of topic.developments) {
        main += `<li>${link(developmentPath(story.storyId, d.eventId), label(d.headline))}<br><span class="meta">${when(d.occurred)}${d.reportedEarlier ? ` · reported ${day(d.reportedAt)}, added since the last digest` : ''}</span>${paragraphs(d.summary)}</li>`;
      }
      main += '</ul>';
    }
    main += '</section>';
  }
  if (content.changes.length) {
    main += '<section><h2>Corrections and retractions</h2><ul class="plain listing">';
    for (const c of content.changes) {
      main += `<li><strong>${c.kind === 'correction' ? 'Corrected' : 'Retracted'}:</strong> ${link(developmentPath(c.storyId, c.correctedEventId), label(c.headline))} (${label(c.storyTitle)})${paragraphs(c.note)}</li>`;
    }
    main += '</ul></section>';
  }
  main += '</article>';
  return renderDocument({
    title: content.title,
    description: content.summary,
    trail: [
      { href: pagePath('home'), text: 'Stories' },
      { href: digestsPath(period), text: `${periodTitle(period)}s` },
    ],
    feed: digestFeed(period),
    main,
  });
};
