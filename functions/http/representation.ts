import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Slug } from '../../events/catalog/development';
import { ValidationError } from '../../events/errors';
import { conditionalResponse } from './conditional';
import { pathParam } from './request';

/** A path parameter that must be a slug (story, actor, topic ids), else a 400 problem. */
export const slugParam = (event: APIGatewayProxyEventV2, name: string): string => {
  const value = pathParam(event, name);
  if (!Slug.safeParse(value).success) throw new ValidationError('Invalid path', [{ field: name, message: 'must be a lowercase slug (a-z, 0-9, -)' }]);
  return value;
};

/** A document computed from read models, served with a strong ETag from its bytes and 304 on a match. */
export const documentResponse = (
  event: APIGatewayProxyEventV2,
  document: { body: string; contentType: string; lastModified: string; cacheControl: string; headers?: Record<string, string> },
): APIGatewayProxyStructuredResultV2 => {
  const etag = `"${createHash('sha256').update(document.body).digest('base64url').slice(0, 27)}"`;
  const response = conditionalResponse(event, { etag, lastModified: document.lastModified, contentType: document.contentType, body: () => document.body, cacheControl: document.cacheControl });
  return document.headers ? { ...response, headers: { ...response.headers, ...document.headers } } : response;
};
