import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { MAX_EVENTS_PER_APPEND } from '../../functions/adapters/event-store';
import type { StoryService } from '../../functions/story-service';

/**
 * Seeds the first story through the normal append path. Its events have fixed ids, so a second
 * seeding is answered as a repeat and adds nothing. Returns how many events were newly appended.
 */
export const seed = async (service: StoryService): Promise<{ storyId: string; appended: number; version: number }> => {
  let appended = 0;
  let version = 0;
  for (let i = 0; i < seedStory.events.length; i += MAX_EVENTS_PER_APPEND) {
    const batch = seedStory.events.slice(i, i + MAX_EVENTS_PER_APPEND);
    const result = await service.append({
      storyId: seedStory.storyId,
      events: batch.map((event) => ({ ...event, reportedAt: seedStory.reportedAt })),
      subject: 'storyline-seed',
      correlationId: `seed-${seedStory.storyId}`,
    });
    if (!result.repeated) appended += result.events.length;
    version = Math.max(version, result.version);
  }
  return { storyId: seedStory.storyId, appended, version };
};
