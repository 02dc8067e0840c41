import type { Ping, PingQueue } from './ping-queue';

/**
 * Delivers hub pings as common hubs accept them (PubSubHubbub 0.4: a form-encoded POST of
 * hub.mode=publish and hub.url=<feed URL>; WebSub leaves this step to the hub). A failure (an
 * error status, no answer within the timeout) is retried with exponential backoff; after
 * `maxAttempts` tries the ping is dead-lettered. It runs beside the projector, never in it.
 */

export interface PingerOptions {
  maxAttempts: number;
  /** The first retry waits this long; each next one twice as long, up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
}

export const DEFAULT_PINGER_OPTIONS: PingerOptions = { maxAttempts: 6, baseBackoffMs: 1000, maxBackoffMs: 5 * 60_000, timeoutMs: 10_000 };

export const backoffMs = (attempts: number, options: PingerOptions): number => Math.min(options.maxBackoffMs, options.baseBackoffMs * 2 ** Math.max(0, attempts - 1));

/** One publish ping; throws when the hub does not accept it (2xx). */
export const sendPing = async (ping: Pick<Ping, 'hub' | 'url'>, timeoutMs: number): Promise<void> => {
  const response = await fetch(ping.hub, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': ping.url }).toString(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status >= 300) throw new Error(`hub answered ${response.status}`);
};

export type PingOutcome = 'delivered' | 'retry' | 'dead-lettered';

/** Sends the pings due now, in parallel, and settles each in the queue. */
export const deliverDue = async (queue: PingQueue, options: PingerOptions = DEFAULT_PINGER_OPTIONS, now: () => number = Date.now): Promise<PingOutcome[]> => {
  const due = await queue.due(now(), 50);
  return Promise.all(
    due.map(async ({ ping, receipt }): Promise<PingOutcome> => {
      try {
        await sendPing(ping, options.timeoutMs);
        await queue.delivered(receipt);
        return 'delivered';
      } catch (error) {
        const attempts = ping.attempts + 1;
        if (attempts >= options.maxAttempts) {
          await queue.deadLetter(receipt, { ...ping, attempts }, error instanceof Error ? error.message : String(error));
          return 'dead-lettered';
        }
        await queue.retryLater(receipt, { ...ping, attempts, notBefore: now() + backoffMs(attempts, options) });
        return 'retry';
      }
    }),
  );
};
