import { ValidationError } from '../errors';
import { storyStreamId } from '../streams';
import { compareEntries, correctEntry, fieldsOf, type TimelineEntry } from './entry';
import { initialTimeline, totalsOf, type TimelineModel } from './timeline';

/**
 * The story as it was known at an instant: only what was recorded at or before it. Events
 * recorded later are left out, corrections recorded later are not applied, later retractions
 * not marked. Computed from the history the timeline keeps, so it needs no event replay.
 */
export const asOf = (model: TimelineModel, instant: string): TimelineModel => {
  const at = Date.parse(instant);
  if (Number.isNaN(at)) throw new ValidationError('Invalid instant', [{ field: 'asOf', message: `${JSON.stringify(instant)} is not an ISO 8601 instant` }]);
  const known = (recordedAt: string): boolean => Date.parse(recordedAt) <= at;

  if (!model.opened || !known(model.opened.recordedAt)) return initialTimeline(model.storyId);
  const actors = model.actors.filter((actor) => known(actor.recordedAt));
  const entries = model.entries
    .filter((entry) => known(entry.recordedAt))
    .map((entry) => entryAsOf(entry, known))
    .sort(compareEntries);

  const seen = [
    model.opened,
    ...actors,
    ...entries.flatMap((entry) => [entry, ...entry.corrections, ...(entry.retracted ? [entry.retracted] : [])]),
  ].reduce((latest, item) => (item.version > latest.version ? item : latest));
  const passedOver = model.passedOver?.filter((event) => known(event.recordedAt));
  return {
    ...model,
    actors,
    entries,
    totals: totalsOf(entries),
    ...(passedOver ? { passedOver } : {}),
    version: seen.version,
    updatedAt: seen.recordedAt,
    applied: { [storyStreamId(model.storyId)]: seen.version },
  };
};

const entryAsOf = (entry: TimelineEntry, known: (recordedAt: string) => boolean): TimelineEntry => {
  const { retracted, ...rest } = entry;
  const original: TimelineEntry = { ...rest, ...fieldsOf(entry.original), corrections: [] };
  const corrected = entry.corrections.filter((correction) => known(correction.recordedAt)).reduce(correctEntry, original);
  return retracted && known(retracted.recordedAt) ? { ...corrected, retracted } : corrected;
};
