import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import { PROJECTION_FAILED } from '../../contracts/log-messages';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createEventStore } from '../adapters/event-store';
import { createReadModelStore } from '../adapters/read-model-store';
import { decodeStreamRecords, sequenceOf } from '../adapters/stream-records';
import { requiredEnv } from '../config';
import { errorMessage, logger } from '../logger';
import { createProjector, type Projector } from '../projector';
import { websubNotifierFromEnv } from '../websub/from-env';

/**
 * The events table's stream into the read models, a whole batch at once (each document written
 * once per batch). An event this code cannot read, or a projection fails on (a bug), is passed over
 * (logged as UNREADABLE_EVENT or PROJECTION_FAILED, counted by one alarm). When the batch fails,
 * its records are projected one by one to find the first that fails on its own; that record, or
 * one that is no event at all, is reported as the batch's failure, so the event source mapping
 * resumes there (and, after its retries, sends it to the on-failure destination).
 * (Powertools' BatchProcessor processes record by record: it would give up batch-level projection.)
 */

const client = dynamoClientFromEnv();
const readModels = createReadModelStore(client, requiredEnv(ENV.readModelsTable));
const projector = createProjector(createEventStore(client, requiredEnv(ENV.eventsTable)), readModels, {
  onPassedOver: (event, projection, error) =>
    logger.error(PROJECTION_FAILED, { streamId: event.streamId, version: event.version, eventId: event.id, type: event.type, projection, error: errorMessage(error) }),
  onFeedChanged: websubNotifierFromEnv(),
});

export const projectBatch = async (projector: Projector, event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const { events, poison } = decodeStreamRecords(event.Records);
  try {
    await projector.project(events.map((e) => e.event));
  } catch (error) {
    // everything before the first record that fails on its own is then projected
    logger.warn('batch projection failed; projecting record by record', { error: errorMessage(error) });
    for (const { event: single, record } of events) {
      try {
        await projector.project([single]);
      } catch (recordError) {
        logger.error('record projection failed', { sequenceNumber: sequenceOf(record), eventId: single.id, error: errorMessage(recordError) });
        return { batchItemFailures: [{ itemIdentifier: sequenceOf(record) }] };
      }
    }
  }
  return { batchItemFailures: poison ? [{ itemIdentifier: sequenceOf(poison) }] : [] };
};

export const handler = (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => projectBatch(projector, event);
