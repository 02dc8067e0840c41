import { formatDateSpan, formatDay, formatInstantSpan, formatTimeOfDay } from '../../functions/render/human-dates';

/** Dates as a person writes them, at the precision known: the one formatter of functions/render. */

describe('a precision-tagged date', () => {
  it.each([
    [{ start: '2012-10-04', precision: 'day' }, '4 October 2012'],
    [{ start: '2012-10', precision: 'month' }, 'October 2012'],
    [{ start: '2012', precision: 'year' }, '2012'],
    [{ start: '2012-09', end: '2012-10', precision: 'month' }, 'September–October 2012'],
    [{ start: '2012-10-01', end: '2012-10-08', precision: 'day' }, '1–8 October 2012'],
    [{ start: '2012-09-30', end: '2012-10-03', precision: 'day' }, '30 September – 3 October 2012'],
    [{ start: '2012-12', end: '2013-01', precision: 'month' }, 'December 2012 – January 2013'],
    [{ start: '2012', end: '2013', precision: 'year' }, '2012–2013'],
    [{ start: '2012-10-02', end: '2012-10-03', precision: 'day' }, '2–3 October 2012'],
    [{ start: '2012-12-30', end: '2013-01-02', precision: 'day' }, '30 December 2012 – 2 January 2013'],
    [{ start: '2012-10-04', end: '2012-10-04', precision: 'day' }, '4 October 2012'],
  ] as const)('%j reads %s', (span, expected) => {
    expect(formatDateSpan(span)).toBe(expected);
  });

  it('shows a form it does not know as text rather than failing', () => {
    expect(formatDateSpan({ start: '2012-13', precision: 'month' })).toBe('2012-13');
  });
});

describe('instants', () => {
  it('are the day they fall on, in UTC unless a time zone is given', () => {
    expect(formatDay('2012-10-07T20:00:00.000Z')).toBe('7 October 2012');
    expect(formatDay('2012-10-07T20:00:00.000Z', 'Asia/Karachi')).toBe('8 October 2012');
    expect(formatDay('not a date')).toBeUndefined();
  });

  it('have a time of day in a time zone, across a daylight-saving change', () => {
    expect(formatTimeOfDay('2012-10-08T06:00:00.000Z')).toBe('06:00');
    expect(formatTimeOfDay('2026-03-28T06:00:00.000Z', 'Europe/London')).toBe('06:00');
    expect(formatTimeOfDay('2026-03-30T06:00:00.000Z', 'Europe/London')).toBe('07:00');
  });

  it('make a window of the days it spans: "1–8 October 2012"', () => {
    expect(formatInstantSpan('2012-10-01T06:00:00.000Z', '2012-10-08T06:00:00.000Z')).toBe('1–8 October 2012');
    expect(formatInstantSpan('2012-09-24T06:00:00.000Z', '2012-10-01T06:00:00.000Z')).toBe('24 September – 1 October 2012');
    expect(formatInstantSpan('2012-12-31T06:00:00.000Z', '2013-01-01T06:00:00.000Z')).toBe('31 December 2012 – 1 January 2013');
    expect(formatInstantSpan('2012-09-30T19:00:00.000Z', '2012-10-07T19:00:00.000Z', 'Asia/Karachi')).toBe('1–8 October 2012');
  });

  it('fall back to UTC for a time zone it does not know, and show unreadable instants as given', () => {
    expect(formatDay('2012-10-07T20:00:00.000Z', 'Not/AZone')).toBe('7 October 2012');
    expect(formatInstantSpan('yesterday', '2012-10-08T06:00:00.000Z')).toBe('yesterday – 2012-10-08T06:00:00.000Z');
  });
});
