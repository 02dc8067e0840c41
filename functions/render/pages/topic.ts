/** A topic's page: its latest developments across stories, newest reported first, from the topic's feed. */
import type { FeedModelEntry } from '../../../events/projections/feed-entries';
import { storyTitle } from '../../../events/story/title';
import { developmentPath, pagePath, storyPath } from '../../links';
import { label, link, typeLabel, when } from './html';
import { renderDocument } from './layout';

/** `entries`: the topic feed's items the page shows; `titles`: the titles of their stories. */
export const renderTopicPage = (topic: string, entries: readonly FeedModelEntry[], titles: ReadonlyMap<string, string>): string => {
  const items = entries
    .filter((e) => e.kind === 'development')
    .map(
      (e) =>
        `<li${e.withdrawn ? ' class="withdrawn"' : ''}>${link(developmentPath(e.storyId, e.id), label(e.title))}` +
        `${e.withdrawn ? ' <span class="badge withdrawn-badge">Withdrawn</span>' : ''}<br><span class="meta">${e.occurred ? `${when(e.occurred)} · ` : ''}${typeLabel(e.eventType)} · ${link(storyPath(e.storyId), label(storyTitle({ storyId: e.storyId, title: titles.get(e.storyId) })))}</span></li>`,
    )
    .join('');
  const main =
    `<h1>Topic: ${label(topic)}</h1><section aria-labelledby="developments-heading"><h2 id="developments-heading">Latest developments, newest first</h2>` +
    (items ? `<ol class="plain listing">${items}</ol>` : '<p>None yet.</p>') +
    '</section>';
  return renderDocument({
    title: `Topic: ${topic}`,
    description: `Developments about ${topic}.`,
    trail: [{ href: pagePath('home'), text: 'Stories' }],
    feed: { title: `the topic ${topic}`, ref: { kind: 'topic', topic } },
    main,
  });
};
