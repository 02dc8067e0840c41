import { countsOf, sectionsOf, type DigestContent } from '../../events/digest/compose';
import { followsEverything, type Preferences } from './preferences';

/**
 * A subscriber's part of a digest: the developments of the stories they follow, or with any topic
 * they follow (a development matches when any of its topics does); the corrections and retractions
 * of what they follow: of the stories they follow, or of a development with a topic they follow.
 * Undefined when nothing is left: nothing is sent then.
 */
export const narrowDigest = (content: DigestContent, follows: Pick<Preferences, 'stories' | 'topics'>): DigestContent | undefined => {
  if (followsEverything(follows)) return content;
  const stories = new Set(follows.stories);
  const topics = new Set(follows.topics);
  const kept = content.stories
    .map((story) => ({
      ...story,
      topics: story.topics
        .map((group) => ({
          ...group,
          // a digest composed before developments carried their topics knows only the one they are listed under
          developments: group.developments.filter((d) => stories.has(story.storyId) || (d.topics ?? [group.topic]).some((t) => topics.has(t))),
        }))
        .filter((group) => group.developments.length),
    }))
    .filter((story) => story.topics.length);
  // a digest composed before changes carried their topics: those of the development, when this digest lists it
  const listed = new Map(content.stories.flatMap((story) => story.topics.flatMap((group) => group.developments.map((d) => [d.eventId, d.topics ?? [group.topic]] as const))));
  const changes = content.changes.filter((c) => stories.has(c.storyId) || (c.topics ?? listed.get(c.correctedEventId) ?? []).some((t) => topics.has(t)));
  if (!kept.length && !changes.length) return undefined;
  const counts = countsOf(kept, changes);
  const followed = [...follows.stories, ...follows.topics].join(', ');
  return {
    ...content,
    stories: kept,
    changes,
    counts,
    summary: `${counts.developments} of ${content.counts.developments} developments and ${changes.length} of ${content.changes.length} corrections or retractions: the part you follow (${followed}). ${content.summary}`,
    sections: sectionsOf(kept, changes),
  };
};
