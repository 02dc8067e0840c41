import type * as z from 'zod/mini';
import { ValidationError, type FieldIssue } from '../errors';
import { catalog, type DomainEvent, type EventType } from './events';
import { upcasters } from './upcasters';

const isEventType = (type: unknown): type is EventType => typeof type === 'string' && Object.hasOwn(catalog, type);

export const issuesOf = (error: z.core.$ZodError, prefix: string): FieldIssue[] =>
  error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.'),
    message: issue.message,
  }));

/** Validates a new event's data against the current schema of its type. */
export const parseEvent = (input: { type: unknown; data: unknown }, fieldPrefix = ''): DomainEvent => {
  const typeField = fieldPrefix ? `${fieldPrefix}.type` : 'type';
  if (!isEventType(input.type)) {
    throw new ValidationError('Invalid event', [{ field: typeField, message: `unknown event type ${JSON.stringify(input.type)}` }]);
  }
  const result = catalog[input.type].schema.safeParse(input.data);
  if (!result.success) throw new ValidationError(`Invalid ${input.type}`, issuesOf(result.error, fieldPrefix ? `${fieldPrefix}.data` : 'data'));
  return { type: input.type, data: result.data } as DomainEvent;
};

/** The stored form of an event's payload. */
export const encodeEvent = (event: DomainEvent): { type: EventType; schemaVersion: number; data: unknown } => ({
  type: event.type,
  schemaVersion: catalog[event.type].schemaVersion,
  data: event.data,
});

/** Decodes a stored payload of any known schema version into today's shape, validating it. */
export const decodeEvent = (stored: { type: unknown; schemaVersion: unknown; data: unknown }): DomainEvent => {
  if (!isEventType(stored.type)) {
    throw new ValidationError('Invalid stored event', [{ field: 'type', message: `unknown event type ${JSON.stringify(stored.type)}` }]);
  }
  const current = catalog[stored.type].schemaVersion;
  const version = stored.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > current) {
    throw new ValidationError('Invalid stored event', [
      { field: 'schemaVersion', message: `${String(version)} is not a schema version of ${stored.type} (1..${current})` },
    ]);
  }
  let data = stored.data;
  for (let from = version; from < current; from++) {
    const upcast = upcasters[stored.type]?.[from];
    if (!upcast) throw new ValidationError('Invalid stored event', [{ field: 'schemaVersion', message: `no upcaster from ${stored.type} v${from}` }]);
    if (typeof data !== 'object' || data === null) break;
    data = upcast(data as Record<string, unknown>);
  }
  return parseEvent({ type: stored.type, data });
};
