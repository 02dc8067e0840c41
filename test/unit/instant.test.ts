import { isInFuture, parseInstant } from '../../events/instant';

describe('instants from outside (reportedAt, asOf, a digest firing, a digest page)', () => {
  it('are read as UTC with milliseconds, whatever offset and fraction they were written with', () => {
    expect(parseInstant('2012-10-08T06:00:00Z')).toBe('2012-10-08T06:00:00.000Z');
    expect(parseInstant('2012-10-08T08:00:00+02:00')).toBe('2012-10-08T06:00:00.000Z');
    expect(parseInstant('2012-10-08T06:00:00.5-00:30')).toBe('2012-10-08T06:30:00.500Z');
  });

  it('need a date, a time and a zone, that exist', () => {
    for (const value of ['', 'garbage', '2012-10-05', '2012-10-05T06:00:00', 'October 5, 2012', '2012-10-05 06:00:00Z', '2012-02-30T00:00:00Z', '2012-10-05T24:00:00Z', '2012-10-05T06:60:00Z']) {
      expect({ value, parsed: parseInstant(value) }).toEqual({ value, parsed: undefined });
    }
    expect(parseInstant('2012-02-29T00:00:00Z')).toBe('2012-02-29T00:00:00.000Z');
  });

  it('are in the future only beyond a minute of clock skew', () => {
    const now = new Date('2012-10-08T06:00:00Z');
    expect(isInFuture('2012-10-08T06:01:00.000Z', now)).toBe(false);
    expect(isInFuture('2012-10-08T06:01:00.001Z', now)).toBe(true);
  });
});
