import * as z from 'zod/mini';

/**
 * The parts every read-model schema shares (./timeline-schema.ts, ./actors-schema.ts...): what the
 * HTTP API serves of a document is its schema's output, and /openapi.json says so from the same
 * schema (functions/http/schemas.ts). Schemas live in files of their own, beside their projections,
 * so that a bundle that only projects (the feeds, the digests) carries their types and not their code.
 */

/** An ISO 8601 instant, in UTC. */
export const Instant = z.string().check(z.describe('ISO 8601 instant (UTC)'));
export const Version = z.int().check(z.gte(0));

/** An event a projection passed over (unreadable, or one it failed on): see ./unreadable.ts. */
export const PassedOver = z.object({ version: Version, id: z.string(), type: z.string(), recordedAt: Instant, reason: z.string() });
export type PassedOver = z.infer<typeof PassedOver>;

/** A document lists the events it passed over; absent when none. */
export const passedOver = { passedOver: z.optional(z.array(PassedOver)) };
