import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Local stand-ins for the Secrets Manager secrets: each generated once and kept in the data folder
 * (like the JWT keys), so that links in mails in the outbox, and desk sessions and sign-in links,
 * keep working across restarts.
 */
export const loadOrCreateSecret = (dataDir: string, folder: string): string => {
  const dir = join(dataDir, folder);
  const path = join(dir, 'secret');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(path, 'utf8').trim();
};

/** The key of subscriber ids and subscription tokens. */
export const loadOrCreateSubscriptionSecret = (dataDir: string): string => loadOrCreateSecret(dataDir, 'subscriptions');

/** The key of desk sessions and sign-in links. */
export const loadOrCreateDeskSecret = (dataDir: string): string => loadOrCreateSecret(dataDir, 'desk');
