import { countsOf, sectionsOf, type DigestContent } from '../../events/digest/compose';
import { followsEverything, type Preferences } from './preferences';

/**
 * A subscriber's part of a digest: the developments of the stories they follow, or with any topic
 * they follow (a development matches when any of its topics does); the corrections and retractions
 * of the stories they follow. Undefined when nothing is left: nothing is sent then.
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
  const changes = content.changes.filter((c) => stories.has(c.storyId));
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
