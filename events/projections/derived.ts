import { compareDevelopments, developmentOf, initialStoryActors, type ActorProfile, type StoryActorsModel } from './actors';
import { entryActors, everActors, type TimelineEntry } from './entry';
import { storyActorsKey, storyIdOfKey, timelineKey } from './keys';
import type { TimelineModel } from './story-model';

/**
 * Read models that are a function of one stored document, so they are not stored: a reader gets
 * them from it (functions/adapters/read-model-store.ts derives them on read), and a batch that
 * changes the source changes them with no write of their own. The actors of a story
 * (`story/<id>/actors`) are made from its timeline, as the actors projection defines them.
 */

/** The document a derived key is made from, or undefined when the key names a stored document. */
export const derivedFrom = (key: string): string | undefined => {
  const storyId = storyIdOfKey(key);
  return storyId !== undefined && key === storyActorsKey(storyId) ? timelineKey(storyId) : undefined;
};

/** The last version of the story that changed the development. */
export const lastTouched = (entry: TimelineEntry): number => Math.max(entry.version, ...entry.corrections.map((c) => c.version), entry.retracted?.version ?? 0);

/**
 * The actors identified in a story, each with the developments that involve it now and that the
 * story changed after it identified the actor (what the actors projection holds: a development is
 * listed, updated or removed when an event changes it). Undefined when no event of the story named
 * an actor.
 */
export const storyActorsOf = (story: TimelineModel): StoryActorsModel | undefined => {
  if (story.actors.length === 0 && !story.entries.some((entry) => everActors(entry).length > 0)) return undefined;
  const actors: ActorProfile[] = [];
  for (const actor of story.actors) {
    if (actors.some((known) => known.actorId === actor.actorId)) continue;
    const { actorId, name, aliases, kind, role, country } = actor;
    const developments = story.entries
      .filter((entry) => lastTouched(entry) > actor.version && entryActors(entry).includes(actorId))
      .map((entry) => developmentOf(story.storyId, entry))
      .sort(compareDevelopments);
    actors.push({ actorId, name, aliases, kind, ...(role !== undefined ? { role } : {}), ...(country !== undefined ? { country } : {}), developments });
  }
  return { ...initialStoryActors(story.storyId), actors };
};

/** A derived document from its source's value (undefined when there is none). */
export const derive = (_key: string, source: unknown): unknown => (source === undefined ? undefined : storyActorsOf(source as TimelineModel));
