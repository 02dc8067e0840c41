import type { RecordedEvent } from '../../events/catalog/events';
import type { StorySummary } from '../../events/projections/stories';
import type { TimelineEntry } from '../../events/projections/entry';
import type { TimelineModel } from '../../events/projections/story-model';
import { storyTitle } from '../../events/story/title';
import { developmentPath, pagePath, storyPath } from '../links';
import { escapeHtml } from '../render/text';
import { day, label, link, typeLabel, when } from '../render/pages/html';
import { renderDocument } from '../render/pages/layout';
import { actorList, errorSummary, renderField, type FormContext } from './form-html';
import { deskPath } from '../links';
import type { FormField } from './schema-form';

/**
 * The desk's pages, in the layout of the public pages (one stylesheet, no script). Every form posts
 * to the desk with the session's CSRF token, the story's version and an idempotency key.
 */

export interface DeskForm {
  action: string;
  csrf: string;
  /** Hidden fields: the story's version, the submission's idempotency key... */
  hidden: Record<string, string>;
  fields: readonly FormField[];
  context: FormContext;
  general?: readonly string[];
  /** Submit buttons: value of `action` → text. */
  buttons: Record<string, string>;
  /** Shown above the fields (a preview, what changed meanwhile). */
  before?: string;
}

const hiddenInputs = (values: Record<string, string>): string =>
  Object.entries(values)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');

export const renderForm = (form: DeskForm): string =>
  errorSummary(form.context.errors, form.general) +
  (form.before ?? '') +
  `<form method="post" action="${escapeHtml(form.action)}" novalidate>` +
  hiddenInputs({ csrf: form.csrf, ...form.hidden }) +
  actorList(form.context) +
  form.fields.map((field) => renderField(field, form.context)).join('') +
  `<div class="buttons">${Object.entries(form.buttons)
    .map(([value, text]) => `<button type="submit" name="action" value="${escapeHtml(value)}">${escapeHtml(text)}</button>`)
    .join(' ')}</div></form>`;

/** Who is signed in, and the way out. */
const signedInAs = (subject: string, csrf: string): string =>
  `<form method="post" action="${deskPath('signOut')}" class="signed-in"><p>Signed in as ${label(subject)}. <input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><button type="submit">Sign out</button></p></form>`;

export const deskDocument = (title: string, main: string, session: { subject: string; csrf: string } | undefined, trail: { href: string; text: string }[] = []): string =>
  renderDocument({
    title,
    trail: [{ href: pagePath('home'), text: 'Stories' }, ...(session ? [{ href: deskPath('desk'), text: 'Desk' }] : []), ...trail],
    main: `${session ? signedInAs(session.subject, session.csrf) : ''}<h1>${label(title)}</h1>${main}`,
  });

export const renderStoryList = (stories: readonly StorySummary[]): string =>
  stories.length === 0
    ? '<p>No stories yet.</p>'
    : `<ul class="plain">${stories.map((s) => `<li>${link(deskPath('story', { storyId: s.storyId }), label(storyTitle(s)))} <span class="meta">(${escapeHtml(s.storyId)}, version ${s.version}, updated ${day(s.updatedAt)})</span></li>`).join('')}</ul>`;

const entryStatus = (entry: TimelineEntry): string =>
  entry.retracted ? ' <strong>Withdrawn</strong>' : entry.corrections.length ? ` <strong>Corrected ${entry.corrections.length}×</strong>` : '';

/** A story's developments, newest first, with who recorded each and the ways to correct or retract it. */
export const renderDevelopments = (story: TimelineModel, recordedBy: ReadonlyMap<string, string>): string => {
  const entries = [...story.entries].sort((a, b) => b.version - a.version);
  if (entries.length === 0) return '<p>No developments yet.</p>';
  const items = entries.map((entry) => {
    const actions = entry.retracted
      ? ''
      : `<li>${link(deskPath('correct', { storyId: story.storyId, eventId: entry.id }), `Correct “${label(entry.headline)}”`)}</li>` +
        `<li>${link(deskPath('retract', { storyId: story.storyId, eventId: entry.id }), `Retract “${label(entry.headline)}”`)}</li>`;
    return (
      `<li class="desk-entry"><h3>${link(developmentPath(story.storyId, entry.id), label(entry.headline))}${entryStatus(entry)}</h3>` +
      `<p class="meta">${when(entry.occurred)} · ${typeLabel(entry.type)} · recorded ${day(entry.recordedAt)} by ${label(recordedBy.get(entry.id) ?? 'unknown')}</p>` +
      (actions ? `<ul class="actions">${actions}</ul>` : '') +
      `</li>`
    );
  });
  return `<ol class="plain desk-developments">${items.join('')}</ol>`;
};

/** The changes recorded since a form was opened: shown when its version is stale. */
export const renderChangesSince = (events: readonly RecordedEvent[], storyId: string): string =>
  `<section class="conflict" aria-labelledby="conflict-title"><h2 id="conflict-title">The story changed while you were writing</h2>` +
  `<p>Someone else recorded ${events.length} change${events.length === 1 ? '' : 's'} since you opened this form. Nothing of yours was published. Read them, then publish again if yours still holds.</p>` +
  `<ul>${events
    .map((e) => `<li>Version ${e.version}: ${typeLabel(e.type)}${'headline' in e.data ? ` — ${label(e.data.headline)}` : ''} (by ${label(e.metadata.subject)})</li>`)
    .join('')}</ul><p>${link(storyPath(storyId), 'The story as it is now')}</p></section>`;
