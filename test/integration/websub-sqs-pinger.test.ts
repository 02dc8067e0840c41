import { createServer, type Server } from 'node:http';
import { CreateInvalidationCommand, GetInvalidationCommand, type CloudFrontClient, type Invalidation } from '@aws-sdk/client-cloudfront';
import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { FEED_MAX_AGE_SECONDS } from '../../functions/feed-publication';
import { backoffMs, DEFAULT_PINGER_OPTIONS } from '../../functions/websub/pinger';
import { createSqsPinger, INVALIDATION_ATTRIBUTE, INVALIDATION_WAIT_SECONDS } from '../../functions/websub/sqs-pinger';
import { pingMessageBody } from '../../functions/websub/sqs-pings';
import { fakeClient, type FakeClient } from '../support/fake-aws';
import { captureLogs, type CapturedLogs } from '../support/logs';
import { freePort } from '../support/ports';

/**
 * The pinger function in AWS (functions/websub/sqs-pinger.ts, behind functions/handlers/websub-pinger.ts)
 * against a real hub: a stub HTTP server that records the POSTs. SQS and CloudFront have no local
 * service, so their clients are hand-written fakes that record the commands.
 */

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/pings';
const DISTRIBUTION = 'E2EXAMPLE';
const FEED = 'https://news.example.org/stories/russia-pakistan-2012/feed.atom';
const options = { ...DEFAULT_PINGER_OPTIONS, timeoutMs: 2000 };

let hub: Server;
let hubUrl: string;
/** POSTs the hub received, by path. */
const received = new Map<string, URLSearchParams[]>();
let logs: CapturedLogs;

