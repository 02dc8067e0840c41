import type * as z from 'zod/mini';
import type { EventOf, RecordedEvent } from '../catalog/events';
import { actorRefs } from '../catalog/actor-refs';
import { storyIdOf } from '../streams';
import { compareOccurred, entryActors, everActors, type TimelineEntry } from './entry';
import type { Actor, ActorDevelopment as ActorDevelopmentSchema, ActorProfile as ActorProfileSchema, Identification as IdentificationSchema, StoryActors } from './actors-schema';
import { actorIdOfKey, actorKey, storyActorsKey, storyIdOfKey } from './keys';
import { compareStrings, insertSorted, unique, upsertSorted } from './lists';
import { guarded, type Projection, type Versioned } from './projection';
import { affectedEntry, entryById, type StoryActor, type TimelineModel } from './timeline';

/**
 * Actors: one document per actor across stories (`actor/<id>`), and one per story listing the
 * actors identified in it (`story/<id>/actors`), each with the developments that involve them.
 * A correction that removes an actor from a development removes the development from that actor.
 */

export type ActorDevelopment = z.infer<typeof ActorDevelopmentSchema>;
export type ActorProfile = z.infer<typeof ActorProfileSchema>;
export type Identification = z.infer<typeof IdentificationSchema>;

/** The stored documents: their schemas (./actors-schema.ts) and the versions applied. */
export type ActorModel = z.infer<typeof Actor> & Versioned;
export type StoryActorsModel = z.infer<typeof StoryActors> & Versioned;

export type ActorsDocument = ActorModel | StoryActorsModel;

export const compareDevelopments = (a: ActorDevelopment, b: ActorDevelopment): number =>
  compareOccurred(a.occurred, b.occurred) || compareStrings(a.storyId, b.storyId) || a.version - b.version;

export const compareIdentifications = (a: Identification, b: Identification): number =>
  compareStrings(a.recordedAt, b.recordedAt) || compareStrings(a.storyId, b.storyId) || a.version - b.version;

export const developmentOf = (storyId: string, entry: TimelineEntry): ActorDevelopment => ({
  storyId,
  eventId: entry.id,
  version: entry.version,
  type: entry.type,
  headline: entry.headline,
  occurred: entry.occurred,
  reportedAt: entry.reportedAt,
  retracted: entry.retracted !== undefined,
});

/** The profile with this development added, updated, or (when it no longer involves the actor) removed. */
const withDevelopment = <P extends ActorProfile>(profile: P, storyId: string, entry: TimelineEntry, isNew: boolean): P => {
  const same = (d: ActorDevelopment) => d.storyId === storyId && d.eventId === entry.id;
  const involved = entryActors(entry).includes(profile.actorId);
  // a development just recorded is in no list yet: insert it without looking for an older copy
  const developments = involved
    ? isNew
      ? insertSorted(profile.developments, developmentOf(storyId, entry), compareDevelopments)
      : upsertSorted(profile.developments, developmentOf(storyId, entry), same, compareDevelopments)
    : isNew
      ? profile.developments
      : profile.developments.filter((d) => !same(d));
  return developments === profile.developments ? profile : { ...profile, developments };
};

export const profileFields = (identification: Identification | undefined, names: string[]) => {
  if (!identification) return {};
  const { name, kind, role, country } = identification;
  return {
    name,
    aliases: unique(names).filter((alias) => alias !== name),
    kind,
    ...(role !== undefined ? { role } : {}),
    ...(country !== undefined ? { country } : {}),
  };
};

const identify = (model: ActorModel, identification: Identification): ActorModel => {
  const identifications = upsertSorted(model.identifications, identification, (i) => i.eventId === identification.eventId, compareIdentifications);
  const { name: _name, aliases: _aliases, kind: _kind, role: _role, country: _country, ...rest } = model;
  return {
    ...rest,
    name: model.actorId,
    aliases: [],
    ...profileFields(
      identifications[0],
      identifications.flatMap((i) => [i.name, ...i.aliases]),
    ),
    identifications,
    stories: unique([...model.stories, identification.storyId]).sort(compareStrings),
  };
};

