import * as z from 'zod';
import { Slug } from '../../events/catalog/development';
import { EventId, StoryOpened } from '../../events/catalog/events';

/** Request and response bodies of the HTTP API; /openapi.json is generated from these and functions/http/routes.ts. */

export const OpenStory = StoryOpened.omit({ storyId: true });

export const ProposedEventBody = z
  .object({
    id: EventId.optional(),
    type: z.string().min(1).max(100),
    data: z.unknown(),
    reportedAt: z.string().max(40).optional(),
  })
  .strict();

export const AppendRequest = z
  .object({
    expectedVersion: z.number().int().min(0).optional(),
    events: z.array(ProposedEventBody).min(1),
  })
  .strict();

export const AppendResult = z.object({
  storyId: Slug,
  version: z.number().int(),
  events: z.array(z.object({ id: EventId, version: z.number().int(), type: z.string() })),
});

export const Health = z.object({ status: z.literal('ok') });

export const StoryList = z.object({
  stories: z.array(z.object({ storyId: Slug, title: z.string(), version: z.number().int(), updatedAt: z.string() })),
});

export const EventPage = z.object({
  storyId: Slug,
  events: z.array(
    z.object({
      version: z.number().int(),
      id: EventId,
      type: z.string(),
      schemaVersion: z.number().int(),
      recordedAt: z.string(),
      reportedAt: z.string(),
      data: z.unknown(),
      metadata: z.object({ subject: z.string(), correlationId: z.string(), idempotencyKey: z.string().optional() }),
    }),
  ),
  next: z.string().optional(),
});

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  currentVersion: z.number().int().optional(),
  rule: z.string().optional(),
  requestId: z.string().optional(),
});

export const schemas: Record<string, z.ZodType> = { OpenStory, AppendRequest, AppendResult, Health, StoryList, EventPage, Problem };
