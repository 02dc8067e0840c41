import { catalog } from '../../events/catalog/events';
import { parseEvent } from '../../events/catalog/codec';
import { RuleViolationError, ValidationError } from '../../events/errors';
import { checkPost } from '../../functions/desk/csrf';
import { mapErrors } from '../../functions/desk/field-errors';
import { dataOf, formFields, valuesOf } from '../../functions/desk/schema-form';
import { issueSession, issueSignInLink, readSession, readSignInLink, sessionCookie } from '../../functions/desk/session';
import { fixtures } from '../support/fixtures';

const developmentTypes = ['VisitPlanned', 'VisitRescheduled', 'VisitCancelled', 'VisitTookPlace', 'MeetingHeld', 'AgreementSigned', 'AssistancePledged', 'InterestExpressed', 'NegotiationStalled', 'CommentaryPublished'] as const;

describe('desk forms built from the catalog', () => {
  it.each(developmentTypes)('show a %s and read it back as the same data', (type) => {
    const fields = formFields(catalog[type].schema, 'data');
    const data = fixtures[type] as Record<string, unknown>;
    const back = dataOf(fields, valuesOf(fields, data));
    expect(parseEvent({ type, data: back }).data).toEqual(parseEvent({ type, data }).data);
  });

  it('know dates, actors, sources and confidence by their schemas', () => {
    const kinds = Object.fromEntries(formFields(catalog.AssistancePledged.schema, 'data').map((f) => [f.name, f.kind]));
    expect(kinds).toMatchObject({ 'data.occurred': 'date-span', 'data.actors': 'actors', 'data.from': 'actor', 'data.sources': 'rows', 'data.confidence': 'choice', 'data.topics': 'list', 'data.amount': 'group', 'data.capacity': 'group' });
  });

  it('put a validation issue beside its field and a broken rule beside the field it is about', () => {
    const fields = formFields(catalog.VisitCancelled.schema, 'data');
    const values = new Map([['data.visitId', ['no-such-visit']]]);
    const invalid = mapErrors(new ValidationError('Invalid', [{ field: 'events.0.data.occurred.start', message: 'must have day precision' }, { field: 'events.0.data.topics.2', message: 'bad slug' }]), fields, values, ['data']);
    expect([...invalid.fields]).toEqual([
      ['data.occurred.start', 'Occurred (start): must have day precision'],
      ['data.topics', 'Topics: bad slug'],
    ]);
    const broken = mapErrors(new RuleViolationError('visit-must-be-planned', 'visit no-such-visit can be cancelled only while planned'), fields, values, ['data']);
    expect([...broken.fields.keys()]).toEqual(['data.visitId']);
  });
});

describe('desk sessions and sign-in links', () => {
  const key = new TextEncoder().encode('k'.repeat(48));
  const now = 1_800_000_000;

  it('read back a session until it expires, and never one signed with another key', async () => {
    const { token, session } = await issueSession(key, 'local:ed', now);
    expect(await readSession(key, token, now + 60)).toEqual(session);
    expect(await readSession(key, token, now + 3 * 3600)).toBeUndefined();
    expect(await readSession(new TextEncoder().encode('x'.repeat(48)), token, now)).toBeUndefined();
  });

  it('never take a sign-in link for a session, or the other way round', async () => {
    const link = await issueSignInLink(key, 'local:ed', now);
    expect(await readSignInLink(key, link, now)).toMatchObject({ subject: 'local:ed' });
    expect(await readSession(key, link, now)).toBeUndefined();
    const { token } = await issueSession(key, 'local:ed', now);
    expect(await readSignInLink(key, token, now)).toBeUndefined();
  });

  it('set a Secure cookie but on http://localhost', () => {
    expect(sessionCookie('https://news.example.org', 't')).toBe('storyline_desk=t; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=7200');
    expect(sessionCookie('http://127.0.0.1:3000', 't')).not.toContain('Secure');
    expect(sessionCookie('http://localhost:3000', undefined)).toContain('Max-Age=0');
  });

  it('refuse a POST from another origin or without the CSRF token of its session', async () => {
    const { session } = await issueSession(key, 'local:ed', now);
    const origin = 'https://news.example.org';
    expect(checkPost(session, origin, origin, session.csrf)).toBe(session);
    for (const [from, token] of [['https://evil.example', session.csrf], [undefined, session.csrf], [origin, ''], [origin, 'x'.repeat(session.csrf.length)]] as const) {
      expect(() => checkPost(session, from, origin, token)).toThrow(expect.objectContaining({ status: 403 }));
    }
  });
});
