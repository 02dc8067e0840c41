/** The home page: the stories, most recently updated first, each with its feeds. */
import type { StorySummary } from '../../../events/projections/stories';
import { DESK_PATHS } from '../../../contracts/routes';
import { opmlPath, storyPath } from '../../links';
import { day, label, link, paragraphs } from './html';
import { followLinks, renderDocument } from './layout';

/** `stories`: those the page shows, most recently updated first; `editor`: the reader is an editor signed in to the desk, who gets a link to it. */
export const renderHomePage = (stories: readonly StorySummary[], { editor = false }: { editor?: boolean } = {}): string => {
  const list = stories.filter((s) => s.title !== '');
  const items = list
    .map(
      (story) =>
        `<li><article><h2>${link(storyPath(story.storyId), label(story.title))}</h2>${paragraphs(story.summary)}` +
        `<p class="meta">Updated ${day(story.updatedAt)}</p>${followLinks({ title: story.title, ref: { kind: 'story', storyId: story.storyId }, follow: 'this story' })}</article></li>`,
    )
    .join('');
  const main =
    `<h1>Storyline</h1><p class="lede">News stories told as what happened, development by development: each with its sources, how sure it is, and every correction.</p>` +
    (items ? `<ol class="stories plain">${items}</ol>` : '<p>No stories yet.</p>') +
    `<p class="follow"><span class="follow-label">Follow everything at once:</span> ${link(opmlPath, 'every feed as OPML', ' type="text/x-opml"')} (import it into a feed reader)</p>` +
    (editor ? `<p class="desk-link">You are signed in as an editor: ${link(DESK_PATHS.desk, 'Desk')}</p>` : '');
  return renderDocument({
    title: 'Storyline',
    description: 'News stories, development by development, with their feeds.',
    feed: { title: 'Storyline: all stories', ref: { kind: 'all' }, follow: 'every story' },
    main,
  });
};
