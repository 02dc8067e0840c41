import type { ActorDevelopment, ActorModel } from '../../events/projections/actors';
import type { Visit, VisitsModel } from '../../events/projections/visits';

/** Lookups the tests make on read models (the API serves the documents whole). */

export const visitById = (model: VisitsModel, visitId: string): Visit | undefined => model.visits.find((visit) => visit.visitId === visitId);

/** An actor's developments, optionally in one story only. */
export const actorDevelopments = (model: ActorModel, storyId?: string): ActorDevelopment[] =>
  storyId === undefined ? model.developments : model.developments.filter((d) => d.storyId === storyId);
