import type { ReadModelStore } from '../adapters/read-model-store';
import type { Publisher } from './publication';

/**
 * Everything published from the read models, by the projector and by a rebuild alike: the place to
 * add a publisher. Feeds are not among them: they are rendered on read (projection/feed-publisher.ts);
 * nor are the pages for people: they are rendered when read (functions/page-reader.ts), so a batch
 * writes nothing for them.
 */
export const publishersOf = (_readModels: ReadModelStore, _now: () => Date): Publisher[] => [];
