/**
 * A story's page: title, summary, the timeline in the order things happened (its latest
 * developments, the earlier ones on archive pages: ./story-pagination.ts), and panels for the
 * visits (each with its history), the agreements and pledges, and the actors with their aliases.
 */
import type { AgreementItem, AgreementsModel } from '../../../events/projections/agreements';
import type { StoryActorsModel } from '../../../events/projections/actors';
import type { TimelineModel } from '../../../events/projections/timeline';
import type { Visit, VisitsModel } from '../../../events/projections/visits';
import { storyTitle } from '../../../events/story/title';
import { actorPath, developmentPath, pagePath, storyCalendarPath, storyPagePath, storyPath, subscriptionsPath } from '../../links';
import { actorNames, developmentArticle } from './development';
import { escapeHtml } from '../text';
import { day, label, link, paragraphs, typeLabel, when } from './html';
import { followLinks, renderDocument, type PageFeed } from './layout';
import { neighbourPages, storyPageSpan, type StoryPosition } from './story-pagination';
import { storyData } from './structured-data';

export interface StorySources {
  /** The story, with the developments this page shows as its `entries`. */
  timeline: TimelineModel;
  /** Which page of the story this is; absent: the whole story on one page. */
  position?: StoryPosition;
  visits?: VisitsModel;
  agreements?: AgreementsModel;
  actors?: StoryActorsModel;
}

export const storyFeed = (story: Pick<TimelineModel, 'storyId' | 'title'>): PageFeed => ({ title: storyTitle(story), ref: { kind: 'story', storyId: story.storyId }, follow: 'this story' });

const nameList = (ids: string[], names: Map<string, string>) => ids.map((id) => link(actorPath(id), label(names.get(id) ?? id))).join(', ');

const VISIT_STATUS = { planned: 'Planned', rescheduled: 'Rescheduled', cancelled: 'Cancelled', 'took-place': 'Took place' } as const;

const visitPanel = (storyId: string, visit: Visit, names: Map<string, string>): string => {
  const who = visit.visitors.length ? nameList(visit.visitors, names) : '';
  const title = `${who}${visit.destination ? `${who ? ' to ' : ''}${label(visit.destination)}` : ''}` || label(visit.headline);
  const steps = visit.steps
    .map((step) => {
      const scheduled = step.scheduled ? ` for ${when(step.scheduled)}` : '';
      const reason = step.reason ? `: ${label(step.reason)}` : '';
      const retracted = step.retracted ? ` <span class="badge withdrawn-badge">Withdrawn</span> ${label(step.retracted.reason)}` : '';
      return `<li${step.retracted ? ' class="withdrawn"' : ''}>${link(developmentPath(storyId, step.eventId), typeLabel(step.type))}${scheduled}${reason} <span class="reported">(${when(step.occurred)})</span>${retracted}</li>`;
    })
    .join('');
  return (
    `<article class="visit"><h3>${title}</h3>` +
    `<p class="meta"><span class="badge status-${visit.status}">${VISIT_STATUS[visit.status]}</span>${visit.purpose ? ` · ${label(visit.purpose)}` : ''}</p>` +
    `<ol class="steps">${steps}</ol></article>`
  );
};

const amountText = (item: AgreementItem): string => {
  if (item.amount) {
    const { currency, min, max } = item.amount;
    const n = (v: number) => v.toLocaleString('en-GB');
    return `${currency} ${min === max ? n(min) : `${n(min)}–${n(max)}`}`;
  }
  return item.capacity ? `${item.capacity.value.toLocaleString('en-GB')} ${item.capacity.unit}` : '';
};

const AGREEMENT_STATUS = { signed: 'Signed', pledged: 'Pledged', interest: 'Interest expressed', stalled: 'Stalled' } as const;

