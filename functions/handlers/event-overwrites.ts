import type { DynamoDBStreamEvent } from 'aws-lambda';
import { EVENT_NOT_INSERTED } from '../../contracts/log-messages';
import { logger } from '../logger';

/**
 * Append-only, watched: the events table's stream, filtered in AWS to the records that are not an
 * INSERT (MODIFY: an item overwritten, by a PutItem for example; REMOVE), which no code path and no
 * IAM permission should allow. Each is logged as an error with its keys and what it did; the alarm
 * on this function's invocations fires on the first. Nothing else is done: the event is not restored.
 */
export const handler = (event: DynamoDBStreamEvent): Promise<void> => {
  for (const record of event.Records) {
    logger.error(EVENT_NOT_INSERTED, {
      eventName: record.eventName,
      keys: record.dynamodb?.Keys,
      sequenceNumber: record.dynamodb?.SequenceNumber,
      approximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime,
    });
  }
  // a promise, not undefined: Lambda waits for a callback from a handler that returns nothing
  return Promise.resolve();
};
