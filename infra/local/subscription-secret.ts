import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The local stand-in for the Secrets Manager secret that keys subscriber ids and subscription tokens:
 * generated once and kept in the data folder (like the JWT keys), so links in mails in the outbox
 * keep working across restarts.
 */
export const loadOrCreateSubscriptionSecret = (dataDir: string): string => {
  const dir = join(dataDir, 'subscriptions');
  const path = join(dir, 'secret');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(path, 'utf8').trim();
};
