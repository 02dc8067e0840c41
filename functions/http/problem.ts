import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConflictError, DuplicateError, NotFoundError, RuleViolationError, ValidationError } from '../../events/errors';
import { HttpError } from './http-errors';

/**
 * The one place where errors become HTTP: an RFC 9457 problem document with the right status.
 * Anything unexpected is a 500 that carries only the request id; its details go to the log.
 */

/**
 * Problem types are `tag:` URIs (RFC 4151) of our own: stable, the same on every host, and pointing
 * at no domain we do not hold. A type is this base plus the problem's slug (`...problems/not-found`).
 */
export const PROBLEM_TYPE_BASE = 'tag:storyline,2026:problems/';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export const problemResponse = (problem: ProblemDocument, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 => ({
  statusCode: problem.status,
  headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(problem),
});

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const problem = (status: number, title: string, detail: string, extensions: Record<string, unknown> = {}): ProblemDocument => ({
  type: `${PROBLEM_TYPE_BASE}${slug(title)}`,
  title,
  status,
  detail,
  ...extensions,
});

const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'LimitExceededException']);
/** DynamoDB throttling that outlasted the SDK's retries (also inside a cancelled transaction). */
const isThrottling = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  if (THROTTLING.has(error.name)) return true;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return error.name === 'TransactionCanceledException' && (reasons ?? []).some((r) => r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded');
};

const UNREACHABLE = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)\b/;
/** DynamoDB unreachable or failing on its side (a restart, a network blip, a 5xx) after the SDK's retries. */
const isUnavailable = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message, $fault, $metadata } = error as { code?: string; name?: string; message?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  // the SDK wraps a network error it cannot recognise as an Error (one from another realm) in a new
  // Error that keeps only its message ("... connect ECONNREFUSED ..."): look at both
  return UNREACHABLE.test(`${code ?? ''} ${message ?? ''}`) || name === 'TimeoutError' || $fault === 'server' || ($metadata?.httpStatusCode ?? 0) >= 500;
};

/** Maps a thrown error to a problem document; `unexpected` is true when it must be logged as a 5xx. */
export const toProblem = (error: unknown, requestId: string): { problem: ProblemDocument; headers: Record<string, string>; unexpected: boolean } => {
  if (error instanceof ValidationError) {
    return { problem: problem(400, 'Invalid request', error.message, { errors: error.issues }), headers: {}, unexpected: false };
  }
  if (error instanceof ConflictError) {
    const { currentVersion } = error;
    return { problem: problem(409, 'Version conflict', error.message, currentVersion === undefined ? {} : { currentVersion }), headers: {}, unexpected: false };
  }
  if (error instanceof RuleViolationError) {
    return { problem: problem(422, 'Story rule broken', error.message, { rule: error.rule }), headers: {}, unexpected: false };
  }
  if (error instanceof DuplicateError) return { problem: problem(422, 'Already used', error.message), headers: {}, unexpected: false };
  if (error instanceof NotFoundError) return { problem: problem(404, 'Not found', error.message), headers: {}, unexpected: false };
  if (isThrottling(error)) {
    return { problem: problem(503, 'Busy', 'The store is throttling requests: retry after a short wait.'), headers: { 'retry-after': '1' }, unexpected: false };
  }
  if (isUnavailable(error)) {
    // logged: an outage is worth knowing about, though the client can act on the 503
    return { problem: problem(503, 'Unavailable', 'The store is unavailable: retry after a short wait.'), headers: { 'retry-after': '1' }, unexpected: true };
  }
  if (error instanceof HttpError) return { problem: problem(error.status, error.title, error.message), headers: error.headers, unexpected: false };
  return {
    problem: problem(500, 'Internal error', `Something went wrong on our side. Quote request id ${requestId} when reporting it.`, { requestId }),
    headers: {},
    unexpected: true,
  };
};
