import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { countsOf, sectionsOf, type DigestContent } from '../../events/digest/compose';
import { createOutboxMailer, type Mailer } from '../../functions/adapters/mailer';
import { httpHandler } from '../../functions/http/handle';
import { deliverDigest, deliverToSubscriber, type PublishedDigest } from '../../functions/subscriptions/delivery';
import { stopMailTo } from '../../functions/subscriptions/feedback';
import { subscriptionRoutes } from '../../functions/subscriptions/routes';
import { SEND_RECORD_TTL_SECONDS } from '../../functions/subscriptions/send-ledger';
import type { SubscriptionDeps } from '../../functions/subscriptions/service';
import { subscriberIdOf } from '../../functions/subscriptions/tokens';
import { gatewayEvent, lambdaContext } from '../support/gateway-events';
import { subscriberItems, tablesFolderAndLogs } from '../support/suite-tables';
import { confirmedSubscriber, subscriptionDeps, testKeys } from '../support/subscriptions';

/**
 * The writes that close the races (a confirmation of the exact request, a send record only beside a
 * subscription, an erasure that leaves nothing even with a send in flight), send records that expire,
 * a re-subscriber who never gets an old digest again, and logs without an address on every failure
 * path. The faults DynamoDB Local cannot produce (a mail service that refuses a recipient, a send that
 * is slow while the subscriber is erased) are a mailer of the test's.
 */

const suite = tablesFolderAndLogs('storyline-races-');
let deps: SubscriptionDeps;
beforeAll(() => {
  deps = subscriptionDeps(suite.tables.client, suite.tables.names.subscriptions, createOutboxMailer(suite.folder));
});

const stories: DigestContent['stories'] = [
  {
    storyId: 'grid',
    title: 'The grid',
    topics: [{ topic: 'energy', developments: [{ eventId: '00000000-0000-4000-8000-000000000001', type: 'MeetingHeld', headline: 'Grid talks', summary: 'They met.', occurred: { start: '2012-10-02', precision: 'day' }, confidence: 'confirmed', sources: [], reportedAt: '2012-10-02T10:00:00.000Z', topics: ['energy'] }] }],
  },
];
const window = { start: '2012-10-01T06:00:00.000Z', end: '2012-10-08T06:00:00.000Z', timezone: 'UTC' };
const digestAt = (publishedAt: Date, digestId = `weekly-${publishedAt.getTime()}`): PublishedDigest => ({
  digestId,
  period: 'weekly',
  publishedAt: publishedAt.toISOString(),
  content: { title: 'Weekly digest: The grid', summary: '1 development.', period: 'weekly', window, stories, changes: [], counts: countsOf(stories, []), sections: sectionsOf(stories, []) },
});
const partition = (sid: string) => subscriberItems(suite.tables, sid);
const hour = 3600_000;