const agreementRow = (storyId: string, item: AgreementItem, names: Map<string, string>): string => {
  const amount = amountText(item);
  return (
    `<li${item.retracted ? ' class="withdrawn"' : ''}>${link(developmentPath(storyId, item.eventId), label(item.title))} ` +
    `<span class="badge status-${item.status}">${AGREEMENT_STATUS[item.status]}</span>${item.retracted ? ' <span class="badge withdrawn-badge">Withdrawn</span>' : ''}` +
    `<br><span class="meta">${when(item.occurred)}${item.parties.length ? ` · ${nameList(item.parties, names)}` : ''}${item.sector ? ` · ${label(item.sector)}` : ''}${amount ? ` · ${label(amount)}` : ''}${item.terms ? ` · ${label(item.terms)}` : ''}</span></li>`
  );
};

const actorRow = (actor: StoryActorsModel['actors'][number]): string =>
  `<li>${link(actorPath(actor.actorId), label(actor.name))}${actor.role ? `, ${label(actor.role)}` : ''}${actor.country ? ` (${label(actor.country)})` : ''}` +
  (actor.aliases.length ? `<br><span class="meta">Also spelled: ${actor.aliases.map(label).join(', ')}</span>` : '') +
  '</li>';

/** The digest sign-up for this story: a plain form (no script), posted to the subscriptions endpoint. */
const subscribeForm = (storyId: string, title: string): string =>
  `<section id="subscribe" aria-labelledby="subscribe-heading"><h2 id="subscribe-heading">Get the digest by e-mail</h2>` +
  `<p>A daily or weekly e-mail with what is new in ${label(title)}. You confirm your address first, and every e-mail has a one-click unsubscribe link.</p>` +
  `<form class="subscribe" method="post" action="${escapeHtml(subscriptionsPath)}"><input type="hidden" name="stories" value="${escapeHtml(storyId)}">` +
  `<p><label for="subscribe-email">E-mail address</label> <input id="subscribe-email" name="email" type="email" required autocomplete="email"></p>` +
  `<fieldset><legend>How often</legend><label><input type="radio" name="period" value="weekly" checked> Weekly</label> <label><input type="radio" name="period" value="daily"> Daily</label></fieldset>` +
  `<p><button type="submit">Subscribe</button></p></form></section>`;

/** The story's developments on a page, as a timeline (each links to its permalink page). */
const timelineList = (timeline: TimelineModel, names: Map<string, string>): string =>
  `<ol class="timeline">${timeline.entries.map((entry) => `<li>${developmentArticle(timeline.storyId, entry, names, 3)}</li>`).join('')}</ol>`;

const range = (start: number, end: number) => (end - start === 1 ? `${start + 1}` : `${start + 1}–${end}`);

/**
 * The way between a long story's pages: the earlier and later page (rel=prev/next), then every page
 * by the developments it holds, the one shown marked as the current page.
 */
const pagesNav = (storyId: string, at: StoryPosition): string => {
  const { prev, next } = neighbourPages(at);
  const pages = [...Array.from({ length: at.archivePages }, (_, i) => i + 1), 0].map((page) => {
    const span = storyPageSpan(at.total, page)!;
    const text = `${range(span.start, span.end)}${page === 0 ? ' (latest)' : ''}`;
    return page === at.page ? `<li><span aria-current="page">${text}</span></li>` : `<li>${link(storyPagePath(storyId, page), text)}</li>`;
  });
  return (
    `<nav class="pages" aria-label="Pages of this story"><p>` +
    (prev === undefined ? '' : link(storyPagePath(storyId, prev), 'Earlier developments', ' rel="prev"')) +
    (prev !== undefined && next !== undefined ? ' · ' : '') +
    (next === undefined ? '' : link(storyPagePath(storyId, next), 'Later developments', ' rel="next"')) +
    `</p><ol class="page-list">${pages.join('')}</ol></nav>`
  );
};

const paginationLinks = (storyId: string, at: StoryPosition) => {
  const { prev, next } = neighbourPages(at);
  return { ...(prev === undefined ? {} : { prev: storyPagePath(storyId, prev) }), ...(next === undefined ? {} : { next: storyPagePath(storyId, next) }) };
};

