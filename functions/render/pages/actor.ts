/** An actor's page: who they are, the names they are also known by, and their latest developments across stories. */
import type { ActorProfile } from '../../../events/projections/actors';
import { storyTitle } from '../../../events/story/title';
import { developmentPath, pagePath, storyPath } from '../../links';
import { label, link, typeLabel, when } from './html';
import { renderDocument } from './layout';

/** `actor.developments`: those the page shows, newest first; `titles`: the titles of their stories. */
export const renderActorPage = (actor: ActorProfile, titles: ReadonlyMap<string, string>): string => {
  const facts = [actor.role, actor.country].filter((f): f is string => Boolean(f)).map(label).join(', ');
  const developments = actor.developments
    .map(
      (d) =>
        `<li${d.retracted ? ' class="withdrawn"' : ''}>${link(developmentPath(d.storyId, d.eventId), label(d.headline))}` +
        `${d.retracted ? ' <span class="badge withdrawn-badge">Withdrawn</span>' : ''}<br><span class="meta">${when(d.occurred)} · ${typeLabel(d.type)} · ${link(storyPath(d.storyId), label(storyTitle({ storyId: d.storyId, title: titles.get(d.storyId) })))}</span></li>`,
    )
    .join('');
  const main =
    `<h1>${label(actor.name)}</h1>` +
    (facts ? `<p class="lede">${facts}</p>` : '') +
    (actor.aliases.length ? `<p>Also spelled: ${actor.aliases.map(label).join(', ')}</p>` : '') +
    `<section aria-labelledby="developments-heading"><h2 id="developments-heading">Latest developments</h2>` +
    (developments ? `<ol class="plain listing">${developments}</ol>` : '<p>None yet.</p>') +
    '</section>';
  return renderDocument({
    title: actor.name,
    description: `Developments involving ${actor.name}.`,
    trail: [{ href: pagePath('home'), text: 'Stories' }],
    feed: { title: actor.name, ref: { kind: 'actor', actorId: actor.actorId }, follow: actor.name },
    main,
  });
};
