import type { DynamoDBRecord } from 'aws-lambda';
import { isBookkeepingKey, eventsTable } from '../../contracts/tables';
import { UNREADABLE_EVENT } from '../../contracts/log-messages';
import { isUnreadable, type ProjectableEvent } from '../../events/catalog/unreadable';
import { errorMessage, logger } from '../logger';
import { decodeEventItem, type EventItem } from './event-items';

/**
 * The events table's stream records, decoded through the codec. An event this code cannot read
 * (unknown type, data its schema refuses) stays in its place, to be passed over, and is logged as
 * UNREADABLE_EVENT (which an alarm counts). Records of anything but an inserted event (id records,
 * claims) are skipped.
 */

export const sequenceOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';

export interface DecodedRecords {
  events: { event: ProjectableEvent; record: DynamoDBRecord }[];
  /** The first record that is no event at all: the events before it are decoded, none after. */
  poison?: DynamoDBRecord;
}

export const decodeStreamRecords = (records: DynamoDBRecord[]): DecodedRecords => {
  const events: DecodedRecords['events'] = [];
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    const streamId = record.dynamodb?.Keys?.[eventsTable.partitionKey.name]?.S ?? '';
    if (record.eventName !== 'INSERT' || !image || isBookkeepingKey(streamId)) continue;
    try {
      const event = decodeEventItem(image as EventItem);
      if (isUnreadable(event)) {
        logger.error(UNREADABLE_EVENT, { sequenceNumber: sequenceOf(record), streamId, version: event.version, eventId: event.id, type: event.type, reason: event.reason });
      }
      events.push({ event, record });
    } catch (error) {
      logger.error('record is no event', { sequenceNumber: sequenceOf(record), streamId, error: errorMessage(error) });
      return { events, poison: record };
    }
  }
  return { events };
};
