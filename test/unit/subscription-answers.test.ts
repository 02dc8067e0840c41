import { NotFoundError, ValidationError } from '../../events/errors';
import { HttpError } from '../../functions/http/http-errors';
import { toProblem } from '../../functions/http/problem';
import { answer } from '../../functions/subscriptions/pages';

/**
 * A refused subscription link or form is a page for people with the status and title an API client
 * gets in its problem document (functions/http/problem.ts is the one mapping); JSON clients get the
 * problem itself (the error is thrown on to http/handle.ts), and so does anything unexpected.
 */

const refused = (error: Error) => () => Promise.reject(error);
const titleOf = (body: string | undefined) => /<h1>([^<]*)<\/h1>/.exec(body ?? '')?.[1];

describe('the subscription pages’ answers to a refusal', () => {
  it.each([
    new NotFoundError('No such subscription.'),
    new HttpError(429, 'Too many requests', 'Try again in a minute.', { 'retry-after': '60' }),
    new ValidationError('Invalid request', [{ field: 'email', message: 'is not an address' }]),
  ])('a page with the problem’s status, title and headers: %s', async (error) => {
    const { problem, headers } = toProblem(error, 'req-1');
    const page = await answer(true, refused(error));
    expect(page.statusCode).toBe(problem.status);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(titleOf(page.body)).toBe(problem.title);
    for (const [name, value] of Object.entries(headers)) expect(page.headers?.[name]).toBe(value);
  });

  it('lists the fields of a validation error, and shows the detail of any other', async () => {
    expect((await answer(true, refused(new ValidationError('Invalid request', [{ field: 'email', message: 'is not an address' }])))).body).toContain('<p>email: is not an address</p>');
    expect((await answer(true, refused(new NotFoundError('No such subscription.')))).body).toContain('<p>No such subscription.</p>');
  });

  it('throws on to the problem mapping for an API client, and for anything unexpected', async () => {
    const gone = new NotFoundError('No such subscription.');
    await expect(answer(false, refused(gone))).rejects.toBe(gone);
    const unexpected = new Error('disk on fire');
    await expect(answer(true, refused(unexpected))).rejects.toBe(unexpected);
  });
});
