import type * as z from 'zod/mini';
import type { RecordedEvent } from '../catalog/events';
import { storyIdOf } from '../streams';
import { STORIES_KEY } from './keys';
import { compareStrings } from './lists';
import { guarded, type Projection, type Versioned } from './projection';
import type { Stories, StorySummary as StorySummarySchema } from './stories-schema';

/** The list of stories (`stories`): each with its title, topics, last applied version and when it last changed. */

export type StorySummary = z.infer<typeof StorySummarySchema>;

/** The stored list: its schema (./stories-schema.ts) and the versions it applied. */
export type StoriesModel = z.infer<typeof Stories> & Versioned;

export const compareSummaries = (a: StorySummary, b: StorySummary): number => compareStrings(b.updatedAt, a.updatedAt) || compareStrings(a.storyId, b.storyId);

const apply = (model: StoriesModel, event: RecordedEvent): StoriesModel => {
  const storyId = storyIdOf(event.streamId);
  if (storyId === undefined) return model;
  const existing = model.stories.find((story) => story.storyId === storyId) ?? { storyId, title: '', summary: '', topics: [], version: 0, updatedAt: '' };
  const opened =
    event.type === 'StoryOpened' ? { title: event.data.title, summary: event.data.summary, topics: event.data.topics } : event.type === 'StoryRevised' ? event.data : {};
  const summary: StorySummary = { ...existing, ...opened, version: event.version, updatedAt: event.recordedAt };
  return { ...model, stories: [...model.stories.filter((story) => story.storyId !== storyId), summary].sort(compareSummaries) };
};

export const initialStories = (): StoriesModel => ({ stories: [], applied: {} });

export const storiesProjection: Projection<StoriesModel> = {
  name: 'stories',
  keysOf: (event) => (storyIdOf(event.streamId) === undefined ? [] : [STORIES_KEY]),
  initial: () => initialStories(),
  evolve: guarded(apply),
};
