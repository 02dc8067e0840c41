import { backoffDelay, retryOnError, retrying, RetryLimitError, retryPolicy, type RetryPolicy } from '../../functions/adapters/retry-policy';

/**
 * The one retry policy: bounded attempts, exponential backoff with full jitter, injected sleep and
 * random, a typed error at the bound. Sleeps are recorded here, never waited.
 */

const recorded = (overrides: Partial<RetryPolicy> = {}) => {
  const sleeps: number[] = [];
  const policy = retryPolicy({ retries: 4, baseMs: 10, capMs: 50, random: () => 0.5, sleep: (ms) => Promise.resolve(void sleeps.push(ms)), ...overrides });
  return { policy, sleeps };
};

class Throttled extends Error {
  override readonly name = 'Throttled';
}

describe('the retry policy', () => {
  it('draws each delay from zero up to an exponential bound that stops at the cap', () => {
    const { policy } = recorded({ random: () => 0.999999 });
    expect([1, 2, 3, 4, 5].map((retry) => Math.round(backoffDelay(policy, retry)))).toEqual([10, 20, 40, 50, 50]);
    expect(backoffDelay(recorded({ random: () => 0 }).policy, 3)).toBe(0);
  });

  describe('when the work answers "not done yet"', () => {
    it('calls again after growing delays until it is done, and returns its value', async () => {
      const { policy, sleeps } = recorded();
      const answers = [false, false, true];
      const calls: number[] = [];
      const value = await retrying('counting', (n) => Promise.resolve((calls.push(n), answers[n] ? { done: true, value: 'ok' } : { done: false })), policy);
      expect(value).toBe('ok');
      expect(calls).toEqual([0, 1, 2]);
      expect(sleeps).toEqual([5, 10]);
    });

    it('does not sleep when the first call is done', async () => {
      const { policy, sleeps } = recorded();
      await retrying('once', () => Promise.resolve({ done: true, value: 1 }), policy);
      expect(sleeps).toEqual([]);
    });

    it('fails at the bound with a typed error naming the operation, the attempts and what was left', async () => {
      const { policy, sleeps } = recorded({ retries: 2 });
      const failure = retrying('BatchWriteItem on reads', () => Promise.resolve({ done: false, left: 3 }), policy);
      await expect(failure).rejects.toBeInstanceOf(RetryLimitError);
      await expect(failure).rejects.toMatchObject({ operation: 'BatchWriteItem on reads', attempts: 3, left: 3 });
      await expect(failure).rejects.toThrow('BatchWriteItem on reads was not done after 3 attempts (3 left)');
      expect(sleeps).toEqual([5, 10]);
    });
  });

  describe('when the work throws', () => {
    it('runs again after a retryable error and returns the first success', async () => {
      const { policy, sleeps } = recorded();
      let calls = 0;
      const value = await retryOnError('send', () => {
        if (++calls < 3) return Promise.reject(new Throttled('slow down'));
        return Promise.resolve(calls);
      }, (error) => error instanceof Throttled, policy);
      expect(value).toBe(3);
      expect(sleeps).toEqual([5, 10]);
    });

    it('lets an error that is not retryable through at once', async () => {
      const { policy, sleeps } = recorded();
      const refused = new Error('validation');
      await expect(retryOnError('send', async () => Promise.reject(refused), (error) => error instanceof Throttled, policy)).rejects.toBe(refused);
      expect(sleeps).toEqual([]);
    });

    it('fails at the bound with the last error as the cause', async () => {
      const { policy } = recorded({ retries: 1 });
      const last = new Throttled('still slow');
      let calls = 0;
      const failure = retryOnError('send', () => {
        calls++;
        return Promise.reject(last);
      }, () => true, policy);
      await expect(failure).rejects.toMatchObject({ name: 'RetryLimitError', attempts: 2, cause: last });
      expect(calls).toBe(2);
    });
  });
});
