import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUBSCRIBER_SEND_FAILED } from '../../contracts/log-messages';
import { countsOf, sectionsOf, type DigestContent } from '../../events/digest/compose';
import { createOutboxMailer, type Mailer } from '../../functions/adapters/mailer';
import { deliverDigest, type PublishedDigest } from '../../functions/subscriptions/delivery';
import { stopMailTo } from '../../functions/subscriptions/feedback';
import { createSubscriptionStore, type SubscriptionStore } from '../../functions/subscriptions/store';
import { subscriberIdOf } from '../../functions/subscriptions/tokens';
import { freshTables } from '../support/dynamodb';
import { captureLogs, type CapturedLogs } from '../support/logs';

/**
 * Sending a digest to subscribers on real DynamoDB Local: 2,000 subscribers each get it once; one
 * address that fails stops nobody else and is sent on the retry; bounces stop mail; rate limits hold.
 */

const key = Buffer.from('k'.repeat(40));
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
};

let tables: Awaited<ReturnType<typeof freshTables>>;
let store: SubscriptionStore;
let outbox: string;
/** The functions' structured log lines, kept out of the test output and looked at (the logger is SILENT in jest otherwise). */
let logs: CapturedLogs;
beforeAll(async () => {
  logs = captureLogs();
  tables = await freshTables();
  store = createSubscriptionStore(tables.client, tables.names.subscriptions);
  outbox = mkdtempSync(join(tmpdir(), 'storyline-outbox-'));
});
afterAll(async () => {
  logs.restore();
  await tables.drop();
  rmSync(outbox, { recursive: true, force: true });
});

const addressOf = (i: number) => `reader-${i}@example.org`;
const confirmSubscriber = async (address: string, topics: string[] = []) => {
  const sid = subscriberIdOf(key, address);
  await store.request(sid, address, { period: 'weekly', stories: [], topics }, new Date());
  await store.confirm(sid, new Date());
  return sid;
};

test('2,000 subscribers each get the digest once; one failing address stops nobody and is sent on the retry', async () => {
  const N = 2000;
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < N) await confirmSubscriber(addressOf(next++));
  }));
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
  const deps = { store, mailer, key: async () => key, now: () => new Date(), baseUrl: 'https://news.example.org' };

  expect(await deliverDigest(deps, digest)).toEqual({ sent: N - 1, empty: 0, alreadySent: 0, failed: 1 });
  expect(readdirSync(outbox)).toHaveLength(N - 1);
  // the failure is logged by the subscriber's opaque id, never by address
  const failure = logs.withMessage(SUBSCRIBER_SEND_FAILED).map((line) => JSON.stringify(line));
  expect(failure).toHaveLength(1);
  expect(failure[0]).toContain(subscriberIdOf(key, failing));
  expect(failure[0]).not.toContain(failing);

  broken = false;
  expect(await deliverDigest(deps, digest)).toEqual({ sent: 1, empty: 0, alreadySent: N - 1, failed: 0 });
  const files = readdirSync(outbox);
  expect(files).toHaveLength(N);
  expect(new Set(files).size).toBe(N);
  expect(files).toContain(`${digest.digestId}.${subscriberIdOf(key, failing)}.eml`);
  expect(await deliverDigest(deps, digest)).toEqual({ sent: 0, empty: 0, alreadySent: N, failed: 0 });
}, 600_000);

test('a subscriber whose part is empty is sent nothing', async () => {
  const sid = await confirmSubscriber('steel-only@example.org', ['steel']);
  const report = await deliverDigest({ store, mailer: createOutboxMailer(outbox), key: async () => key, now: () => new Date(), baseUrl: 'https://news.example.org' }, digest);
  expect(report.empty).toBe(1);
  expect(readdirSync(outbox).filter((f) => f.includes(sid))).toEqual([]);
});

test('a permanent bounce or a complaint erases the subscriber; a transient bounce does not', async () => {
  const bounced = await confirmSubscriber('bounced@example.org');
  const complained = await confirmSubscriber('complained@example.org');
  const transient = await confirmSubscriber('full-mailbox@example.org');
  await stopMailTo(store, key, { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'Bounced@example.org' }] } });
  await stopMailTo(store, key, { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'complained@example.org' }] } });
  await stopMailTo(store, key, { eventType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: 'full-mailbox@example.org' }] } });
  expect(await store.get(bounced)).toBeUndefined();
  expect(await store.get(complained)).toBeUndefined();
  expect(await store.get(transient)).toMatchObject({ status: 'confirmed' });
});

test('rate limits: one slot per address per window, and a count per client window', async () => {
  const sid = subscriberIdOf(key, 'limited@example.org');
  const now = Date.parse('2030-01-01T00:00:00Z');
  expect(await store.claimAddressSlot(sid, now, 600)).toBe(true);
  expect(await store.claimAddressSlot(sid, now + 599_000, 600)).toBe(false);
  expect(await store.claimAddressSlot(sid, now + 600_000, 600)).toBe(true);
  const counts = [];
  for (let i = 0; i < 3; i++) counts.push(await store.countClientRequest('client-a', now, 600));
  expect(counts).toEqual([1, 2, 3]);
  expect(await store.countClientRequest('client-a', now + 600_000, 600)).toBe(1);
});
