import { derivedUuid } from './derived-id';
import { parseEvent } from '../events/catalog/codec';
import { ValidationError, type FieldIssue } from '../events/errors';
import { isInFuture, parseInstant } from '../events/instant';
import { requireAppendSize, type NewEvent } from './adapters/event-append';

/**
 * The events of an append request, checked before anything is read: each parsed through its schema, ids
 * unique within the batch, reported times instants not in the future. Every issue is listed at once
 * (ValidationError, 400). An event without an id gets one: derived from the Idempotency-Key when the
 * request has one (so that a re-send proposes the same ids), else `newId()`. Pure: the time and the
 * ids come from the caller.
 */

export interface ProposedEvent {
  id?: string;
  type: unknown;
  data: unknown;
  /** When the source reported it (ISO 8601, not in the future); defaults to the recording time. */
  reportedAt?: string;
}

export const validateAppend = (
  { storyId, events: proposed, idempotencyKey }: { storyId: string; events: readonly ProposedEvent[]; idempotencyKey?: string },
  at: Date,
  newId: () => string,
): NewEvent[] => {
  requireAppendSize(proposed.length);
  const issues: FieldIssue[] = [];
  const events: NewEvent[] = [];
  const explicitIds = new Map<string, number>();
  proposed.forEach((event, i) => {
    try {
      if (event.id !== undefined) {
        // the store would refuse them too, but only after looking them up (which DynamoDB refuses with duplicates)
        const first = explicitIds.get(event.id);
        if (first !== undefined) issues.push({ field: `events.${i}.id`, message: `repeats the id of events.${first}: ids must be unique within a batch` });
        else explicitIds.set(event.id, i);
      }
      const parsed = parseEvent(event, `events.${i}`);
      const id = event.id ?? (idempotencyKey ? derivedUuid(`${idempotencyKey}\n${storyId}\n${i}`) : newId());
      let reportedAt: string | undefined;
      if (event.reportedAt !== undefined) {
        const instant = parseInstant(event.reportedAt);
        if (instant === undefined) issues.push({ field: `events.${i}.reportedAt`, message: 'must be an ISO 8601 instant' });
        else if (isInFuture(instant, at)) issues.push({ field: `events.${i}.reportedAt`, message: 'must not be in the future' });
        else reportedAt = instant;
      }
      events.push({ ...parsed, id, ...(reportedAt !== undefined ? { reportedAt } : {}) });
    } catch (error) {
      if (error instanceof ValidationError) issues.push(...error.issues);
      else throw error;
    }
  });
  if (issues.length) throw new ValidationError('Invalid events', issues);
  return events;
};
