import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parseEvent } from '../../events/catalog/codec';
import { catalog, eventTypes, isDevelopment, type DevelopmentEvent, type DomainEvent, type EventType, type RecordedEvent } from '../../events/catalog/events';
import { ConflictError, DuplicateError, RuleViolationError, ValidationError } from '../../events/errors';
import { entryFromEvent } from '../../events/projections/entry';
import { STORIES_KEY, timelineKey } from '../../events/projections/keys';
import type { StoriesModel } from '../../events/projections/stories';
import type { TimelineModel } from '../../events/projections/story-model';
import { storyStreamId } from '../../events/streams';
import { storyTitle } from '../../events/story/title';
import type { EventStore } from '../adapters/event-store';
import type { ReadModelStore } from '../adapters/read-model-store';
import { HttpError } from '../http/http-errors';
import { actorNames, developmentArticle } from '../render/pages/development';
import type { ProposedEvent, StoryService } from '../story-service';
import { checkPost } from './csrf';
import { mapErrors } from './field-errors';
import type { FieldErrors } from './form-html';
import { deskPath } from '../links';
import { deskDocument, renderChangesSince, renderForm, type DeskForm } from './pages';
import { formOf, htmlPage, requestOrigin } from './request';
import { dataOf, formFields, one, type FormField, type FormValues } from './schema-form';
import { sessionOfCookies, type DeskSession } from './session';

/**
 * What the desk's forms share: the signed-in editor, the CSRF check on every POST, and one way to
 * append what a form describes, through the story service the API uses (same validation, decider,
 * idempotency), with its errors put back beside the fields and everything typed kept.
 */

export interface DeskDeps {
  store: EventStore;
  stories: StoryService;
  readModels: ReadModelStore;
  key: () => Promise<Uint8Array>;
  now: () => Date;
  /** The site's public origin (PUBLIC_BASE_URL), accepted as a form's Origin besides the request's own. */
  publicOrigin?: string;
}

export const nowSeconds = (deps: DeskDeps): number => Math.floor(deps.now().getTime() / 1000);

export const sessionOf = (deps: DeskDeps, event: APIGatewayProxyEventV2): Promise<DeskSession | undefined> => sessionOfCookies(deps.key, event.cookies, nowSeconds(deps));

/** A POST's form, once its session, CSRF token and Origin are checked (403 otherwise). */
export const checkedForm = async (deps: DeskDeps, event: APIGatewayProxyEventV2): Promise<{ session: DeskSession; form: Map<string, string[]> }> => {
  const session = await sessionOf(deps, event);
  const origin = event.headers.origin;
  const own = requestOrigin(event);
  const expected = origin !== undefined && deps.publicOrigin === origin ? origin : own;
  const form = formOf(event);
  return { session: checkPost(session, origin, expected, one(form, 'csrf')), form };
};

export const storyList = async (deps: DeskDeps) => (await deps.readModels.get<StoriesModel>(STORIES_KEY))?.value.stories ?? [];
export const timelineOf = async (deps: DeskDeps, storyId: string): Promise<TimelineModel> => {
  const doc = await deps.readModels.get<TimelineModel>(timelineKey(storyId));
  if (!doc || doc.value.title === '') throw new HttpError(404, 'Not found', `there is no story ${storyId}`);
  return doc.value;
};

