import * as z from 'zod/mini';
import { Slug } from '../catalog/development';
import { Instant, Version } from './versioned-schema';

/** The list of stories (./stories.ts projects it). */

export const StorySummary = z.object({
  storyId: Slug,
  title: z.string().check(z.describe('empty until the story is opened')),
  summary: z.string(),
  topics: z.array(z.string()),
  version: Version,
  updatedAt: Instant.check(z.describe('when its last event was recorded')),
});

export const Stories = z.object({ stories: z.array(StorySummary).check(z.describe('most recently updated first, then by id')) });

/** What GET /stories serves of each story. */
export const StoryList = z.object({ stories: z.array(z.pick(StorySummary, { storyId: true, title: true, version: true, updatedAt: true })) });