/** An archive page of a long story: its heading, the developments it holds, the way to the other pages. */
const renderArchivePage = (timeline: TimelineModel, at: StoryPosition): string => {
  const { storyId } = timeline;
  const title = storyTitle(timeline);
  const shown = range(at.first, at.first + timeline.entries.length);
  const main =
    `<article class="story"><header><h1>${label(title)}</h1><p class="lede">Developments ${shown} of ${at.total}, in the order they happened.</p>` +
    `<p>${link(storyPath(storyId), 'The story and its latest developments')}</p></header>` +
    `<section id="timeline" aria-labelledby="timeline-heading"><h2 id="timeline-heading">Developments ${shown}</h2>${timelineList(timeline, actorNames(timeline))}</section>` +
    pagesNav(storyId, at) +
    '</article>';
  return renderDocument({
    title: `${title}: developments ${shown}`,
    description: timeline.summary,
    trail: [
      { href: pagePath('home'), text: 'Stories' },
      { href: storyPath(storyId), text: title },
    ],
    feed: storyFeed(timeline),
    structuredData: storyData(timeline, undefined, actorNames(timeline)),
    pagination: paginationLinks(storyId, at),
    main,
  });
};

/**
 * A story's page, or one of its archive pages (`position.page` > 0). `timeline.entries` are the
 * developments the page shows; without `position`, the timeline is the whole story on one page.
 */
export const renderStoryPage = ({ timeline, visits, agreements, actors, position }: StorySources): string => {
  const at = position ?? { page: 0, archivePages: 0, total: timeline.entries.length, first: 0 };
  if (at.page > 0) return renderArchivePage(timeline, at);
  const names = actorNames(timeline);
  const { storyId } = timeline;
  const title = storyTitle(timeline);
  const feed = storyFeed(timeline);
  const panels = [
    ['timeline', 'Timeline', at.total],
    ['visits', 'Visits', visits?.visits.length ?? 0],
    ['agreements', 'Agreements and pledges', agreements?.items.length ?? 0],
    ['actors', 'Who is who', actors?.actors.length ?? 0],
  ] as const;
  let main = `<article class="story"><header><h1>${label(title)}</h1>${paragraphs(timeline.summary)}`;
  main += `<p class="meta">${at.total} development${at.total === 1 ? '' : 's'}${timeline.updatedAt ? ` · updated ${day(timeline.updatedAt)}` : ''}</p>`;
  main += followLinks(feed);
  if (visits?.visits.length) main += `<p class="follow"><span class="follow-label">Its visits in your calendar:</span> ${link(storyCalendarPath(storyId), 'iCalendar', ' type="text/calendar"')}</p>`;
  main += `<nav class="contents" aria-label="On this page"><ul>${panels.filter(([, , n]) => n > 0).map(([id, text]) => `<li><a href="#${id}">${text}</a></li>`).join('')}</ul></nav></header>`;
  main += `<section id="timeline" aria-labelledby="timeline-heading"><h2 id="timeline-heading">Timeline</h2>`;
  if (at.archivePages > 0) main += `<p>The latest ${timeline.entries.length} of ${at.total} developments, in the order they happened; the earlier ones are on the pages below.</p>`;
  main += timeline.entries.length ? timelineList(timeline, names) : '<p>No developments have been reported in this story yet.</p>';
  if (at.archivePages > 0) main += pagesNav(storyId, at);
  main += '</section>';
  if (visits?.visits.length) {
    main += `<section id="visits" aria-labelledby="visits-heading"><h2 id="visits-heading">Visits</h2>${visits.visits.map((v) => visitPanel(storyId, v, names)).join('')}</section>`;
  }
  if (agreements?.items.length) {
    main += `<section id="agreements" aria-labelledby="agreements-heading"><h2 id="agreements-heading">Agreements and pledges</h2><ul class="plain">${agreements.items.map((i) => agreementRow(storyId, i, names)).join('')}</ul></section>`;
  }
  if (actors?.actors.length) {
    main += `<section id="actors" aria-labelledby="actors-heading"><h2 id="actors-heading">Who is who</h2><ul class="plain actors">${actors.actors.map(actorRow).join('')}</ul></section>`;
  }
  main += subscribeForm(storyId, title);
  main += '</article>';
  return renderDocument({
    title,
    description: timeline.summary,
    trail: [{ href: pagePath('home'), text: 'Stories' }],
    feed,
    structuredData: storyData(timeline, visits, names),
    pagination: paginationLinks(storyId, at),
    main,
  });
};