beforeAll(async () => {
  hub = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const path = request.url ?? '';
      received.set(path, [...(received.get(path) ?? []), new URLSearchParams(body)]);
      response.writeHead(path === '/broken' ? 500 : 204).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => hub.listen(port, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  hub.closeAllConnections();
  await new Promise((resolve) => hub.close(resolve));
});
beforeEach(() => {
  received.clear();
  logs = captureLogs();
});
afterEach(() => logs.restore());

let ids = 0;
/** A message as the SQS event source delivers it. */
const record = (hubPath: string, { receives = 1, invalidationId, messageId = `message-${++ids}` }: { receives?: number; invalidationId?: string; messageId?: string } = {}): SQSRecord => ({
  messageId,
  receiptHandle: `receipt-of-${messageId}`,
  body: pingMessageBody({ hub: `${hubUrl}${hubPath}`, url: FEED }),
  attributes: { ApproximateReceiveCount: String(receives), SentTimestamp: '0', SenderId: 'projector', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: invalidationId ? { [INVALIDATION_ATTRIBUTE]: { dataType: 'String', stringValue: invalidationId } } : {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:pings',
  awsRegion: 'eu-west-1',
});
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
/** The message the pinger queued to look at its invalidation again, as it comes back. */
const requeued = (send: SendMessageCommand): SQSRecord => ({ ...record('/ok', { invalidationId: send.input.MessageAttributes![INVALIDATION_ATTRIBUTE]!.StringValue! }), body: send.input.MessageBody! });

/** CloudFront as far as the pinger uses it: an invalidation per CallerReference (a repeated one gets the same back), whose status the test sets. */
const fakeCloudFront = (now: () => number = Date.now) => {
  const invalidations = new Map<string, Invalidation>();
  const fake: FakeClient<CloudFrontClient> = fakeClient<CloudFrontClient>((command) => {
    if (command instanceof CreateInvalidationCommand) {
      const reference = command.input.InvalidationBatch!.CallerReference!;
      if (!invalidations.has(reference)) invalidations.set(reference, { Id: `I${invalidations.size + 1}`, Status: 'InProgress', CreateTime: new Date(now()), InvalidationBatch: command.input.InvalidationBatch! });
      return { Invalidation: invalidations.get(reference) };
    }
    if (command instanceof GetInvalidationCommand) return { Invalidation: [...invalidations.values()].find((i) => i.Id === command.input.Id) };
    throw new Error(`unexpected ${command.constructor.name}`);
  });
  return { ...fake, invalidations, complete: () => invalidations.forEach((i) => (i.Status = 'Completed')) };
};

const pingsTo = (path: string) => (received.get(path) ?? []).map((ping) => Object.fromEntries(ping));

describe('the pinger function, without CloudFront', () => {
  it('sends a ping as a form POST and reports no failure: the event source deletes the message', async () => {
    const sqs = fakeClient<SQSClient>();
    const message = record('/ok');
    expect(await createSqsPinger({ sqs: sqs.client, queueUrl: QUEUE, options })(batch(message))).toEqual({ batchItemFailures: [] });
    expect(pingsTo('/ok')).toEqual([{ 'hub.mode': 'publish', 'hub.url': FEED }]);
    expect(sqs.sent).toEqual([]);
    expect(logs.lines).toEqual([]);
  });

  it('reports a ping the hub answers 500 as failed, and hides it for the backoff of its receive count', async () => {
    const sqs = fakeClient<SQSClient>();
    const ok = record('/ok');
    const broken = record('/broken', { receives: 3 });
    expect(await createSqsPinger({ sqs: sqs.client, queueUrl: QUEUE, options })(batch(ok, broken))).toEqual({ batchItemFailures: [{ itemIdentifier: broken.messageId }] });
    expect(pingsTo('/broken')).toHaveLength(1);
    expect(sqs.sentOf(ChangeMessageVisibilityCommand).map((c) => c.input)).toEqual([{ QueueUrl: QUEUE, ReceiptHandle: broken.receiptHandle, VisibilityTimeout: backoffMs(3, options) / 1000 }]);
    expect(backoffMs(3, options)).toBe(4000);
    expect(logs.withMessage('websub ping failed')).toEqual([expect.objectContaining({ level: 'WARN', hub: `${hubUrl}/broken`, url: FEED, receives: 3, error: 'hub answered 500' })]);
  });

  it('still reports the failure when the backoff cannot be set (the queue’s visibility timeout applies)', async () => {
    const sqs = fakeClient<SQSClient>(() => {
      throw new Error('AccessDenied');
    });
    const broken = record('/broken');
    expect(await createSqsPinger({ sqs: sqs.client, queueUrl: QUEUE, options })(batch(broken))).toEqual({ batchItemFailures: [{ itemIdentifier: broken.messageId }] });
    expect(logs.withMessage('websub ping backoff not set')).toHaveLength(1);
  });

  it('reports a message that is no ping as failed, so that it ends in the dead-letter queue', async () => {
    const sqs = fakeClient<SQSClient>();
    const junk = { ...record('/ok'), body: '{"hello":"world"}' };
    expect(await createSqsPinger({ sqs: sqs.client, queueUrl: QUEUE, options })(batch(junk))).toEqual({ batchItemFailures: [{ itemIdentifier: junk.messageId }] });
    expect(received.size).toBe(0);
  });
});

describe('the pinger function, with CloudFront in front of the feeds', () => {
  it('invalidates the feed’s path, queues the ping again while the invalidation is in progress, and pings once it is completed', async () => {
    const sqs = fakeClient<SQSClient>();
    const cloudFront = fakeCloudFront();
    const pinger = createSqsPinger({ sqs: sqs.client, queueUrl: QUEUE, cloudFront: { client: cloudFront.client, distributionId: DISTRIBUTION }, options });
    const first = record('/ok');

    // in progress: not pinged, the message handed on (not a failure: its receives count hub failures only)
    expect(await pinger(batch(first))).toEqual({ batchItemFailures: [] });
    expect(cloudFront.sentOf(CreateInvalidationCommand).map((c) => c.input)).toEqual([
      { DistributionId: DISTRIBUTION, InvalidationBatch: { CallerReference: first.messageId, Paths: { Quantity: 1, Items: ['/stories/russia-pakistan-2012/feed.atom'] } } },
    ]);
    expect(received.size).toBe(0);
    const [again, ...more] = sqs.sentOf(SendMessageCommand);
    expect(more).toEqual([]);
    expect(again!.input).toEqual({ QueueUrl: QUEUE, MessageBody: first.body, DelaySeconds: INVALIDATION_WAIT_SECONDS, MessageAttributes: { [INVALIDATION_ATTRIBUTE]: { DataType: 'String', StringValue: 'I1' } } });

    // a redelivery of the first message gets the same invalidation back, not a second one
    expect(await pinger(batch(first))).toEqual({ batchItemFailures: [] });
    expect(cloudFront.sentOf(CreateInvalidationCommand).map((c) => c.input.InvalidationBatch!.CallerReference)).toEqual([first.messageId, first.messageId]);
    expect(cloudFront.invalidations.size).toBe(1);

    // the handed-on message looks at the invalidation: still in progress, handed on again
    expect(await pinger(batch(requeued(again!)))).toEqual({ batchItemFailures: [] });
    expect(cloudFront.sentOf(GetInvalidationCommand).map((c) => c.input)).toEqual([{ DistributionId: DISTRIBUTION, Id: 'I1' }]);
    expect(received.size).toBe(0);

    // completed: pinged, nothing handed on
    cloudFront.complete();
    const sendsBefore = sqs.sent.length;
    expect(await pinger(batch(requeued(again!)))).toEqual({ batchItemFailures: [] });
    expect(pingsTo('/ok')).toEqual([{ 'hub.mode': 'publish', 'hub.url': FEED }]);
    expect(sqs.sent).toHaveLength(sendsBefore);
    expect(cloudFront.sentOf(CreateInvalidationCommand)).toHaveLength(2);
    expect(logs.lines).toEqual([]);
  });

  it('pings when the invalidation is older than the feeds’ max-age: no edge can hold the copy from before the change', async () => {
    let now = Date.parse('2026-05-01T12:00:00Z');
    const sqs = fakeClient<SQSClient>();
    const cloudFront = fakeCloudFront(() => now);
    const pinger = createSqsPinger({ sqs: sqs.client, queueUrl: QUEUE, cloudFront: { client: cloudFront.client, distributionId: DISTRIBUTION }, options, now: () => now });
    await pinger(batch(record('/ok')));
    const [again] = sqs.sentOf(SendMessageCommand);
    now += FEED_MAX_AGE_SECONDS * 1000;
    expect(await pinger(batch(requeued(again!)))).toEqual({ batchItemFailures: [] });
    expect(pingsTo('/ok')).toHaveLength(1);
    expect(sqs.sentOf(SendMessageCommand)).toHaveLength(1);
  });

  it('counts a hub failure after the invalidation as a failure with its backoff, and keeps the invalidation', async () => {
    const sqs = fakeClient<SQSClient>();
    const cloudFront = fakeCloudFront();
    const pinger = createSqsPinger({ sqs: sqs.client, queueUrl: QUEUE, cloudFront: { client: cloudFront.client, distributionId: DISTRIBUTION }, options });
    await pinger(batch(record('/broken')));
    cloudFront.complete();
    const [again] = sqs.sentOf(SendMessageCommand);
    const back = { ...requeued(again!), attributes: { ...requeued(again!).attributes, ApproximateReceiveCount: '2' } };
    expect(await pinger(batch(back))).toEqual({ batchItemFailures: [{ itemIdentifier: back.messageId }] });
    expect(pingsTo('/broken')).toHaveLength(1);
    expect(sqs.sentOf(ChangeMessageVisibilityCommand).map((c) => c.input.VisibilityTimeout)).toEqual([backoffMs(2, options) / 1000]);
    // the redelivered message still carries the invalidation id: no new invalidation
    expect(cloudFront.sentOf(CreateInvalidationCommand)).toHaveLength(1);
  });

  it('treats CloudFront refusing the invalidation like a failed ping: reported, with the backoff', async () => {
    const sqs = fakeClient<SQSClient>();
    const cloudFront = fakeClient<CloudFrontClient>(() => {
      throw new Error('TooManyInvalidationsInProgress');
    });
    const pinger = createSqsPinger({ sqs: sqs.client, queueUrl: QUEUE, cloudFront: { client: cloudFront.client, distributionId: DISTRIBUTION }, options });
    const message = record('/ok');
    expect(await pinger(batch(message))).toEqual({ batchItemFailures: [{ itemIdentifier: message.messageId }] });
    expect(received.size).toBe(0);
    expect(sqs.sentOf(ChangeMessageVisibilityCommand)).toHaveLength(1);
    expect(logs.withMessage('websub ping failed')).toEqual([expect.objectContaining({ error: 'TooManyInvalidationsInProgress' })]);
  });
});
