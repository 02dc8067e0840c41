import { ConflictError, DuplicateError, NotFoundError, RuleViolationError, ValidationError } from '../../events/errors';
import { HttpError } from '../../functions/http/http-errors';
import { PROBLEM_TYPE_BASE, toProblem } from '../../functions/http/problem';

/**
 * Problem types (RFC 9457) identify the problem, the same on every host: a `tag:` URI of our own,
 * never a URL under a domain we do not hold.
 */

const TAG_TYPE = /^tag:storyline,2026:problems\/[a-z0-9-]+$/;

const errors: [string, unknown][] = [
  ['an invalid request', new ValidationError('Invalid request', [{ field: 'title', message: 'required' }])],
  ['a version conflict', new ConflictError('stale', 3)],
  ['a broken rule', new RuleViolationError('visit-must-be-planned', 'no such visit')],
  ['a reused id', new DuplicateError('used')],
  ['a missing document', new NotFoundError('no story')],
  ['an edge failure', new HttpError(415, 'Unsupported media type', 'JSON only')],
  ['an unavailable store', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' })],
  ['a bug', new Error('boom')],
];

describe('problem types', () => {
  it('have one base, a tag: URI of our own', () => {
    expect(PROBLEM_TYPE_BASE).toMatch(/^tag:storyline,2026:problems\/$/);
  });

  it.each(errors)('are a tag: URI under that base for %s', (_what, error) => {
    const { problem } = toProblem(error, 'request-1');
    expect(problem.type).toMatch(TAG_TYPE);
    expect(problem.type.startsWith(PROBLEM_TYPE_BASE)).toBe(true);
  });

  it('name the problem, not the request', () => {
    expect(toProblem(new NotFoundError('no story a'), 'r1').problem.type).toBe('tag:storyline,2026:problems/not-found');
    expect(toProblem(new NotFoundError('no story b'), 'r2').problem.type).toBe(toProblem(new NotFoundError('x'), 'r3').problem.type);
  });
});
