import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SUBSCRIBER_SEND_FAILED } from '../../contracts/log-messages';
import { countsOf, sectionsOf, type DigestContent } from '../../events/digest/compose';
import { createOutboxMailer, type Mailer } from '../../functions/adapters/mailer';
import { deliverDigest, type PublishedDigest } from '../../functions/subscriptions/delivery';
import { stopMailTo } from '../../functions/subscriptions/feedback';
import type { SubscriptionDeps } from '../../functions/subscriptions/service';
import { subscriberIdOf } from '../../functions/subscriptions/tokens';
import { tablesFolderAndLogs } from '../support/suite-tables';
import { confirmedSubscriber, confirmedSubscribers, subscriptionDeps, testKeys as key } from '../support/subscriptions';

/**
 * Sending a digest to subscribers on real DynamoDB Local: 2,000 subscribers each get it once; one
 * address that fails stops nobody else and is sent on the retry; bounces stop mail; rate limits hold.
 */

const stories: DigestContent['stories'] = [
  {
    storyId: 'grid',
    title: 'The grid',
    topics: [
      {
        topic: 'energy',
        developments: [
          { eventId: '00000000-0000-4000-8000-000000000001', type: 'MeetingHeld', headline: 'Grid talks', summary: 'They met.', occurred: { start: '2012-10-02', precision: 'day' }, confidence: 'confirmed', sources: [], reportedAt: '2012-10-02T10:00:00.000Z', topics: ['energy'] },
        ],
      },
    ],
  },
];
const window = { start: '2012-10-01T06:00:00.000Z', end: '2012-10-08T06:00:00.000Z', timezone: 'UTC' };
const digest: PublishedDigest = {
  digestId: 'weekly-2012-10-08t06-00-00z',
  period: 'weekly',
  content: { title: 'Weekly digest to 2012-10-08: The grid', summary: '1 development in 1 story.', period: 'weekly', window, stories, changes: [], counts: countsOf(stories, []), sections: sectionsOf(stories, []) },
  // after every confirmation the suite makes: each of them was subscribed when it was published
  publishedAt: new Date(Date.now() + 3600_000).toISOString(),
};

/** The functions' structured log lines are kept out of the test output and looked at (the logger is SILENT in jest otherwise). */
const suite = tablesFolderAndLogs('storyline-outbox-');
let base: SubscriptionDeps;
let outbox: string;
beforeAll(() => {
  outbox = suite.folder;
  // a mailer nothing here sends with (the tests give theirs): a mail sent by it would land beside the outbox's files, and be counted
  base = subscriptionDeps(suite.tables.client, suite.tables.names.subscriptions, createOutboxMailer(join(outbox, 'unused')));
});

const addressOf = (i: number) => `reader-${i}@example.org`;
const confirmSubscriber = (address: string, topics: string[] = []) => confirmedSubscriber(base, address, { topics });

test('2,000 subscribers each get the digest once; one failing address stops nobody and is sent on the retry', async () => {
  const N = 2000;
  await confirmedSubscribers(base, suite.tables.client, suite.tables.names.subscriptions, Array.from({ length: N }, (_, i) => addressOf(i)));
  const failing = addressOf(1234);
  let broken = true;
  const outboxMailer = createOutboxMailer(outbox);
  const mailer: Mailer = {
    describe: 'outbox with one failing address',
    // the fault DynamoDB Local and a folder cannot produce: a recipient the mail service refuses
    send: async (message) => {
      if (broken && message.to?.[0] === failing) throw new Error('550 mailbox unavailable');
      await outboxMailer.send(message);
    },
  };
  const deps = { ...base, mailer };

  expect(await deliverDigest(deps, digest)).toEqual({ sent: N - 1, empty: 0, alreadySent: 0, notSent: 0, failed: 1 });
  expect(readdirSync(outbox)).toHaveLength(N - 1);
  // the failure is logged by the subscriber's opaque id, never by address
  const failure = suite.logs.withMessage(SUBSCRIBER_SEND_FAILED).map((line) => JSON.stringify(line));
  expect(failure).toHaveLength(1);
  expect(failure[0]).toContain(subscriberIdOf(key, failing));
  expect(failure[0]).not.toContain(failing);

  broken = false;
  expect(await deliverDigest(deps, digest)).toEqual({ sent: 1, empty: 0, alreadySent: N - 1, notSent: 0, failed: 0 });
  const files = readdirSync(outbox);
  expect(files).toHaveLength(N);
  expect(new Set(files).size).toBe(N);
  expect(files).toContain(`${digest.digestId}.${subscriberIdOf(key, failing)}.eml`);
  expect(await deliverDigest(deps, digest)).toEqual({ sent: 0, empty: 0, alreadySent: N, notSent: 0, failed: 0 });
}, 600_000);

test('a subscriber whose part is empty is sent nothing', async () => {
  const sid = await confirmSubscriber('steel-only@example.org', ['steel']);
  const report = await deliverDigest({ ...base, mailer: createOutboxMailer(outbox) }, digest);
  expect(report.empty).toBe(1);
  expect(readdirSync(outbox).filter((f) => f.includes(sid))).toEqual([]);
});

test('a permanent bounce or a complaint erases the subscriber; a transient bounce does not', async () => {
  const bounced = await confirmSubscriber('bounced@example.org');
  const complained = await confirmSubscriber('complained@example.org');
  const transient = await confirmSubscriber('full-mailbox@example.org');
  await stopMailTo(base.subscriptions, key, { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Bounced@example.org' }] } });
  await stopMailTo(base.subscriptions, key, { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'complained@example.org' }] } });
  await stopMailTo(base.subscriptions, key, { eventType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'full-mailbox@example.org' }] } });
  expect(await base.subscriptions.get(bounced)).toBeUndefined();
  expect(await base.subscriptions.get(complained)).toBeUndefined();
  expect(await base.subscriptions.get(transient)).toMatchObject({ status: 'confirmed' });
});

test('rate limits: confirmation mails per address per UTC day up to the setting, and a count per client window', async () => {
  const sid = subscriberIdOf(key, 'limited@example.org');
  const day = Date.parse('2030-01-01T00:00:00Z');
  const claims = [];
  for (let i = 0; i < 4; i++) claims.push(await base.rateLimits.claimConfirmationMail(sid, day + i * 3600_000, 3));
  expect(claims).toEqual([true, true, true, false]);
  expect(await base.rateLimits.claimConfirmationMail(sid, day + 86_400_000, 3)).toBe(true);
  const counts = [];
  for (let i = 0; i < 3; i++) counts.push(await base.rateLimits.countClientRequest('client-a', day, 600));
  expect(counts).toEqual([1, 2, 3]);
  expect(await base.rateLimits.countClientRequest('client-a', day + 600_000, 600)).toBe(1);
});
