import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical';

/** SHA-256 (hex) of a value's canonical JSON: equal values, equal fingerprints, whatever their key order. */
export const fingerprint = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');

/**
 * The one fingerprint of "the same event": its stream, what it says (type and data), and when it was
 * reported if the sender said so. The event store keeps it in each event id's record (a re-sent id
 * with the same fingerprint is a repeat, with another a conflict); the decider recognises a repeated
 * command by it, from what the command proposes (type and data: the same development, whenever it
 * is sent again).
 */
export const eventFingerprint = (streamId: string, event: { type: string; data: unknown; reportedAt?: string | undefined }): string =>
  fingerprint({ streamId, type: event.type, data: event.data, reportedAt: event.reportedAt ?? null });
