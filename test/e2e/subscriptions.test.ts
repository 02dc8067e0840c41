import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keysOfSecret } from '../../functions/subscriptions/secret';
import { confirmationToken, manageToken as signManage, subscriberIdOf, type SubscriptionKeys } from '../../functions/subscriptions/tokens';
import { loadDigestHandler } from '../../infra/local/handlers';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';
import { outboxMails, type Eml } from '../support/outbox';
import { everyTableAsText, keepProcessLogs } from '../support/personal-data';
import { fetchRead } from '../support/api';

/**
 * Digest subscriptions end to end on the local runtime: sign-up, the confirmation .eml, its link (a
 * page with a button: opening it confirms nothing), confirmation by the POST, the weekly digest of
 * the seed week fired as the scheduler fires it, one-click unsubscribe, erasure.
 */

const SEED_WEEK = '2012-10-08T06:00:00Z';
const NEXT_WEEK = '2012-10-15T06:00:00Z';

let app: RunningStoryline;
let key: SubscriptionKeys;
const logs: string[] = [];
beforeAll(async () => {
  app = await startStoryline();
  key = keysOfSecret(readFileSync(join(app.dataDir, 'subscriptions', 'secret'), 'utf8'));
  await eventually(async () => {
    const res = await fetch(`${app.baseUrl}/stories/${seedStory.storyId}/timeline`);
    return res.status === 200 && ((await res.json()) as { version: number }).version === seedStory.events.length;
  }, { timeoutMs: 20_000 });
  keepProcessLogs(logs);
}, 300_000);
afterAll(async () => {
  jest.restoreAllMocks();
  await app?.stop();
});

