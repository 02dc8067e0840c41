import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createOutboxMailer } from '../../functions/adapters/mailer';
import { httpHandler } from '../../functions/http/handle';
import { CONTENT_SECURITY_POLICY } from '../../functions/http/pages';
import { subscriptionRoutes } from '../../functions/subscriptions/routes';
import type { SubscriptionDeps } from '../../functions/subscriptions/service';
import { manageToken, subscriberIdOf } from '../../functions/subscriptions/tokens';
import { gatewayEvent, lambdaContext } from '../support/gateway-events';
import { outboxMails } from '../support/outbox';
import { subscriberItems, tablesFolderAndLogs } from '../support/suite-tables';
import { subscriptionDeps, testKeys } from '../support/subscriptions';

/**
 * The subscription routes on DynamoDB Local, as API Gateway calls them: confirmation only by a
 * deliberate POST, a sign-up that never changes a confirmed subscription, the daily limit of
 * confirmation mails, the "not me" link, 'sign me out everywhere', and what is kept (and until when).
 */

const suite = tablesFolderAndLogs('storyline-routes-');
let deps: SubscriptionDeps;
let handler: ReturnType<typeof httpHandler>;
beforeAll(() => {
  deps = subscriptionDeps(suite.tables.client, suite.tables.names.subscriptions, createOutboxMailer(suite.folder));
  handler = httpHandler(subscriptionRoutes(deps));
});

type Call = { method: 'GET' | 'POST' | 'DELETE'; route: string; query?: Record<string, string>; headers?: Record<string, string>; body?: string };
const call = async ({ method, route, query, headers, body }: Call) =>
  (await handler(gatewayEvent({ method, route, path: route, ...(query ? { query } : {}), ...(headers ? { headers } : {}), ...(body !== undefined ? { body } : {}) }), lambdaContext())) as APIGatewayProxyStructuredResultV2 & { body: string; headers: Record<string, string> };
