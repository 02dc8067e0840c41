import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { decodeEvent } from '../../events/catalog/codec';
import type { EventMetadata, RecordedEvent } from '../../events/catalog/events';
import type { ProjectableEvent } from '../../events/catalog/unreadable';
import { ValidationError } from '../../events/errors';
import { streamCategory } from '../../events/streams';
import { eventsTable } from '../../contracts/tables';

/**
 * How an event is laid out in the events table. `data` and `metadata` are stored as JSON strings:
 * they round-trip exactly (no number or empty-value surprises) and the stream carries them as they are.
 */
export type EventItem = Record<string, AttributeValue>;

const { partitionKey, sortKey } = eventsTable;
const categoryKey = eventsTable.globalSecondaryIndexes[0].partitionKey.name;

export interface NewEventRecord {
  streamId: string;
  version: number;
  id: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  recordedAt: string;
  reportedAt: string;
  metadata: EventMetadata;
}

export const toEventItem = (event: NewEventRecord): EventItem => ({
  [partitionKey.name]: { S: event.streamId },
  [sortKey.name]: { N: String(event.version) },
  eventId: { S: event.id },
  type: { S: event.type },
  schemaVersion: { N: String(event.schemaVersion) },
  data: { S: JSON.stringify(event.data) },
  recordedAt: { S: event.recordedAt },
  reportedAt: { S: event.reportedAt },
  metadata: { S: JSON.stringify(event.metadata) },
  // the first event of a stream is listed in the sparse `streams` index
  ...(event.version === 1 ? { [categoryKey]: { S: streamCategory(event.streamId) || 'other' } } : {}),
});

const str = (item: EventItem, name: string): string => {
  const value = item[name]?.S;
  if (value === undefined) throw new ValidationError('Invalid stored event', [{ field: name, message: 'missing' }]);
  return value;
};
const num = (item: EventItem, name: string): number => {
  const value = item[name]?.N;
  if (value === undefined) throw new ValidationError('Invalid stored event', [{ field: name, message: 'missing' }]);
  return Number(value);
};

/**
 * Decodes an item as `fromEventItem` does, but an event this code cannot read (an unknown type, data
 * its schema refuses) comes back as an UnreadableEvent in its place rather than as an error. An item
 * that is not an event at all (no stream, version or id) is still an error.
 */
export const decodeEventItem = (item: EventItem): ProjectableEvent => {
  try {
    return fromEventItem(item);
  } catch (error) {
    if (!(error instanceof ValidationError) && !(error instanceof SyntaxError)) throw error;
    return {
      unreadable: true,
      streamId: str(item, partitionKey.name),
      version: num(item, sortKey.name),
      id: str(item, 'eventId'),
      type: item.type?.S ?? '',
      recordedAt: item.recordedAt?.S ?? '',
      reason: error.message,
    };
  }
};

/** Decodes an item (from a Query or a stream record's NewImage) through the codec, upcasting old versions. */
const fromEventItem = (item: EventItem): RecordedEvent => {
  const schemaVersion = num(item, 'schemaVersion');
  const domain = decodeEvent({ type: str(item, 'type'), schemaVersion, data: JSON.parse(str(item, 'data')) });
  return {
    ...domain,
    streamId: str(item, partitionKey.name),
    version: num(item, sortKey.name),
    id: str(item, 'eventId'),
    schemaVersion,
    recordedAt: str(item, 'recordedAt'),
    reportedAt: item.reportedAt?.S ?? str(item, 'recordedAt'),
    metadata: JSON.parse(str(item, 'metadata')) as EventMetadata,
  };
};
