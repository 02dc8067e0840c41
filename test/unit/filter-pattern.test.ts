import type { DynamoDBRecord } from 'aws-lambda';
import { EVENT_ID_PREFIX, IDEMPOTENCY_PREFIX, isBookkeepingKey } from '../../contracts/tables';
import { streamProcessing } from '../../infra/constructs/stream-processing';
import { checkPattern, matchesPattern, type FilterPattern } from '../../infra/local/filter-pattern';

const item = (streamId: string, version: number, eventName: DynamoDBRecord['eventName'] = 'INSERT'): DynamoDBRecord => ({
  eventName,
  dynamodb: { Keys: { streamId: { S: streamId }, version: { N: String(version) } }, SequenceNumber: '1' },
});

describe('the projector’s filter pattern (FilterCriteria of the stream mapping, evaluated locally)', () => {
  const passes = (record: DynamoDBRecord) => matchesPattern(streamProcessing.filterPattern, record);

  it('passes inserted events', () => {
    expect(passes(item('story/russia-pakistan-2012', 1))).toBe(true);
    expect(passes(item('digest/daily', 12))).toBe(true);
  });

  it('refuses id records, receipts and idempotency keys: every key isBookkeepingKey names', () => {
    for (const streamId of [`${EVENT_ID_PREFIX}e1`, `${IDEMPOTENCY_PREFIX}k1`, '$anything']) {
      expect(isBookkeepingKey(streamId)).toBe(true);
      for (const version of [0, 1, 7]) expect(passes(item(streamId, version))).toBe(false);
    }
  });

  it('refuses version 0 and any overwrite or removal', () => {
    expect(passes(item('story/x', 0))).toBe(false);
    expect(passes(item('story/x', 3, 'MODIFY'))).toBe(false);
    expect(passes(item('story/x', 3, 'REMOVE'))).toBe(false);
  });

  it('refuses a record without keys', () => {
    expect(passes({ eventName: 'INSERT', dynamodb: {} })).toBe(false);
  });

  it('is a pattern the local evaluator implements in full', () => {
    expect(() => checkPattern(streamProcessing.filterPattern)).not.toThrow();
  });
});

describe('the filter pattern grammar (the subset implemented)', () => {
  const record = { a: { b: 'hello', n: '10' }, c: 'x' };

  it('matches equal strings, prefixes, anything-but lists and prefixes, and exists', () => {
    const cases: [FilterPattern, boolean][] = [
      [{ c: ['x'] }, true],
      [{ c: ['y', 'x'] }, true],
      [{ c: ['y'] }, false],
      [{ a: { b: [{ prefix: 'he' }] } }, true],
      [{ a: { b: [{ prefix: 'lo' }] } }, false],
      [{ a: { b: [{ 'anything-but': ['hello'] }] } }, false],
      [{ a: { b: [{ 'anything-but': ['bye'] }] } }, true],
      [{ a: { b: [{ 'anything-but': { prefix: 'h' } }] } }, false],
      [{ a: { b: [{ 'anything-but': { prefix: 'x' } }] } }, true],
      [{ a: { z: [{ exists: false }] } }, true],
      [{ a: { z: [{ exists: true }] } }, false],
      [{ q: { z: [{ exists: false }] } }, true],
      [{ a: { b: [{ exists: true }] }, c: ['x'] }, true],
      [{ a: { b: ['hello'] }, c: ['y'] }, false],
    ];
    for (const [pattern, expected] of cases) expect([pattern, matchesPattern(pattern, record)]).toEqual([pattern, expected]);
  });

  it('does not match a missing value with anything-but, nor an object with a leaf matcher', () => {
    expect(matchesPattern({ z: [{ 'anything-but': ['x'] }] }, record)).toBe(false);
    expect(matchesPattern({ a: ['hello'] }, record)).toBe(false);
    expect(matchesPattern({ c: { d: ['x'] } }, record)).toBe(false);
  });

  it('refuses, when checked, the operators it does not implement', () => {
    for (const unknown of [{ numeric: ['>=', 1] }, { suffix: 'x' }, { 'equals-ignore-case': 'x' }, { prefix: 1 }, { 'anything-but': { suffix: 'x' } }, 3, null]) {
      expect(() => checkPattern({ a: [unknown] } as unknown as FilterPattern)).toThrow(/does not implement/);
    }
    expect(() => checkPattern({ a: 'x' } as unknown as FilterPattern)).toThrow(/neither/);
  });
});
