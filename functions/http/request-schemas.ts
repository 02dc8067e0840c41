import { EventId, StoryOpened } from '../../events/catalog/events';
import * as z from 'zod/mini';

/**
 * The bodies the write API accepts (functions/handlers/write-api.ts), in a file of their own so that
 * its bundle carries none of the response schemas; ./schemas.ts names them for /openapi.json.
 */

export const OpenStory = z.omit(StoryOpened, { storyId: true });

export const ProposedEventBody = z.strictObject({
  id: z.optional(EventId),
  type: z.string().check(z.minLength(1), z.maxLength(100)),
  data: z.unknown(),
  reportedAt: z.optional(z.string().check(z.maxLength(40))),
});

export const AppendRequest = z.strictObject({
  expectedVersion: z.optional(z.int().check(z.gte(0))),
  events: z.array(ProposedEventBody).check(z.minLength(1)),
});