const signUp = (email: string, more: Record<string, string | string[]> = {}) =>
  call({ method: 'POST', route: '/subscriptions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, period: 'weekly', ...more }) });
const mailsTo = (address: string) => outboxMails(suite.folder).filter((m) => m.headers.to === address);
const linkIn = (text: string, label: string) => new URL(new RegExp(`${label}: (\\S+)`).exec(text)?.[1] ?? 'https://invalid/');
const tokenIn = (url: URL) => url.searchParams.get('token') ?? '';
const lastConfirmation = (address: string) => tokenIn(linkIn(mailsTo(address).at(-1)!.text, 'Confirm'));
const confirmGet = (token: string, accept?: string) => call({ method: 'GET', route: '/subscriptions/confirm', query: { token }, ...(accept ? { headers: { accept } } : {}) });
const confirmPost = (token: string) => call({ method: 'POST', route: '/subscriptions/confirm', query: { token }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
const partitionOf = (address: string) => subscriberItems(suite.tables, subscriberIdOf(testKeys, address));
const counts = async () => JSON.parse((await call({ method: 'GET', route: '/subscriptions/counts' })).body) as { pending: number; confirmed: { weekly: number; daily: number } };

describe('confirmation by a deliberate act', () => {
  it('a GET of the link, with any Accept, changes nothing: a page with a plain form button, or "confirm with POST" for JSON; the POST confirms, again harmlessly', async () => {
    expect((await signUp('scanned@example.org')).statusCode).toBe(202);
    const token = lastConfirmation('scanned@example.org');
    const before = await counts();

    for (const accept of [undefined, '*/*', 'text/html', 'application/json', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8']) {
      const res = await confirmGet(token, accept);
      expect(res.statusCode).toBe(200);
    }
    expect(await counts()).toEqual(before);
    expect(await deps.subscriptions.get(subscriberIdOf(testKeys, 'scanned@example.org'))).toBeUndefined();

    const page = await confirmGet(token, 'text/html');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.body).toContain('<link rel="stylesheet" href="/style.css">');
    expect(page.body).not.toMatch(/<script(?! type="application\/ld\+json")|style="/);
    expect(page.body).toContain(`<form class="subscribe" method="post" action="/subscriptions/confirm?token=${token}">`);
    expect(page.body).toContain('<button type="submit">Confirm</button>');
    expect(JSON.parse((await confirmGet(token)).body)).toEqual({ status: 'confirm-with-post', message: expect.stringContaining('POST'), confirm: { method: 'POST', url: `https://news.example.org/subscriptions/confirm?token=${token}` } });

    const confirmed = await confirmPost(token);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Subscription confirmed');
    expect((await counts()).confirmed.weekly).toBe(before.confirmed.weekly + 1);
    expect((await counts()).pending).toBe(before.pending - 1);
    // idempotent
    expect((await confirmPost(token)).statusCode).toBe(200);
    expect((await counts()).confirmed.weekly).toBe(before.confirmed.weekly + 1);
  });

  it('an altered or expired link gets a clear page, on GET and on POST', async () => {
    await signUp('altered@example.org');
    const token = lastConfirmation('altered@example.org');
    const altered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    for (const res of [await confirmGet(altered, 'text/html'), await confirmPost(altered)]) {
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('This link is not valid');
    }
    const later = { ...deps, now: () => new Date(Date.now() + 49 * 3600_000) };
    const expired = await httpHandler(subscriptionRoutes(later))(gatewayEvent({ method: 'POST', route: '/subscriptions/confirm', path: '/subscriptions/confirm', query: { token }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' }), lambdaContext());
    expect(expired.statusCode).toBe(400);
    expect((expired as { body: string }).body).toContain('expired');
  });
});

describe('a sign-up never changes a confirmed subscription', () => {
  it('a stranger signing up a confirmed address stages nothing: only the new mail, confirmed by POST, changes it', async () => {
    const address = 'victim@example.org';
    await signUp(address, { stories: ['grid'] });
    const first = lastConfirmation(address);
    await confirmPost(first);
    const sid = subscriberIdOf(testKeys, address);

    await signUp(address, { period: 'daily', topics: ['steel'] });
    expect((await deps.subscriptions.get(sid))?.preferences).toEqual({ period: 'weekly', stories: ['grid'], topics: [] });
    // the older link confirms what it named, not the staged request
    expect((await confirmPost(first)).statusCode).toBe(200);
    expect((await deps.subscriptions.get(sid))?.preferences).toEqual({ period: 'weekly', stories: ['grid'], topics: [] });

    await confirmPost(lastConfirmation(address));
    expect((await deps.subscriptions.get(sid))?.preferences).toEqual({ period: 'daily', stories: [], topics: ['steel'] });
  });

  it('a link of a request a newer sign-up replaced confirms nothing', async () => {
    const address = 'replaced@example.org';
    await signUp(address);
    const older = lastConfirmation(address);
    await signUp(address, { period: 'daily' });
    const res = await confirmPost(older);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('not waiting for confirmation');
    expect(await deps.subscriptions.get(subscriberIdOf(testKeys, address))).toBeUndefined();
    expect((await confirmPost(lastConfirmation(address))).statusCode).toBe(200);
    expect((await deps.subscriptions.get(subscriberIdOf(testKeys, address)))?.preferences.period).toBe('daily');
  });

  it('sends at most the daily limit of confirmation mails to one address (3 by default)', async () => {
    for (let i = 0; i < 5; i++) expect((await signUp('flooded@example.org')).statusCode).toBe(202);
    expect(mailsTo('flooded@example.org')).toHaveLength(3);
    // over the limit nothing is replaced: the last mail's link still confirms
    expect((await confirmPost(lastConfirmation('flooded@example.org'))).statusCode).toBe(200);
  });
});

describe('nothing kept longer than needed', () => {
  it('a pending sign-up expires by TTL when its link does, and its mail can erase it now', async () => {
    await signUp('not-me@example.org');
    const mail = mailsTo('not-me@example.org')[0]!;
    const [request] = (await partitionOf('not-me@example.org')).filter((item) => item.sk === 'request');
    const expires = Number(Buffer.from(tokenIn(linkIn(mail.text, 'Confirm')).split('.')[0]!, 'base64url').toString().split('.').at(-1));
    expect(request).toMatchObject({ email: 'not-me@example.org', expiresAt: expires });

    const cancel = linkIn(mail.text, 'Or delete it now');
    const prompt = await call({ method: 'GET', route: '/subscriptions/cancel', query: { token: tokenIn(cancel) }, headers: { accept: 'text/html' } });
    expect(prompt.body).toContain('<button type="submit">Delete the sign-up</button>');
    expect(JSON.stringify(await partitionOf('not-me@example.org'))).toContain('not-me@example.org');
    const done = await call({ method: 'POST', route: '/subscriptions/cancel', query: { token: tokenIn(cancel) }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(done.statusCode).toBe(200);
    expect(JSON.stringify(await partitionOf('not-me@example.org'))).not.toContain('not-me@example.org');
    expect((await confirmPost(tokenIn(linkIn(mail.text, 'Confirm')))).statusCode).toBe(404);
  });

  it('counts come from the confirmed index, never a Scan', async () => {
    const sent = jest.spyOn(suite.tables.client, 'send');
    await counts();
    const commands = sent.mock.calls.map(([command]) => command.constructor.name);
    sent.mockRestore();
    expect(commands).not.toContain('ScanCommand');
    expect(commands.filter((name) => name === 'QueryCommand').length).toBeGreaterThanOrEqual(3);
  });
});

describe('manage links', () => {
  it("'sign me out everywhere' revokes every manage link sent so far; the subscription stays and new links work", async () => {
    const address = 'forwarded@example.org';
    await signUp(address);
    await confirmPost(lastConfirmation(address));
    const sid = subscriberIdOf(testKeys, address);
    const forwarded = manageToken(testKeys, sid, 1);
    const page = await call({ method: 'GET', route: '/subscriptions/preferences', query: { token: forwarded }, headers: { accept: 'text/html' } });
    expect(page.body).toContain(`action="/subscriptions/sign-out?token=${forwarded}"`);
    expect(page.body).toContain('Sign me out everywhere');

    const out = await call({ method: 'POST', route: '/subscriptions/sign-out', query: { token: forwarded }, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(out.statusCode).toBe(200);
    for (const route of ['/subscriptions/preferences', '/subscriptions/unsubscribe']) {
      const refused = await call({ method: 'GET', route, query: { token: forwarded } });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('revoked');
    }
    expect((await call({ method: 'DELETE', route: '/subscriptions', query: { token: forwarded } })).statusCode).toBe(400);
    expect(await deps.subscriptions.get(sid)).toMatchObject({ tokenVersion: 2 });
    expect((await call({ method: 'GET', route: '/subscriptions/preferences', query: { token: manageToken(testKeys, sid, 2) } })).statusCode).toBe(200);
    expect((await call({ method: 'DELETE', route: '/subscriptions', query: { token: manageToken(testKeys, sid, 2) } })).statusCode).toBe(204);
    expect(await partitionOf(address)).toEqual([]);
  });
});
