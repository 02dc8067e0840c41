/**
 * A development's own page (the link of its feed items): the development in full, the way back to
 * its story (the page of the story that shows it), and the developments just before and after it
 * in the story's timeline.
 */
import type { TimelineEntry } from '../../../events/projections/entry';
import type { TimelineModel } from '../../../events/projections/timeline';
import type { Visit } from '../../../events/projections/visits';
import { storyTitle } from '../../../events/story/title';
import { developmentPath, pagePath, storyPagePath, storyPath } from '../../links';
import { actorNames, developmentArticle } from './development';
import { label, link, when } from './html';
import { renderDocument } from './layout';
import { storyFeed } from './story';
import { storyPageOf } from './story-pagination';
import { developmentData, visitData } from './structured-data';

/** What a development's page shows. */
export interface DevelopmentSources {
  story: Pick<TimelineModel, 'storyId' | 'title' | 'actors'>;
  entry: TimelineEntry;
  /** The developments just before and after it in the story's timeline. */
  previous?: TimelineEntry;
  next?: TimelineEntry;
  /** The page of the story that shows it (./story-pagination.ts). */
  storyPage: number;
  /** The visit it is a step of, if any. */
  visit?: Visit;
}

/** The development at `index` of a whole timeline, with its neighbours and its story page. */
export const developmentAt = (story: TimelineModel, index: number, visit?: Visit): DevelopmentSources => ({
  story,
  entry: story.entries[index]!,
  ...(index > 0 ? { previous: story.entries[index - 1]! } : {}),
  ...(index + 1 < story.entries.length ? { next: story.entries[index + 1]! } : {}),
  storyPage: storyPageOf(index, story.entries.length),
  ...(visit ? { visit } : {}),
});

export const renderDevelopmentPage = ({ story, entry, previous, next, storyPage, visit }: DevelopmentSources): string => {
  const names = actorNames(story);
  const title = storyTitle(story);
  const neighbour = (other: TimelineEntry | undefined, rel: 'prev' | 'next') => {
    if (!other) return '';
    const text = `<span class="dir">${rel === 'prev' ? 'Before' : 'After'}</span> ${label(other.headline)} (${when(other.occurred)})`;
    return `<li class="${rel}">${link(developmentPath(story.storyId, other.id), text, ` rel="${rel}"`)}</li>`;
  };
  const main =
    developmentArticle(story.storyId, entry, names, 1) +
    `<nav class="neighbours" aria-label="Before and after in this story"><ul>${neighbour(previous, 'prev')}${neighbour(next, 'next')}</ul>` +
    `<p>${link(`${storyPagePath(story.storyId, storyPage)}#${entry.id}`, `The whole story: ${label(title)}`)}</p></nav>`;
  return renderDocument({
    title: entry.headline,
    description: entry.summary,
    trail: [
      { href: pagePath('home'), text: 'Stories' },
      { href: storyPath(story.storyId), text: title },
    ],
    feed: storyFeed(story),
    structuredData: {
      '@context': 'https://schema.org',
      '@graph': [
        { ...developmentData(story.storyId, entry), isPartOf: { '@type': 'NewsArticle', '@id': storyPath(story.storyId), headline: title } },
        ...(visit ? [visitData(visit, names)] : []),
      ],
    },
    main,
  });
};
