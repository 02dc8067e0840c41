import { decodeEvent, encodeEvent, parseEvent } from '../../events/catalog/codec';
import { catalog, eventTypes, type DomainEvent, type EventType } from '../../events/catalog/events';
import { ValidationError, type FieldIssue } from '../../events/errors';
import { development, fixtures } from '../support/fixtures';

const eventOf = (type: EventType): DomainEvent => ({ type, data: fixtures[type] }) as DomainEvent;

/** The stored form as it comes back from the table: plain JSON. */
const throughStorage = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const issuesOf = (run: () => unknown): FieldIssue[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
};
const fieldsOf = (run: () => unknown): string[] => issuesOf(run).map((issue) => issue.field);

const v1Pledge = {
  ...development,
  pledgeId: 'pakistan-steel-mills',
  from: 'russia',
  to: 'pakistan',
  purpose: 'Modernization and expansion of Pakistan Steel Mills',
};

describe('the codec', () => {
  it('has a fixture for every event type in the catalog', () => {
    expect(Object.keys(fixtures).sort()).toEqual([...eventTypes].sort());
  });

  describe.each(eventTypes)('a %s', (type) => {
    it('round-trips through encode and decode', () => {
      const event = eventOf(type);
      expect(decodeEvent(encodeEvent(event))).toEqual(event);
    });

    it('round-trips through its stored JSON form', () => {
      const event = eventOf(type);
      const stored = throughStorage(encodeEvent(event));
      expect(stored.schemaVersion).toBe(catalog[type].schemaVersion);
      expect(decodeEvent(stored)).toEqual(event);
    });
  });

  describe('when an AssistancePledged was stored as v1', () => {
    it('decodes a bare USD range into an amount with a currency', () => {
      const decoded = decodeEvent({
        type: 'AssistancePledged',
        schemaVersion: 1,
        data: throughStorage({ ...v1Pledge, amountUsd: { min: 300_000_000, max: 500_000_000 } }),
      });
      expect(decoded).toEqual({
        type: 'AssistancePledged',
        data: { ...v1Pledge, amount: { currency: 'USD', min: 300_000_000, max: 500_000_000 } },
      });
      expect(decoded.data).not.toHaveProperty('amountUsd');
    });

    it.each([
      ['500 MW', { value: 500, unit: 'MW' }],
      ['500MW', { value: 500, unit: 'MW' }],
      [' 1.5 GW ', { value: 1.5, unit: 'GW' }],
    ])('decodes the capacity string %j into a value and a unit', (capacity, expected) => {
      const decoded = decodeEvent({ type: 'AssistancePledged', schemaVersion: 1, data: { ...v1Pledge, capacity } });
      expect(decoded).toEqual({ type: 'AssistancePledged', data: { ...v1Pledge, capacity: expected } });
    });

    it('refuses a capacity string it cannot read, naming the field', () => {
      expect(fieldsOf(() => decodeEvent({ type: 'AssistancePledged', schemaVersion: 1, data: { ...v1Pledge, capacity: 'five hundred megawatts' } }))).toContain(
        'data.capacity',
      );
    });

    it('refuses a v1 pledge with neither an amount nor a capacity', () => {
      expect(fieldsOf(() => decodeEvent({ type: 'AssistancePledged', schemaVersion: 1, data: v1Pledge }))).toEqual(['data.amount']);
    });

    it('refuses a v1 shape stored under today\'s version', () => {
      const fields = fieldsOf(() =>
        decodeEvent({ type: 'AssistancePledged', schemaVersion: 2, data: { ...v1Pledge, amountUsd: { min: 1, max: 2 } } }),
      );
      expect(fields).toContain('data');
    });
  });

  describe('when the stored type is unknown', () => {
    it.each([['VisitPostponed'], [''], [42], [undefined], ['toString'], ['__proto__']])('refuses the type %j', (type) => {
      expect(fieldsOf(() => decodeEvent({ type, schemaVersion: 1, data: {} }))).toEqual(['type']);
    });

    it('refuses it in a new event too', () => {
      expect(fieldsOf(() => parseEvent({ type: 'VisitPostponed', data: {} }, 'events.0'))).toEqual(['events.0.type']);
    });
  });

  describe('when the stored schema version is out of range', () => {
    it.each([[0], [3], [-1], [1.5], ['1'], [null], [undefined]])('refuses an AssistancePledged of version %j', (schemaVersion) => {
      const stored = { ...encodeEvent(eventOf('AssistancePledged')), schemaVersion };
      expect(fieldsOf(() => decodeEvent(stored))).toEqual(['schemaVersion']);
    });

    it('refuses a version beyond the current one of a type that never changed', () => {
      const stored = { ...encodeEvent(eventOf('MeetingHeld')), schemaVersion: 2 };
      expect(fieldsOf(() => decodeEvent(stored))).toEqual(['schemaVersion']);
    });
  });

  describe('when the payload is invalid', () => {
    const decodeMeeting = (data: Record<string, unknown>) => () =>
      decodeEvent({ type: 'MeetingHeld', schemaVersion: 1, data: { ...fixtures.MeetingHeld, ...data } });

    it.each<[string, Record<string, unknown>, string]>([
      ['a date that is not ISO', { occurred: { start: '4 October 2012', precision: 'day' } }, 'data.occurred.start'],
      ['a date more precise than its precision', { occurred: { start: '2012-10-04', precision: 'month' } }, 'data.occurred.start'],
      ['an end before the start', { occurred: { start: '2012-10-05', end: '2012-10-04', precision: 'day' } }, 'data.occurred.end'],
      ['an unknown precision', { occurred: { start: '2012-10-04', precision: 'week' } }, 'data.occurred.precision'],
      ['an actor id that is not a slug', { actors: ['General Kayani'] }, 'data.actors.0'],
      ['no sources', { sources: [] }, 'data.sources'],
      ['a source link that is not http(s)', { sources: [{ outlet: 'Dawn', quote: 'A quote.', url: 'javascript:alert(1)' }] }, 'data.sources.0.url'],
      ['an empty headline', { headline: '   ' }, 'data.headline'],
      ['an unknown confidence', { confidence: 'rumour' }, 'data.confidence'],
      ['no participants', { participants: [] }, 'data.participants'],
    ])('refuses %s, naming the field', (_case, data, field) => {
      expect(fieldsOf(decodeMeeting(data))).toContain(field);
    });

    it('refuses a field the schema does not know', () => {
      const issues = issuesOf(decodeMeeting({ mood: 'tense' }));
      expect(issues.map((issue) => issue.field)).toEqual(['data']);
      expect(issues[0]?.message).toMatch(/mood/);
    });

    it('refuses an amount whose max is below its min', () => {
      const data = { ...fixtures.AssistancePledged, amount: { currency: 'USD', min: 500, max: 300 } };
      expect(fieldsOf(() => decodeEvent({ type: 'AssistancePledged', schemaVersion: 2, data }))).toEqual(['data.amount.max']);
    });

    it('refuses an amount without an ISO currency', () => {
      const data = { ...fixtures.AssistancePledged, amount: { currency: 'dollars', min: 300, max: 500 } };
      expect(fieldsOf(() => decodeEvent({ type: 'AssistancePledged', schemaVersion: 2, data }))).toEqual(['data.amount.currency']);
    });

    it('refuses a correction that changes nothing', () => {
      const data = { ...fixtures.DevelopmentCorrected, changes: {} };
      expect(fieldsOf(() => decodeEvent({ type: 'DevelopmentCorrected', schemaVersion: 1, data }))).toEqual(['data.changes']);
    });

    it('refuses a correction of an event id that is not a UUID', () => {
      const data = { ...fixtures.DevelopmentCorrected, eventId: 'the-meeting' };
      expect(fieldsOf(() => decodeEvent({ type: 'DevelopmentCorrected', schemaVersion: 1, data }))).toEqual(['data.eventId']);
    });

    it('refuses data that is not an object', () => {
      expect(fieldsOf(() => decodeEvent({ type: 'StoryOpened', schemaVersion: 1, data: 'a story' }))).toEqual(['data']);
      expect(fieldsOf(() => decodeEvent({ type: 'AssistancePledged', schemaVersion: 1, data: null }))).toEqual(['data']);
    });

    it('prefixes the fields of a new event with its place in the batch', () => {
      const data = { ...fixtures.MeetingHeld, occurred: { start: 'October 2012', precision: 'month' } };
      expect(fieldsOf(() => parseEvent({ type: 'MeetingHeld', data }, 'events.3'))).toContain('events.3.data.occurred.start');
    });
  });
});
