import { createHash } from 'node:crypto';

/**
 * A UUID derived from a seed (RFC 9562 version 8, from SHA-256): the same seed always gives the
 * same id, which is what makes retried appends and repeated digest firings idempotent.
 */
export const derivedUuid = (seed: string): string => {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};
