import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { isUnreadable, type ProjectableEvent } from '../../events/catalog/unreadable';
import { isBookkeepingKey, eventsTable } from '../../contracts/tables';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createEventStore } from '../adapters/event-store';
import { decodeEventItem, type EventItem } from '../adapters/event-items';
import { createReadModelStore } from '../adapters/read-model-store';
import { ENV } from '../../contracts/env';
import { requiredEnv } from '../config';
import { PROJECTION_FAILED, UNREADABLE_EVENT } from '../../contracts/log-messages';
import { logger } from '../logger';
import { createProjector, type Projector } from '../projector';
import { websubNotifierFromEnv } from '../websub/from-env';

/**
 * The events table's stream into the read models. Records are decoded through the codec. An event
 * this code cannot read (unknown type, data its schema refuses) is passed over: its story's timeline
 * lists it and the events after it are projected (logged as UNREADABLE_EVENT, which an alarm counts).
 * An event a projection fails on (a bug) is passed over in the documents it would change, the same
 * way in every replay (logged as PROJECTION_FAILED, counted by the same alarm).
 * A record that cannot be projected, or is no event at all, is reported as the batch's failure, so
 * the event source mapping resumes there (and, after its retries, sends it to the on-failure destination).
 */

const client = dynamoClientFromEnv();
const projector = createProjector(createEventStore(client, requiredEnv(ENV.eventsTable)), createReadModelStore(client, requiredEnv(ENV.readModelsTable)), undefined, {
  onPassedOver: (event, projection, error) =>
    logger.error(PROJECTION_FAILED, { streamId: event.streamId, version: event.version, eventId: event.id, type: event.type, projection, error: error instanceof Error ? error.message : String(error) }),
  onFeedChanged: websubNotifierFromEnv(),
});

const sequenceOf = (record: DynamoDBRecord) => record.dynamodb?.SequenceNumber ?? '';

/** The events in the records (unreadable ones in their place), up to the first record that is no event. */
const decodeRecords = (records: DynamoDBRecord[]): { events: { event: ProjectableEvent; record: DynamoDBRecord }[]; poison?: DynamoDBRecord } => {
  const events: { event: ProjectableEvent; record: DynamoDBRecord }[] = [];
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
      logger.error('record is no event', { sequenceNumber: sequenceOf(record), streamId, error: error instanceof Error ? error.message : String(error) });
      return { events, poison: record };
    }
  }
  return { events };
};

export const projectBatch = async (projector: Projector, event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const { events, poison } = decodeRecords(event.Records);
  try {
    await projector.project(events.map((e) => e.event));
  } catch (error) {
    // find the first record that fails on its own; everything before it is then projected
    logger.warn('batch projection failed; projecting record by record', { error: error instanceof Error ? error.message : String(error) });
    for (const { event: single, record } of events) {
      try {
        await projector.project([single]);
      } catch (recordError) {
        logger.error('record projection failed', { sequenceNumber: sequenceOf(record), eventId: single.id, error: recordError instanceof Error ? recordError.message : String(recordError) });
        return { batchItemFailures: [{ itemIdentifier: sequenceOf(record) }] };
      }
    }
  }
  return { batchItemFailures: poison ? [{ itemIdentifier: sequenceOf(poison) }] : [] };
};

export const handler = (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => projectBatch(projector, event);