/** Waits (a few seconds at most) until the projector has applied a version: the page a redirect leads to then shows it. */
export const projected = async (deps: DeskDeps, storyId: string, version: number): Promise<void> => {
  for (let waited = 0; waited < 5000; waited += 100) {
    const doc = await deps.readModels.get<TimelineModel>(timelineKey(storyId));
    if ((doc?.value.version ?? 0) >= version) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

export const developmentTypes = eventTypes.filter((type) => isDevelopment({ type } as DomainEvent));
export const isDevelopmentType = (type: string): type is DevelopmentEvent['type'] => (developmentTypes as string[]).includes(type);

/** The fields of an event type's data, read from its schema in the catalog. */
export const fieldsOfType = (type: EventType, prefix = 'data'): FormField[] => formFields(catalog[type].schema, prefix);

/** The fields that add an actor to the story with a development (only when some are filled in). */
const actorFields = fieldsOfType('ActorIdentified', 'actor');
export const newActorGroup: FormField = { kind: 'group', name: 'actor', label: 'A new actor in this story, named above by its id', required: false, fields: actorFields };
const addsActor = (values: FormValues): boolean => actorFields.some((f) => one(values, f.name).trim() !== '');

/** The events a form proposes, each with the form prefix of its fields. */
export interface Proposal {
  events: ProposedEvent[];
  prefixes: string[];
}
export const proposalOf = (type: EventType, fields: readonly FormField[], values: FormValues, withActor: boolean): Proposal => {
  const actor = withActor && addsActor(values) ? [{ type: 'ActorIdentified', data: dataOf(actorFields, values) }] : [];
  return { events: [...actor, { type, data: dataOf(fields, values) }], prefixes: [...actor.map(() => 'actor'), 'data'] };
};

/** A preview of a development by the public pages' renderer (validated as an append would be). */
export const previewOf = (storyId: string, story: TimelineModel, proposal: Proposal, at: string): string => {
  const events = proposal.events.map((e, i) => parseEvent(e, `events.${i}`));
  const development = events.find(isDevelopment);
  if (!development) return '';
  const recorded = { ...development, id: 'preview', version: story.version + 1, streamId: storyStreamId(storyId), schemaVersion: 1, recordedAt: at, reportedAt: at, metadata: { subject: '', correlationId: '' } } as RecordedEvent<DevelopmentEvent>;
  const names = actorNames(story);
  for (const e of events) if (e.type === 'ActorIdentified') names.set(e.data.actorId, e.data.name);
  return `<section class="preview" aria-labelledby="preview-title"><h2 id="preview-title">Preview</h2>${developmentArticle(storyId, entryFromEvent(recorded), names, 3)}</section>`;
};

export type Outcome = { ok: true; version: number; ids: { id: string; type: string }[] } | { ok: false; errors: FieldErrors; general: string[]; changes?: RecordedEvent[]; version?: number };

/** Appends what a form proposes at the version the form was opened at; a refusal comes back as errors for the form. */
export const publish = async (deps: DeskDeps, session: DeskSession, storyId: string, fields: readonly FormField[], values: FormValues, proposal: Proposal): Promise<Outcome> => {
  const version = Number(one(values, 'version'));
  const key = one(values, 'idempotencyKey');
  try {
    const result = await deps.stories.append({
      storyId,
      events: proposal.events,
      ...(Number.isInteger(version) && version >= 0 ? { expectedVersion: version } : {}),
      ...(key ? { idempotencyKey: `desk:${key}` } : {}),
      subject: session.subject,
      correlationId: `desk-${randomUUID()}`,
    });
    await projected(deps, storyId, result.version);
    return { ok: true, version: result.version, ids: result.events };
  } catch (error) {
    if (error instanceof ValidationError || error instanceof RuleViolationError) {
      const mapped = mapErrors(error, fields, values, proposal.prefixes);
      return { ok: false, errors: mapped.fields, general: mapped.general };
    }
    if (error instanceof ConflictError) {
      const changes = await deps.store.readStream(storyStreamId(storyId), { after: version });
      return { ok: false, errors: new Map(), general: [], changes, version: error.currentVersion };
    }
    if (error instanceof DuplicateError) return { ok: false, errors: new Map(), general: [error.message] };
    throw error;
  }
};

/** A form page for a story: its fields with what was typed, errors, and a fresh idempotency key. */
export const formPage = (
  title: string,
  storyId: string,
  story: TimelineModel,
  session: DeskSession,
  form: { action: string; fields: readonly FormField[]; values: FormValues; version: number; buttons: DeskForm['buttons']; errors?: FieldErrors; general?: string[]; before?: string },
  status = 200,
): APIGatewayProxyStructuredResultV2 =>
  htmlPage(
    status,
    deskDocument(
      title,
      renderForm({
        action: form.action,
        csrf: session.csrf,
        hidden: { version: String(form.version), idempotencyKey: randomUUID() },
        fields: form.fields,
        context: { values: form.values, errors: form.errors ?? new Map(), actors: story.actors },
        general: form.general ?? [],
        buttons: form.buttons,
        ...(form.before ? { before: form.before } : {}),
      }),
      session,
      [{ href: deskPath('story', { storyId }), text: storyTitle({ storyId, title: story.title }) }],
    ),
  );

/** The page after a refused publication: the errors beside their fields, or (stale version) what changed meanwhile. */
export const refusedPage = (title: string, storyId: string, story: TimelineModel, session: DeskSession, outcome: Extract<Outcome, { ok: false }>, form: Parameters<typeof formPage>[4]) =>
  formPage(
    title,
    storyId,
    story,
    session,
    {
      ...form,
      errors: outcome.errors,
      general: outcome.general,
      ...(outcome.version !== undefined ? { version: outcome.version } : {}),
      ...(outcome.changes ? { before: renderChangesSince(outcome.changes, storyId), buttons: { publish: 'Publish again' } } : {}),
    },
    outcome.changes ? 409 : 422,
  );