const outbox = () => join(app.dataDir, 'outbox');
const mailsTo = (address: string): Eml[] => outboxMails(outbox()).filter((m) => m.headers.to === address);
const fire = async (at: string, period: 'weekly' | 'daily' = 'weekly') => (await loadDigestHandler())({ period, scheduledTime: at });
const subscribe = (body: Record<string, unknown>) =>
  fetch(`${app.baseUrl}/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const linkIn = (mail: Eml, label: string) => new RegExp(`${label}: (\\S+)`).exec(mail.text)?.[1] ?? '';
const manageToken = (address: string) => signManage(key, subscriberIdOf(key, address), 1);
const post = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
const counts = async () => (await (await fetch(`${app.baseUrl}/subscriptions/counts`, { headers: { authorization: `Bearer ${app.token}` } })).json()) as { pending: number; confirmed: { weekly: number } };

/** Subscribes and confirms with the button of the page the confirmation mail links to. */
const subscribed = async (address: string, body: Record<string, unknown> = {}) => {
  expect((await subscribe({ email: address, period: 'weekly', ...body })).status).toBe(202);
  const confirmation = mailsTo(address).at(-1);
  const res = await post(linkIn(confirmation!, 'Confirm'));
  expect(res.status).toBe(200);
};

test('subscribe, confirm from the .eml, get the seed week once with both RFC 8058 headers, unsubscribe with one click, get nothing after', async () => {
  const address = 'reader@example.org';
  const res = await subscribe({ email: address, period: 'weekly' });
  expect(res.status).toBe(202);
  const accepted = await res.json();

  const [confirmation, ...more] = mailsTo(address);
  expect(more).toEqual([]);
  expect(confirmation!.headers.subject).toBe('Confirm your Storyline digest subscription');
  const link = linkIn(confirmation!, 'Confirm');
  expect(link).toMatch(new RegExp(`^${app.baseUrl}/subscriptions/confirm\\?token=`));

  // what a mail scanner or link preview does: a GET of every link, whatever it accepts
  const counted = await counts();
  for (const accept of ['*/*', 'text/html', 'application/json']) {
    const scanned = await fetch(link, { headers: { accept, 'user-agent': 'curl/8.5.0' } });
    expect(scanned.status).toBe(200);
  }
  expect(await counts()).toEqual(counted);
  const page = await fetch(link, { headers: { accept: 'text/html' } });
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(await page.text()).toContain('<button type="submit">Confirm</button>');
  expect(await (await fetch(link)).json()).toMatchObject({ status: 'confirm-with-post', confirm: { method: 'POST', url: link } });

  const confirmed = await post(link);
  expect(confirmed.status).toBe(200);
  expect(await confirmed.text()).toContain('Subscription confirmed');
  expect((await counts()).confirmed.weekly).toBe(counted.confirmed.weekly + 1);
  // idempotent, and JSON for an API client
  const again = await fetch(link, { method: 'POST' });
  expect(again.status).toBe(200);
  expect(await again.json()).toEqual({ status: 'confirmed', preferences: { period: 'weekly', stories: [], topics: [] } });

  // a sign-up of a confirmed address answers as one of a new address does
  expect(await (await subscribe({ email: 'someone-new@example.org' })).json()).toEqual(accepted);

  const first = await fire(SEED_WEEK);
  expect(first).toMatchObject({ status: 'published', subscribers: { sent: 1, failed: 0 } });
  const [digest, ...others] = mailsTo(address).filter((m) => m.file.startsWith('weekly-'));
  expect(others).toEqual([]);
  const unsubscribeUrl = linkIn(digest!, 'Unsubscribe');
  expect(digest!.headers['list-unsubscribe']).toBe(`<${unsubscribeUrl}>`);
  expect(digest!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  expect(linkIn(digest!, 'Change what you receive')).toMatch(/\/subscriptions\/preferences\?token=/);
  expect(digest!.html).toContain('>Unsubscribe</a>');
  expect(digest!.text).toContain('Lavrov');

  // fired again: nothing new
  expect(await fire(SEED_WEEK)).toMatchObject({ status: 'already-published', subscribers: { sent: 0, alreadySent: 1 } });
  expect(mailsTo(address).filter((m) => m.file.startsWith('weekly-'))).toHaveLength(1);

  // the link shows a button (a GET changes nothing); the one-click POST unsubscribes
  const button = await fetch(unsubscribeUrl, { headers: { accept: 'text/html' } });
  expect(await button.text()).toContain('name="List-Unsubscribe" value="One-Click"');
  const oneClick = await fetch(unsubscribeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
  expect(oneClick.status).toBe(200);
  expect((await fetchRead(unsubscribeUrl.replace('unsubscribe', 'preferences'))).status).toBe(404);

  const before = outboxMails(outbox()).length;
  await fire(SEED_WEEK);
  await fire(NEXT_WEEK);
  expect(mailsTo(address).filter((m) => m.file.startsWith('weekly-'))).toHaveLength(1);
  expect(outboxMails(outbox())).toHaveLength(before);
});

test('an unconfirmed subscriber gets no digest', async () => {
  expect((await subscribe({ email: 'pending@example.org' })).status).toBe(202);
  await fire(SEED_WEEK);
  expect(mailsTo('pending@example.org').map((m) => m.headers.subject)).toEqual(['Confirm your Storyline digest subscription']);
});

test('an altered or expired confirmation link is refused with a clear 400, as a page or a problem document', async () => {
  expect((await subscribe({ email: 'links@example.org' })).status).toBe(202);
  const link = linkIn(mailsTo('links@example.org')[0]!, 'Confirm');
  const altered = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA');
  const page = await fetch(altered, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(400);
  expect(await page.text()).toContain('This link is not valid');
  const problem = await fetch(altered);
  expect(problem.status).toBe(400);
  expect(problem.headers.get('content-type')).toBe('application/problem+json');

  const expired = confirmationToken(key, subscriberIdOf(key, 'links@example.org'), 'any-request', Date.now() - 49 * 3600_000);
  for (const res of [await fetch(`${app.baseUrl}/subscriptions/confirm?token=${expired}`, { headers: { accept: 'text/html' } }), await post(`${app.baseUrl}/subscriptions/confirm?token=${expired}`)]) {
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('expired');
  }
  // an unsubscribe token is no confirmation
  expect((await fetchRead(`${app.baseUrl}/subscriptions/confirm?token=${manageToken('links@example.org')}`)).status).toBe(400);
});

test('the same address signing up four times in a day gets three confirmations (the daily limit)', async () => {
  const answers = [];
  for (const email of ['often@example.org', 'Often@Example.org', 'often@example.org', 'OFTEN@example.org']) answers.push(await subscribe({ email }));
  expect(answers.map((res) => res.status)).toEqual([202, 202, 202, 202]);
  const bodies = await Promise.all(answers.map((res) => res.json()));
  expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
  expect(outboxMails(outbox()).filter((m) => (m.headers.to ?? '').toLowerCase() === 'often@example.org')).toHaveLength(3);
});

test('a subscriber who follows only energy gets only energy developments (a development matches when any of its topics does)', async () => {
  // the daily digest of the day the seed story was reported: published after this confirmation
  await subscribed('energy@example.org', { topics: ['energy'], period: 'daily' });
  await fire(SEED_WEEK, 'daily');
  const [digest, ...more] = mailsTo('energy@example.org').filter((m) => m.file.startsWith('daily-'));
  expect(more).toEqual([]);
  // the digest's read model comes with projection
  await eventually(async () => (await fetchRead(`${app.baseUrl}/digests/daily/${SEED_WEEK}`)).status === 200, { timeoutMs: 20_000 });
  const published = (await (await fetch(`${app.baseUrl}/digests/daily/${SEED_WEEK}`)).json()) as { stories: { topics: { developments: { headline: string; topics: string[] }[] }[] }[] };
  const all = published.stories.flatMap((s) => s.topics.flatMap((t) => t.developments));
  const energy = all.filter((d) => d.topics.includes('energy')).map((d) => d.headline);
  expect(energy.length).toBeGreaterThan(0);
  expect(energy.length).toBeLessThan(all.length);
  const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const listed = [...digest!.html.matchAll(/<li style="margin-bottom: \.8em"><strong>(.*?)<\/strong>/g)].map((m) => unescape(m[1]!));
  expect(listed.sort()).toEqual(energy.sort());
});

test('forms, CR/LF, the body limit and the counts', async () => {
  const form = await fetch(`${app.baseUrl}/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=form%40example.org&period=daily&stories=russia-pakistan-2012' });
  expect(form.status).toBe(202);
  expect(await form.text()).toContain('Check your inbox');
  const multipart = new FormData();
  multipart.set('email', 'multipart@example.org');
  multipart.set('topics', 'steel,energy');
  expect((await fetchRead(`${app.baseUrl}/subscriptions`, { method: 'POST', body: multipart })).status).toBe(202);
  expect(mailsTo('multipart@example.org')).toHaveLength(1);

  const injected = await subscribe({ email: 'a@example.org\r\nBcc: victim@example.org' });
  expect(injected.status).toBe(400);
  expect(injected.headers.get('content-type')).toBe('application/problem+json');
  expect((await subscribe({ email: 'not-an-address' })).status).toBe(400);
  expect((await subscribe({ email: 'big@example.org', topics: ['x'.repeat(9000)] })).status).toBe(413);

  expect((await fetchRead(`${app.baseUrl}/subscriptions/counts`)).status).toBe(401);
  const counts = await fetch(`${app.baseUrl}/subscriptions/counts`, { headers: { authorization: `Bearer ${app.token}` } });
  const text = await counts.text();
  expect(text).not.toContain('@');
  expect(JSON.parse(text)).toMatchObject({ confirmed: { weekly: expect.any(Number) }, byTopic: { energy: { daily: 1 } } });
});

test('erasure: after DELETE with its token, no table and no log line holds the address, a pending change of preferences included', async () => {
  const address = 'erase-me@example.org';
  await subscribed(address, { stories: [seedStory.storyId] });
  expect((await subscribe({ email: address, period: 'daily' })).status).toBe(202);

  const everything = () => everyTableAsText(app);
  expect(await everything()).toContain(address);

  const res = await fetch(`${app.baseUrl}/subscriptions?token=${manageToken(address)}`, { method: 'DELETE' });
  expect(res.status).toBe(204);
  expect(await everything()).not.toContain(address);
  expect(logs.join('\n')).toContain('subscriber erased');
  expect(logs.join('\n').toLowerCase()).not.toContain(address);
});
