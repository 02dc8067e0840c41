import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { conditionalResponse } from './conditional';
import { contentHash } from '../content-hash';

/** (Re-exported for its older importers: the one definition is in ./request.) */
export { slugParam } from './request';

/** A document computed from read models, served with a strong ETag from its bytes and 304 on a match. */
export const documentResponse = (
  event: APIGatewayProxyEventV2,
  document: { body: string; contentType: string; lastModified: string; cacheControl: string; headers?: Record<string, string> },
): APIGatewayProxyStructuredResultV2 => {
  const etag = `"${contentHash(document.body)}"`;
  const response = conditionalResponse(event, { etag, lastModified: document.lastModified, contentType: document.contentType, body: () => document.body, cacheControl: document.cacheControl });
  return document.headers ? { ...response, headers: { ...response.headers, ...document.headers } } : response;
};
