import type { ReadModelStore } from '../adapters/read-model-store';
import { pagePublisher } from '../page-publication';
import type { Publisher } from './publication';

/**
 * Everything published from the read models, by the projector and by a rebuild alike: the place to
 * add a publisher. Feeds are not among them: they are rendered on read (projection/feed-publisher.ts).
 */
export const publishersOf = (readModels: ReadModelStore, now: () => Date): Publisher[] => [pagePublisher(readModels, now)];
