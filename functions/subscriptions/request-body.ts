import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ValidationError } from '../../events/errors';
import { HttpError } from '../http/http-errors';
import { header } from '../http/request';

/**
 * The body of a subscription request: JSON (API clients), or a form (`application/x-www-form-urlencoded`
 * from an HTML form or an RFC 8058 one-click POST, `multipart/form-data`). Forms are parsed by the
 * platform's own parser (undici's FormData); every value comes back as a list of strings.
 */

/** Subscription requests are small: an address and a few slugs. */
export const MAX_SUBSCRIPTION_BODY = 8 * 1024;

export type Fields = Record<string, string[]>;
export interface ParsedBody {
  fields: Fields;
  /** A form post from a browser (answered with a page), not an API client (answered with JSON). */
  form: boolean;
}

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

const fromJson = (value: unknown): Fields => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ValidationError('Invalid request body', [{ field: '', message: 'must be a JSON object' }]);
  const fields: Fields = {};
  for (const [name, v] of Object.entries(value)) {
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((item) => typeof item === 'string')) throw new ValidationError('Invalid request body', [{ field: name, message: 'must be a string or a list of strings' }]);
    fields[name] = list;
  }
  return fields;
};

export const readBody = async (event: APIGatewayProxyEventV2): Promise<ParsedBody> => {
  const raw = event.body === undefined || event.body === null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > MAX_SUBSCRIPTION_BODY) throw new HttpError(413, 'Body too large', `subscription requests are limited to ${MAX_SUBSCRIPTION_BODY} bytes (got ${raw.length})`);
  const contentType = header(event, 'content-type') ?? '';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0 && type === '') return { fields: {}, form: false };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new HttpError(400, 'Invalid body', 'the body is not valid UTF-8');
  }
  if (type === 'application/json') {
    try {
      return { fields: fromJson(JSON.parse(text)), form: false };
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      throw new HttpError(400, 'Invalid body', 'the body is not JSON');
    }
  }
  if (!FORM_TYPES.has(type)) throw new HttpError(415, 'Unsupported media type', 'send application/json, application/x-www-form-urlencoded or multipart/form-data');
  let data: FormData;
  try {
    data = await new Request('http://body.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
  } catch {
    throw new HttpError(400, 'Invalid body', `the body is not valid ${type}`);
  }
  const fields: Fields = {};
  for (const [name, value] of data) {
    if (typeof value !== 'string') throw new ValidationError('Invalid request body', [{ field: name, message: 'files are not accepted' }]);
    (fields[name] ??= []).push(value);
  }
  return { fields, form: true };
};
