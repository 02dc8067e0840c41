import type { ReadModelStore } from '../adapters/read-model-store';
import { feedPublisher, type FeedHooks } from './feed-publisher';
import type { Publisher } from './publication';

/**
 * Everything published from the read models, by the projector and by a rebuild alike: the place to
 * add a publisher. The pages for people are not among them: they are rendered when read
 * (functions/page-reader.ts), so a batch writes nothing for them.
 */
export const publishersOf = (readModels: ReadModelStore, now: () => Date, hooks: FeedHooks = {}): Publisher[] => [feedPublisher(readModels, now, hooks)];
