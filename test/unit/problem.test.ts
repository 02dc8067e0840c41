import { ConflictError, DuplicateError, NotFoundError, RuleViolationError, ValidationError } from '../../events/errors';
import { HttpError } from '../../functions/http/http-errors';
import { toProblem } from '../../functions/http/problem';

/**
 * The one mapping from errors to RFC 9457 problem documents: each error gets its status, a type that
 * names the problem (a `tag:` URI of our own, the same on every host, never a URL under a domain we do
 * not hold) and a title; a 500 shows the request id and nothing of the error.
 */

const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException' });
const cancelled = Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }] });
const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });

const cases: [string, unknown, { status: number; type: string; title: string }][] = [
  ['an invalid request', new ValidationError('Invalid request', [{ field: 'title', message: 'required' }]), { status: 400, type: 'invalid-request', title: 'Invalid request' }],
  ['a version conflict', new ConflictError('stale', 3), { status: 409, type: 'version-conflict', title: 'Version conflict' }],
  ['a broken rule', new RuleViolationError('visit-must-be-planned', 'no such visit'), { status: 422, type: 'story-rule-broken', title: 'Story rule broken' }],
  ['a reused id', new DuplicateError('used'), { status: 422, type: 'already-used', title: 'Already used' }],
  ['a missing document', new NotFoundError('no story'), { status: 404, type: 'not-found', title: 'Not found' }],
  ['an edge failure', new HttpError(415, 'Unsupported media type', 'JSON only'), { status: 415, type: 'unsupported-media-type', title: 'Unsupported media type' }],
  ['throttling', throttled, { status: 503, type: 'busy', title: 'Busy' }],
  ['throttling inside a transaction', cancelled, { status: 503, type: 'busy', title: 'Busy' }],
  ['an unavailable store', unreachable, { status: 503, type: 'unavailable', title: 'Unavailable' }],
  ['a bug', new Error('boom'), { status: 500, type: 'internal-error', title: 'Internal error' }],
];

describe('toProblem', () => {
  it.each(cases)('maps %s to its status, type and title', (_what, error, expected) => {
    const { problem } = toProblem(error, 'request-1');
    expect({ status: problem.status, type: problem.type, title: problem.title }).toEqual({ ...expected, type: `tag:storyline,2026:problems/${expected.type}` });
  });

  it('keeps the details a client can act on', () => {
    expect(toProblem(new ValidationError('Invalid request', [{ field: 'title', message: 'required' }]), 'r').problem.errors).toEqual([{ field: 'title', message: 'required' }]);
    expect(toProblem(new ConflictError('stale', 3), 'r').problem.currentVersion).toBe(3);
    expect(toProblem(new ConflictError('taken'), 'r').problem).not.toHaveProperty('currentVersion');
    expect(toProblem(new RuleViolationError('visit-must-be-planned', 'no such visit'), 'r').problem).toMatchObject({ rule: 'visit-must-be-planned', detail: 'no such visit' });
    expect(toProblem(throttled, 'r').headers).toEqual({ 'retry-after': '1' });
    expect(toProblem(new HttpError(429, 'Too many requests', 'slow down', { 'retry-after': '60' }), 'r').headers).toEqual({ 'retry-after': '60' });
  });

  it('shows only the request id for a 500: no message, name or stack of the error', () => {
    const bug = new TypeError('secret detail: table t-prod at arn:aws:dynamodb:eu-west-1:123456789012');
    const { problem, unexpected } = toProblem(bug, 'req-42');
    expect(unexpected).toBe(true);
    expect(problem).toEqual({
      type: 'tag:storyline,2026:problems/internal-error',
      title: 'Internal error',
      status: 500,
      detail: 'Something went wrong on our side. Quote request id req-42 when reporting it.',
      requestId: 'req-42',
    });
    const body = JSON.stringify(problem);
    for (const leak of ['secret', 'TypeError', 'arn:', 'at ', String(bug.stack).split('\n')[1]!.trim()]) expect(body).not.toContain(leak);
  });

  it('logs the unexpected (a bug, an outage), not what a client caused', () => {
    const unexpected = cases.filter(([, error]) => toProblem(error, 'r').unexpected).map(([what]) => what);
    expect(unexpected).toEqual(['an unavailable store', 'a bug']);
  });

  it('names the problem, not the request', () => {
    expect(toProblem(new NotFoundError('no story b'), 'r2').problem.type).toBe(toProblem(new NotFoundError('x'), 'r3').problem.type);
  });
});
