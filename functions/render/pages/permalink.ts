/**
 * A development's own page (the link of its feed items): the development in full, the way back to
 * its story, and the developments just before and after it in the story's timeline.
 */
import type { TimelineModel } from '../../../events/projections/timeline';
import type { Visit } from '../../../events/projections/visits';
import { developmentPath, pagePath, storyPath } from '../../links';
import { actorNames, developmentArticle } from './development';
import { label, link, when } from './html';
import { renderDocument } from './layout';
import { storyFeed } from './story';
import { developmentData, visitData } from './structured-data';

/** The page of the development at `index` of the story's timeline; `visit`: the visit it is a step of, if any. */
export const renderDevelopmentPage = (story: TimelineModel, index: number, visit?: Visit): string => {
  const entry = story.entries[index]!;
  const names = actorNames(story);
  const title = story.title || story.storyId;
  const neighbour = (at: number, rel: 'prev' | 'next') => {
    const other = story.entries[at];
    if (!other) return '';
    const text = `<span class="dir">${rel === 'prev' ? 'Before' : 'After'}</span> ${label(other.headline)} (${when(other.occurred)})`;
    return `<li class="${rel}">${link(developmentPath(story.storyId, other.id), text, ` rel="${rel}"`)}</li>`;
  };
  const main =
    developmentArticle(story.storyId, entry, names, 1) +
    `<nav class="neighbours" aria-label="Before and after in this story"><ul>${neighbour(index - 1, 'prev')}${neighbour(index + 1, 'next')}</ul>` +
    `<p>${link(`${storyPath(story.storyId)}#${entry.id}`, `The whole story: ${label(title)}`)}</p></nav>`;
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
