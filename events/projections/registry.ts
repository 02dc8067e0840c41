import { actorsProjection } from './actors';
import { agreementsProjection } from './agreements';
import { digestsProjection } from './digests';
import { feedsProjection } from './feeds';
import type { Projection } from './projection';
import { storiesProjection } from './stories';
import { timelineProjection } from './timeline';
import { visitsProjection } from './visits';

/** Every read model the projector maintains (documents of different shapes, hence `unknown`). Each is independent: any order works, given the story before the event. */
export const projections: Projection<unknown>[] = [
  timelineProjection,
  visitsProjection,
  agreementsProjection,
  actorsProjection,
  feedsProjection,
  storiesProjection,
  digestsProjection,
];

/**
 * The shape of the stored read models. Bump it when a stored document changes shape (or a
 * projection is added), so that a runtime finding documents of an older shape rebuilds them
 * (infra/local/runtime.ts on start; in AWS, the rebuild in docs/deploy.md). 1: before it was
 * recorded; 2: feed items without URL paths, one document per published digest; 3: the feeds, the
 * list of stories and the actors as collections of items (./collections.ts), nothing stored rendered;
 * 4: the list of stories keyed by when each story last changed, an actor's identifications apart
 * from its developments (so that the home and actor pages read only what they show); 5: a story
 * feed's title an item per revision, written with the feed's first development and by revisions only
 * (a story projected under 4 has its title item at another key, which no later batch rewrites);
 * 6: a story's timeline keeps its totals (./story-model.ts: how many developments, every actor ever
 * involved), so that a batch reads only the chunks it changes.
 */
export const READ_MODEL_SCHEMA = 6;
