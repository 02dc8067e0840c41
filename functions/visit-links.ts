import type { VisitEvent, VisitsModel } from '../events/projections';
import { developmentPath, storyPath } from './links';

/**
 * The page a calendar entry of a visit links to: the permalink page of the visit's latest step (the
 * development that says what the entry says now), found in the visits models the entries were made of.
 */
export const visitPages = (models: readonly VisitsModel[]) => {
  const latest = new Map(models.flatMap((model) => model.visits.map((visit) => [`${model.storyId}/${visit.visitId}`, visit.steps.at(-1)?.eventId] as const)));
  return (visit: VisitEvent): string => {
    const eventId = latest.get(`${visit.storyId}/${visit.visitId}`);
    return eventId ? developmentPath(visit.storyId, eventId) : storyPath(visit.storyId);
  };
};
