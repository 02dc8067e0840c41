import { deliverDue, DEFAULT_PINGER_OPTIONS, type PingerOptions } from '../../functions/websub/pinger';
import { folderPingQueue } from '../../functions/websub/ping-queue';

/**
 * Locally, the WebSub pinger polls the queue folder the projector writes to (in AWS the SQS event
 * source invokes functions/handlers/websub-pinger.ts): every `intervalMs`, the pings due are sent; one run at a time.
 */
export const startLocalPinger = ({ dir, intervalMs = 200, options = DEFAULT_PINGER_OPTIONS, log }: { dir: string; intervalMs?: number; options?: PingerOptions; log?: (line: string) => void }) => {
  const queue = folderPingQueue(dir);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = deliverDue(queue, options)
      .then((outcomes) => {
        const dead = outcomes.filter((o) => o === 'dead-lettered').length;
        if (dead > 0) log?.(`websub: ${dead} ping(s) dead-lettered in ${dir}/dead`);
      })
      .catch((error: unknown) => log?.(`websub: pinger failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
};