test('a send in flight when the subscriber is erased leaves nothing behind', async () => {
  const past = new Date(Date.now() - hour);
  const sid = await confirmedSubscriber(deps, 'in-flight@example.org', {}, past);
  let release: () => void = () => undefined;
  const slowMailer: Mailer = { describe: 'slow', send: () => new Promise<void>((resolve) => (release = resolve)) };
  const sending = deliverToSubscriber({ ...deps, mailer: slowMailer }, digestAt(new Date(), 'weekly-in-flight'), (await deps.subscriptions.get(sid))!);
  for (let i = 0; i < 100 && !(await partition(sid)).some((item) => item.sk === 'sent/weekly-in-flight'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  // the claim is written, the mail not yet sent: now the subscriber erases
  expect(await deps.subscriptions.erase(sid)).toBeGreaterThanOrEqual(2);
  release();
  await sending;
  expect(await partition(sid)).toEqual([]);
  // and no claim can be taken any more
  expect(await deps.ledger.claimSend(sid, 'weekly-later', Date.now(), Date.now())).toBe('not-subscribed');
  expect(await deps.ledger.markSent(sid, 'weekly-later', Date.now())).toBe(false);
  expect(await partition(sid)).toEqual([]);
});

test('a send record expires a day after its digest can no longer be sent', async () => {
  const sid = await confirmedSubscriber(deps, 'ttl@example.org', {}, new Date(Date.now() - hour));
  const publishedAt = new Date();
  const digest = digestAt(publishedAt, 'weekly-ttl');
  expect(await deliverToSubscriber(deps, digest, (await deps.subscriptions.get(sid))!)).toBe('sent');
  const [record] = (await partition(sid)).filter((item) => item.sk === 'sent/weekly-ttl');
  expect(record).toMatchObject({ state: 'sent', expiresAt: Math.floor(publishedAt.getTime() / 1000) + SEND_RECORD_TTL_SECONDS });
  // past the send window, a re-fired digest sends nothing, so the record is no longer needed
  const late = { ...deps, now: () => new Date(publishedAt.getTime() + (SEND_RECORD_TTL_SECONDS - 86_400) * 1000 + 1000) };
  await deps.subscriptions.erase(sid);
  const again = await confirmedSubscriber(deps, 'ttl@example.org', {}, new Date(Date.now() - hour));
  expect(await deliverToSubscriber(late, digest, (await deps.subscriptions.get(again))!)).toBe('too-late');
});

test('someone who erased and signed up again does not get a digest published before, when it is fired again', async () => {
  const address = 'again@example.org';
  const sid = await confirmedSubscriber(deps, address, {}, new Date(Date.now() - hour));
  const digest = digestAt(new Date(), 'weekly-again');
  expect(await deliverDigest(deps, digest)).toMatchObject({ failed: 0 });
  const copies = () => readdirSync(suite.folder).filter((file) => file.startsWith('weekly-again') && file.includes(sid));
  expect(copies()).toHaveLength(1);
  await deps.subscriptions.erase(sid);
  rmSync(join(suite.folder, copies()[0]!));
  await confirmedSubscriber(deps, address, {}, new Date(Date.now() + 1000));
  expect(await deliverDigest(deps, digest)).toMatchObject({ sent: 0, failed: 0 });
  expect(copies()).toEqual([]);
});

test('no address in any log: an SES rejection (of a digest and of a confirmation), a bounce, a complaint', async () => {
  const address = 'rejected.reader@example.org';
  const rejection = Object.assign(new Error(`Email address is not verified. The following identities failed the check in region EU-WEST-1: ${address}`), {
    name: 'MessageRejected',
    Code: 'MessageRejected',
    $metadata: { httpStatusCode: 400 },
  });
  const ses: Mailer = { describe: 'SES refusing the recipient', send: async () => Promise.reject(rejection) };
  const sid = await confirmedSubscriber(deps, address, {}, new Date(Date.now() - hour));

  expect((await deliverDigest({ ...deps, mailer: ses }, digestAt(new Date(), 'weekly-rejected'))).failed).toBeGreaterThanOrEqual(1);
  const signUp = await httpHandler(subscriptionRoutes({ ...deps, mailer: ses }))(
    gatewayEvent({ method: 'POST', route: '/subscriptions', path: '/subscriptions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'new.reader@example.org' }) }),
    lambdaContext(),
  );
  expect((signUp as { statusCode: number }).statusCode).toBe(500);
  await stopMailTo(deps.subscriptions, testKeys, { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: `Reader <${address}>` }] } });
  const complainer = await confirmedSubscriber(deps, 'complainer@example.org');
  await stopMailTo(deps.subscriptions, testKeys, { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'complainer@example.org' }] } });

  const text = JSON.stringify(suite.logs.lines).toLowerCase();
  expect(suite.logs.withMessage('digest not sent to a subscriber').find((line) => line.sid === sid)).toMatchObject({ errorName: 'MailNotSentError' });
  expect(text).toContain('messagerejected');
  expect(suite.logs.withMessage('request failed')).toHaveLength(1);
  expect(suite.logs.withMessage('subscriber erased after SES feedback').map((line) => line.sid)).toEqual([sid, complainer]);
  for (const who of [address, 'new.reader@example.org', 'complainer@example.org']) expect(text).not.toContain(who);
  expect(text).not.toContain('@example.org');
  expect(subscriberIdOf(testKeys, address)).toBe(sid);
});
