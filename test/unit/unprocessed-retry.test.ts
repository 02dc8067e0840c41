import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readIdRecords } from '../../functions/adapters/event-id-records';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { retryUnprocessed, UnprocessedItemsError, type RetryPolicy } from '../../functions/adapters/unprocessed-retry';

/**
 * BatchGetItem and BatchWriteItem may leave part of a request unprocessed (throttling, size limits):
 * the rest is asked again after an exponential backoff with full jitter, a bounded number of times,
 * and at the bound the call fails naming the table and how many items were left.
 */

/** A policy whose sleeps are recorded, not waited, and whose jitter takes the whole window. */
const recorded = (overrides: Partial<RetryPolicy> = {}) => {
  const sleeps: number[] = [];
  const policy: RetryPolicy = { retries: 5, baseMs: 10, capMs: 100, random: () => 0.999, sleep: (ms) => Promise.resolve(void sleeps.push(ms)), ...overrides };
  return { policy, sleeps };
};

describe('retrying unprocessed batch items', () => {
  it('asks again for only what was left, after growing delays, until everything is processed', async () => {
    const { policy, sleeps } = recorded();
    const asked: string[][] = [];
    const leftOver = [['b', 'c'], ['c'], []];
    await retryUnprocessed('reads', 'BatchGetItem', ['a', 'b', 'c'], (items) => Promise.resolve((asked.push(items), leftOver.shift() ?? [])), policy);
    expect(asked).toEqual([['a', 'b', 'c'], ['b', 'c'], ['c']]);
    expect(sleeps.map(Math.round)).toEqual([10, 20]);
  });

  it('draws each delay from zero up to the exponential bound (full jitter), never above the cap', async () => {
    const draws = [0.5, 0.25, 0, 1, 1, 1];
    const { policy, sleeps } = recorded({ random: () => draws.shift() ?? 1 });
    await expect(retryUnprocessed('reads', 'BatchGetItem', ['a'], (items) => Promise.resolve(items), policy)).rejects.toBeInstanceOf(UnprocessedItemsError);
    expect(sleeps).toEqual([5, 5, 0, 80, 100]);
  });

  it('fails loudly at the bound, naming the operation, the table and how many items were left', async () => {
    const { policy, sleeps } = recorded({ retries: 3 });
    let calls = 0;
    const failure = retryUnprocessed('storyline-read-models', 'BatchWriteItem', [1, 2, 3, 4], (items) => Promise.resolve((calls++, items)), policy);
    await expect(failure).rejects.toMatchObject({ name: 'UnprocessedItemsError', table: 'storyline-read-models', operation: 'BatchWriteItem', count: 4 });
    expect(calls).toBe(4);
    expect(sleeps).toHaveLength(3);
  });

  it('reports the items still left when the bound is reached', async () => {
    const { policy } = recorded({ retries: 2 });
    const failure = retryUnprocessed('events', 'BatchGetItem', ['a', 'b', 'c', 'd', 'e'], (items) => Promise.resolve(items.slice(1)), policy);
    await expect(failure).rejects.toThrow('BatchGetItem on table events left 2 items unprocessed after 2 retries');
  });

  it('does not sleep when the first call processes everything', async () => {
    const { policy, sleeps } = recorded();
    await retryUnprocessed('reads', 'BatchGetItem', ['a'], () => Promise.resolve([]), policy);
    expect(sleeps).toEqual([]);
  });
});

/**
 * DynamoDB Local processes every batch whole: a client double leaves items unprocessed, which the
 * real service does under throttling.
 */
describe('the adapters that send batches', () => {
  type Sent = { name: string; input: unknown };
  /** A client that answers BatchGetItem with nothing read and everything left, BatchWriteItem with every request left. */
  const unprocessingClient = (sent: Sent[]) =>
    ({
      send: (command: { constructor: { name: string }; input: { RequestItems?: Record<string, unknown> } }) => {
        const name = command.constructor.name;
        sent.push({ name, input: command.input });
        const [table, request] = Object.entries(command.input.RequestItems ?? {})[0] ?? [];
        if (name === 'BatchGetItemCommand') return Promise.resolve({ Responses: { [table as string]: [] }, UnprocessedKeys: { [table as string]: request } });
        if (name === 'BatchWriteItemCommand') return Promise.resolve({ UnprocessedItems: { [table as string]: request } });
        if (name === 'ScanCommand') return Promise.resolve({ Items: [{ pk: { S: 'g1/story/a/timeline' }, sk: { N: '0' } }, { pk: { S: 'g1/feed/all' }, sk: { N: '0' } }] });
        if (name === 'GetItemCommand') return Promise.resolve({ Item: { current: { N: '2' } } });
        return Promise.reject(new Error(`unexpected ${name}`));
      },
    }) as unknown as DynamoDBClient;

  it('read id records with backoff and fail at the bound, naming the events table', async () => {
    const sent: Sent[] = [];
    const { policy, sleeps } = recorded({ retries: 4 });
    const reading = readIdRecords(unprocessingClient(sent), 'storyline-events', ['e1', 'e2'], policy);
    await expect(reading).rejects.toMatchObject({ name: 'UnprocessedItemsError', table: 'storyline-events', operation: 'BatchGetItem', count: 4 });
    expect(sent).toHaveLength(5);
    expect(sleeps.map(Math.round)).toEqual([10, 20, 40, 80]);
  });

  it('read documents with backoff and fail at the bound, naming the read-model table', async () => {
    const sent: Sent[] = [];
    const { policy, sleeps } = recorded({ retries: 2 });
    const store = createReadModelStore(unprocessingClient(sent), 'storyline-read-models', { retry: policy });
    await expect(store.getMany(['story/a/visits', 'story/a/agreements', 'story/a/agreements'], 1)).rejects.toMatchObject({ table: 'storyline-read-models', operation: 'BatchGetItem', count: 2 });
    expect(sent.map((s) => s.name)).toEqual(['BatchGetItemCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(sleeps.map(Math.round)).toEqual([10, 20]);
  });

  it('delete old generations with backoff and fail at the bound', async () => {
    const sent: Sent[] = [];
    const { policy, sleeps } = recorded({ retries: 3 });
    const store = createReadModelStore(unprocessingClient(sent), 'storyline-read-models', { retry: policy });
    await expect(store.dropGenerationsBefore(2)).rejects.toThrow(new UnprocessedItemsError('BatchWriteItem', 'storyline-read-models', 2, 3));
    expect(sent.filter((s) => s.name === 'BatchWriteItemCommand')).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
  });
});
