import { createHash } from 'node:crypto';

/**
 * The hash of a document's bytes, for strong ETags and for telling whether a stored rendering
 * changed: SHA-256 in base64url, cut to 27 characters (160 bits).
 */
export const contentHash = (body: string): string => createHash('sha256').update(body).digest('base64url').slice(0, 27);
