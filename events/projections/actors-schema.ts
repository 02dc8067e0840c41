import * as z from 'zod/mini';
import { DateSpan, Slug } from '../catalog/development';
import { ActorIdentified, developmentTypes, EventId } from '../catalog/events';
import { Instant, passedOver, Version } from './versioned-schema';

/** An actor across stories, and the actors of one story (./actors.ts projects them). */

const ActorKind = ActorIdentified.shape.kind;

export const ActorDevelopment = z.object({
  storyId: Slug,
  eventId: EventId,
  version: Version,
  type: z.enum(developmentTypes),
  headline: z.string(),
  occurred: DateSpan,
  reportedAt: Instant,
  retracted: z.boolean(),
});

const profile = {
  actorId: Slug,
  name: z.string(),
  aliases: z.array(z.string()).check(z.describe('every other name it is known by (in any story), e.g. "Kiani" for "Kayani"')),
  kind: z.optional(ActorKind),
  role: z.optional(z.string()),
  country: z.optional(z.string()),
  developments: z.array(ActorDevelopment).check(z.describe('ordered by when they occurred, then story, then version')),
};

export const ActorProfile = z.object(profile);

export const Identification = z.object({
  storyId: Slug,
  eventId: EventId,
  version: Version,
  recordedAt: Instant,
  name: z.string(),
  aliases: z.array(z.string()),
  kind: ActorKind,
  role: z.optional(z.string()),
  country: z.optional(z.string()),
});

/** `actor/<id>`: the actor across stories; name, kind, role and country come from its earliest identification. */
export const Actor = z.object({
  doc: z.literal('actor'),
  ...profile,
  identifications: z.array(Identification).check(z.describe('earliest recorded first')),
  stories: z.array(Slug).check(z.describe('the stories it appears in, sorted')),
  ...passedOver,
});

/** `story/<id>/actors`: the actors identified in one story, in the order they were identified. */
export const StoryActors = z.object({ doc: z.literal('story-actors'), storyId: Slug, actors: z.array(ActorProfile), ...passedOver });
