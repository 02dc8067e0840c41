import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { issuesOf } from '../../events/catalog/codec';
import { Slug } from '../../events/catalog/development';
import { ValidationError } from '../../events/errors';
import { HttpError } from './http-errors';

const MAX_BODY_BYTES = 64 * 1024;

/** A request header: API Gateway (payload 2.0), and the local host, give header names in lowercase. */
const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => event.headers?.[name];
export { header };

/** Reads a JSON body: 413 when over 64 KiB, 415 unless JSON, 400 when not valid UTF-8 JSON, 400 listing fields when invalid. */
export const jsonBody = <S extends z.ZodMiniType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> => {
  const raw = event.body === undefined || event.body === null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > MAX_BODY_BYTES) throw new HttpError(413, 'Body too large', `request bodies are limited to ${MAX_BODY_BYTES} bytes (got ${raw.length})`);
  const type = (header(event, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    throw new HttpError(415, 'Unsupported media type', `send the body as application/json (got ${type ? JSON.stringify(type) : 'no content type'})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new HttpError(400, 'Invalid body', 'the body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'Invalid body', `the body is not JSON: ${error instanceof Error ? error.message : 'parse error'}`);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError('Invalid request body', issuesOf(result.error, ''));
  return result.data;
};

/** An integer query parameter, clamped to [min, max]; 400 when not a number. */
export const intParam = (event: APIGatewayProxyEventV2, name: string, { min, max, fallback }: { min: number; max: number; fallback: number }): number => {
  const raw = event.queryStringParameters?.[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ValidationError('Invalid query', [{ field: name, message: 'must be a whole number' }]);
  return Math.min(max, Math.max(min, Number(raw)));
};

export const pathParam = (event: APIGatewayProxyEventV2, name: string): string => {
  const value = event.pathParameters?.[name];
  if (value === undefined || value === '') throw new ValidationError('Invalid path', [{ field: name, message: 'is required' }]);
  return value;
};

/** A path parameter that names a story, topic, actor or period: a lowercase slug, else 400. */
export const slugParam = (event: APIGatewayProxyEventV2, name: string): string => {
  const value = pathParam(event, name);
  if (!Slug.safeParse(value).success) throw new ValidationError('Invalid path', [{ field: name, message: 'must be a lowercase slug (a-z, 0-9, -)' }]);
  return value;
};
