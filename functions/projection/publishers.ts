import type { ReadModelStore } from '../adapters/read-model-store';
import { pagePublisher } from '../page-publication';
import { feedPublisher, type FeedHooks } from './feed-publisher';
import type { Publisher } from './publication';

/**
 * Everything published from the read models, by the projector and by a rebuild alike: the place to
 * add a publisher. Feeds first, so a feed's rendering never waits for the pages of its batch.
 */
export const publishersOf = (readModels: ReadModelStore, now: () => Date, hooks: FeedHooks = {}): Publisher[] => [feedPublisher(readModels, now, hooks), pagePublisher(readModels, now)];
