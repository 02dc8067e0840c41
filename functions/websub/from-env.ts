import { ENV } from '../../contracts/env';
import { optionalEnv, requiredEnv } from '../config';
import { feedChangeNotifier } from './feed-changes';
import { parseHubs } from './hubs';
import { folderPingQueue } from './ping-queue';

/** The configured hubs (STORYLINE_WEBSUB_HUBS), read once at load; empty when none. */
export const hubsFromEnv = (): string[] => parseHubs(optionalEnv(ENV.websubHubs));

/**
 * The projector's hook that queues hub pings, or undefined when no hub is configured. The queue is
 * the folder WEBSUB_QUEUE_DIR (the local runtime sets it); hubs without a queue fail at load.
 */
export const websubNotifierFromEnv = (): ((feedKey: string) => Promise<void>) | undefined => {
  const hubs = hubsFromEnv();
  if (hubs.length === 0) return undefined;
  return feedChangeNotifier(folderPingQueue(requiredEnv(ENV.websubQueueDir)), hubs, requiredEnv(ENV.publicBaseUrl));
};
