import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nextFiring } from '../../events/digest/schedule-time';
import type { DigestFiring, DigestSchedule } from '../../contracts/schedules';

/**
 * Does locally what EventBridge Scheduler does for the digest schedules: fires each at its cron
 * time in its timezone with `{ period, scheduledTime, timezone }`, retries a failed firing with backoff
 * (retry policy), then writes it to a dead-letter folder.
 *
 * Where it differs from AWS: firings missed while `npm start` was not running are not made up
 * (EventBridge would not fire them either; run `npx storyline digest --at` for a past window);
 * no flexible time window.
 */

export type DigestTarget = (input: DigestFiring) => Promise<unknown>;

export interface Scheduler {
  stop(): void;
  next(): { period: string; at: string }[];
}

export const startScheduler = ({
  schedules,
  target,
  deadLetterDir,
  maxRetries = 3,
  now = () => Date.now(),
  log = () => undefined,
}: {
  schedules: DigestSchedule[];
  target: DigestTarget;
  deadLetterDir: string;
  maxRetries?: number;
  now?: () => number;
  log?: (line: string) => void;
}): Scheduler => {
  const timers = new Map<string, NodeJS.Timeout>();
  const upcoming = new Map<string, number>();
  let stopped = false;

  const fire = async (schedule: DigestSchedule, at: number) => {
    const input: DigestFiring = { period: schedule.period, scheduledTime: new Date(at).toISOString(), timezone: schedule.timezone };
    for (let attempt = 0; attempt <= maxRetries && !stopped; attempt++) {
      try {
        await target(input);
        return;
      } catch (error) {
        log(`scheduler: ${schedule.period} digest firing failed (attempt ${attempt + 1}): ${error instanceof Error ? error.message : String(error)}`);
        // back off before a retry; once the retries are exhausted, dead-letter at once
        if (attempt < maxRetries) await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
      }
    }
    if (stopped) return;
    mkdirSync(deadLetterDir, { recursive: true });
    writeFileSync(join(deadLetterDir, `schedule-${schedule.period}-${input.scheduledTime.replace(/[:.]/g, '-')}.json`), JSON.stringify({ input, reason: 'retries exhausted' }, null, 2));
  };

  const arm = (schedule: DigestSchedule) => {
    if (stopped) return;
    const at = nextFiring(schedule, now());
    upcoming.set(schedule.period, at);
    // timers hold at most ~24 days; re-arm in steps
    const delay = Math.min(at - now(), 2 ** 31 - 1);
    timers.set(
      schedule.period,
      setTimeout(() => {
        if (now() < at) return arm(schedule);
        void fire(schedule, at).finally(() => arm(schedule));
      }, delay),
    );
    timers.get(schedule.period)?.unref();
  };
  for (const schedule of schedules) arm(schedule);

  return {
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
    },
    next: () => [...upcoming].map(([period, at]) => ({ period, at: new Date(at).toISOString() })),
  };
};
