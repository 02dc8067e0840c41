import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The durable queue of hub pings (one message per hub and feed URL): SQS in AWS, a folder on disk
 * locally. A message is removed only once its hub accepted the ping: at least once.
 */
export interface Ping {
  hub: string;
  /** The feed URL that changed (hub.url). */
  url: string;
  /** Failed deliveries so far. */
  attempts: number;
  /** Not to be tried before this instant (ms since the epoch): the backoff. */
  notBefore: number;
}

/** What the projector needs of the queue: putting pings in (SQS in AWS, the folder locally). */
export interface PingSender {
  send(pings: Pick<Ping, 'hub' | 'url'>[]): Promise<void>;
}

/** The local queue, which the local pinger also polls and settles (in AWS the SQS event source does that). */
export interface PingQueue extends PingSender {
  /** The pings due at `now`, each with a receipt to settle it by. */
  due(now: number, max: number): Promise<{ ping: Ping; receipt: string }[]>;
  delivered(receipt: string): Promise<void>;
  retryLater(receipt: string, ping: Ping): Promise<void>;
  deadLetter(receipt: string, ping: Ping, reason: string): Promise<void>;
}

/** The local queue: `pending/<id>.json` per ping, moved to `dead/` after its last try. Writes are renamed into place, so a crash leaves no half message. */
export const folderPingQueue = (dir: string): PingQueue => {
  const pending = join(dir, 'pending');
  const dead = join(dir, 'dead');
  const ready = Promise.all([mkdir(pending, { recursive: true }), mkdir(dead, { recursive: true })]);
  const write = async (file: string, value: unknown) => {
    const temporary = `${file}.${randomUUID()}.tmp`;
    await writeFile(temporary, JSON.stringify(value));
    await rename(temporary, file);
  };
  return {
    send: async (pings) => {
      await ready;
      await Promise.all(pings.map((ping) => write(join(pending, `${Date.now()}-${randomUUID()}.json`), { ...ping, attempts: 0, notBefore: 0 })));
    },
    due: async (now, max) => {
      await ready;
      const names = (await readdir(pending)).filter((name) => name.endsWith('.json')).sort();
      const found: { ping: Ping; receipt: string }[] = [];
      for (const name of names) {
        if (found.length >= max) break;
        const ping = JSON.parse(await readFile(join(pending, name), 'utf8').catch(() => 'null')) as Ping | null;
        if (ping && ping.notBefore <= now) found.push({ ping, receipt: name });
      }
      return found;
    },
    delivered: (receipt) => rm(join(pending, receipt), { force: true }),
    retryLater: (receipt, ping) => write(join(pending, receipt), ping),
    deadLetter: async (receipt, ping, reason) => {
      await write(join(dead, receipt), { ...ping, reason });
      await rm(join(pending, receipt), { force: true });
    },
  };
};