/** An identification as the actor's document keeps it, from the story's record of it. */
export const identificationIn = (storyId: string, actor: StoryActor): Identification => {
  const { name, aliases, kind, role, country } = actor;
  return {
    storyId,
    eventId: actor.eventId,
    version: actor.version,
    recordedAt: actor.recordedAt,
    name,
    aliases,
    kind,
    ...(role !== undefined ? { role } : {}),
    ...(country !== undefined ? { country } : {}),
  };
};

const identificationOf = (event: RecordedEvent<EventOf<'ActorIdentified'>>, storyId: string): Identification =>
  identificationIn(storyId, { ...event.data, eventId: event.id, version: event.version, recordedAt: event.recordedAt });

const applyToActor = (model: ActorModel, event: RecordedEvent, story: TimelineModel | undefined): ActorModel => {
  const storyId = storyIdOf(event.streamId);
  if (storyId === undefined) return model;
  if (event.type === 'ActorIdentified') return event.data.actorId === model.actorId ? identify(model, identificationOf(event, storyId)) : model;
  const entry = affectedEntry(story, event);
  if (!entry) return model;
  const isNew = entry.id === event.id;
  const next = withDevelopment(model, storyId, entry, isNew);
  const involved = isNew ? next !== model || model.stories.includes(storyId) : next.developments.some((d) => d.storyId === storyId);
  const stories = involved ? (model.stories.includes(storyId) ? model.stories : unique([...model.stories, storyId]).sort(compareStrings)) : model.stories;
  return { ...next, stories };
};

const applyToStory = (model: StoryActorsModel, event: RecordedEvent, story: TimelineModel | undefined): StoryActorsModel => {
  if (event.type === 'ActorIdentified') {
    if (model.actors.some((actor) => actor.actorId === event.data.actorId)) return model;
    const { actorId, name, aliases, kind, role, country } = event.data;
    const profile: ActorProfile = {
      actorId,
      name,
      aliases,
      kind,
      ...(role !== undefined ? { role } : {}),
      ...(country !== undefined ? { country } : {}),
      developments: [],
    };
    return { ...model, actors: [...model.actors, profile] };
  }
  const entry = affectedEntry(story, event);
  if (!entry) return model;
  return { ...model, actors: model.actors.map((profile) => withDevelopment(profile, model.storyId, entry, entry.id === event.id)) };
};

export const initialActor = (actorId: string): ActorModel => ({
  doc: 'actor',
  actorId,
  name: actorId,
  aliases: [],
  developments: [],
  identifications: [],
  stories: [],
  applied: {},
});

export const initialStoryActors = (storyId: string): StoryActorsModel => ({ doc: 'story-actors', storyId, actors: [], applied: {} });

/** The actors whose documents an event changes. */
const actorsTouched = (event: RecordedEvent, story: TimelineModel | undefined): string[] => {
  switch (event.type) {
    case 'ActorIdentified':
      return [event.data.actorId];
    case 'DevelopmentCorrected':
    case 'DevelopmentRetracted': {
      const target = story ? entryById(story, event.data.eventId) : undefined;
      return unique([...(target ? everActors(target) : []), ...actorRefs(event)]);
    }
    default:
      return unique(actorRefs(event));
  }
};

export const actorsProjection: Projection<ActorsDocument> = {
  name: 'actors',
  keysOf: (event, story) => {
    const storyId = storyIdOf(event.streamId);
    if (storyId === undefined) return [];
    const actors = actorsTouched(event, story);
    return actors.length === 0 ? [] : [storyActorsKey(storyId), ...actors.map(actorKey)];
  },
  initial: (key) => {
    const actorId = actorIdOfKey(key);
    return actorId !== undefined ? initialActor(actorId) : initialStoryActors(storyIdOfKey(key) ?? '');
  },
  evolve: guarded((model: ActorsDocument, event, story): ActorsDocument =>
    model.doc === 'actor' ? applyToActor(model, event, story) : applyToStory(model, event, story),
  ),
};
