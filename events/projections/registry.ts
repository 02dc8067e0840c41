import { actorsProjection } from './actors';
import { agreementsProjection } from './agreements';
import { digestsProjection } from './digests';
import { feedsProjection } from './feeds';
import type { Projection } from './projection';
import { storiesProjection } from './stories';
import { timelineProjection } from './timeline';
import { visitsProjection } from './visits';

/** Every read model the projector maintains (documents of different shapes, hence `any`). Each is independent: any order works, given the story before the event. */
export const projections: Projection<any>[] = [
  timelineProjection,
  visitsProjection,
  agreementsProjection,
  actorsProjection,
  feedsProjection,
  storiesProjection,
  digestsProjection,
];
