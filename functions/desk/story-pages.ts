import { canonicalJson } from '../../events/canonical';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { storyStreamId } from '../../events/streams';
import { storyTitle } from '../../events/story/title';
import { storyPath } from '../links';
import { link, typeLabel } from '../render/pages/html';
import { checkedForm, developmentTypes, fieldsOfType, publish, refusedPage, storyList, timelineOf, type DeskDeps } from './desk';
import { deskPath } from '../links';
import { deskDocument, renderDevelopments, renderForm, renderStoryList } from './pages';
import { htmlPage, redirect } from './request';
import { dataOf, formFields, one, valuesOf } from './schema-form';
import { StoryOpened } from '../../events/catalog/events';
import type { DeskSession } from './session';
import { randomUUID } from 'node:crypto';

/** The desk's story pages: the list with a form to open a story, and a story's desk with its developments and a form to revise it. */

const openFields = formFields(StoryOpened, 'data');
const reviseFields = fieldsOfType('StoryRevised');

const listPage = async (deps: DeskDeps, session: DeskSession, values = new Map<string, string[]>(), errors: ReadonlyMap<string, string> = new Map(), general: string[] = [], status = 200) =>
  htmlPage(
    status,
    deskDocument(
      'The desk',
      `<h2>Stories</h2>${renderStoryList(await storyList(deps))}<h2>Open a new story</h2>` +
        renderForm({ action: deskPath('stories'), csrf: session.csrf, hidden: { idempotencyKey: randomUUID() }, fields: openFields, context: { values, errors, actors: [] }, general, buttons: { publish: 'Open the story' } }),
      session,
    ),
  );

export const deskHome = (deps: DeskDeps, session: DeskSession) => listPage(deps, session);

export const openStory = async (deps: DeskDeps, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const { session, form } = await checkedForm(deps, event);
  const storyId = one(form, 'data.storyId').trim();
  const outcome = await publish(deps, session, storyId || 'story', openFields, form, { events: [{ type: 'StoryOpened', data: dataOf(openFields, form) }], prefixes: ['data'] });
  if (outcome.ok) return redirect(deskPath('story', { storyId }));
  return listPage(deps, session, form, outcome.errors, outcome.general, 422);
};

export const storyDesk = async (deps: DeskDeps, session: DeskSession, storyId: string, revise?: { values: Map<string, string[]>; errors: ReadonlyMap<string, string>; general: string[] }) => {
  const story = await timelineOf(deps, storyId);
  const { version } = await deps.stories.state(storyId);
  const recordedBy = new Map((await deps.store.readStream(storyStreamId(storyId))).map((e) => [e.id, e.metadata.subject]));
  const adds = developmentTypes.map((type) => `<li>${link(deskPath('add', { storyId, type }), typeLabel(type))}</li>`).join('');
  const main =
    `<p>${link(storyPath(storyId), 'The public page of this story')} · version ${version}</p>` +
    `<h2>Add a development</h2><ul class="plain add-types">${adds}</ul>` +
    `<h2>Developments, newest first</h2>${renderDevelopments(story, recordedBy)}` +
    `<h2>Title, summary and topics</h2>` +
    renderForm({
      action: deskPath('revise', { storyId }),
      csrf: session.csrf,
      hidden: { version: String(version), idempotencyKey: randomUUID() },
      fields: reviseFields,
      context: { values: revise?.values ?? valuesOf(reviseFields, story as unknown as Record<string, unknown>), errors: revise?.errors ?? new Map(), actors: [] },
      general: revise?.general ?? [],
      buttons: { publish: 'Save the changes' },
    });
  return htmlPage(revise ? 422 : 200, deskDocument(storyTitle({ storyId, title: story.title }), main, session));
};

/** Revises a story with the fields the editor changed (only those: a StoryRevised names what changed). */
export const reviseStory = async (deps: DeskDeps, event: APIGatewayProxyEventV2, storyId: string): Promise<APIGatewayProxyStructuredResultV2> => {
  const { session, form } = await checkedForm(deps, event);
  const story = await timelineOf(deps, storyId);
  const data = dataOf(reviseFields, form);
  const before = story as unknown as Record<string, unknown>;
  const changed = Object.fromEntries(Object.entries(data).filter(([name, value]) => canonicalJson(value) !== canonicalJson(before[name])));
  if (Object.keys(changed).length === 0) return redirect(deskPath('story', { storyId }));
  const outcome = await publish(deps, session, storyId, reviseFields, form, { events: [{ type: 'StoryRevised', data: changed }], prefixes: ['data'] });
  if (outcome.ok) return redirect(deskPath('story', { storyId }));
  if (outcome.changes) return refusedPage('Change the title, summary or topics', storyId, story, session, outcome, { action: deskPath('revise', { storyId }), fields: reviseFields, values: form, version: outcome.version ?? 0, buttons: { publish: 'Save the changes' } });
  return storyDesk(deps, session, storyId, { values: form, errors: outcome.errors, general: outcome.general });
};


