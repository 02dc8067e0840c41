import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { feedKeyOf } from '../../events/projections';
import { feedChangeNotifier } from '../../functions/websub/feed-changes';
import { pingMessageBody, pingOfMessage, sqsPingSender } from '../../functions/websub/sqs-pings';
import { captureLogs, type CapturedLogs } from '../support/logs';
import { fakeClient } from '../support/fake-aws';

/** The projector's side of WebSub in AWS: pings queued as SQS messages, never holding projection back. */

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/pings';
const PUBLIC = 'https://news.example.org';
const HUBS = ['https://hub-one.example.org/', 'https://hub-two.example.org/', 'https://hub-three.example.org/', 'https://hub-four.example.org/'];
const feedKey = feedKeyOf({ kind: 'story', storyId: 'russia-pakistan-2012' });

let logs: CapturedLogs;
beforeEach(() => (logs = captureLogs()));
afterEach(() => logs.restore());

describe('queueing pings on SQS', () => {
  it('sends one message per hub and feed URL, in batches of 10', async () => {
    const sqs = fakeClient<SQSClient>();
    await feedChangeNotifier(sqsPingSender(sqs.client, QUEUE), HUBS, PUBLIC)(feedKey);
    const batches = sqs.sentOf(SendMessageBatchCommand).map((c) => c.input);
    // four hubs, three formats
    expect(batches.map((b) => b.Entries!.length)).toEqual([10, 2]);
    const pings = batches.flatMap((b) => b.Entries!.map((e) => pingOfMessage(e.MessageBody!)));
    expect(pings).toHaveLength(12);
    expect(new Set(pings.map((p) => p.hub))).toEqual(new Set(HUBS));
    expect(new Set(pings.map((p) => p.url))).toEqual(new Set(['rss', 'atom', 'json'].map((f) => `${PUBLIC}/stories/russia-pakistan-2012/feed.${f}`)));
    expect(logs.lines).toEqual([]);
  });

  it('logs and throws (the batch item fails and is retried) when SQS refuses the request', async () => {
    const sqs = fakeClient<SQSClient>(() => {
      throw new Error('AccessDenied');
    });
    await expect(feedChangeNotifier(sqsPingSender(sqs.client, QUEUE), HUBS, PUBLIC)(feedKey)).rejects.toThrow('AccessDenied');
    expect(logs.withMessage('websub ping not queued')).toEqual([expect.objectContaining({ level: 'ERROR', feedKey, error: 'AccessDenied' })]);
  });

  it('logs and throws when entries stay failed after the resends', async () => {
    const sqs = fakeClient<SQSClient>((command) => ({ Failed: command.input.Entries.map((e: { Id: string }) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError' })) }));
    await expect(feedChangeNotifier(sqsPingSender(sqs.client, QUEUE), HUBS, PUBLIC)(feedKey)).rejects.toThrow('12 of 12 ping(s) could not be queued');
    expect(logs.withMessage('websub ping not queued')).toEqual([expect.objectContaining({ error: '12 of 12 ping(s) could not be queued' })]);
  });

  it('sends nothing when no hub is configured', async () => {
    const sqs = fakeClient<SQSClient>();
    await feedChangeNotifier(sqsPingSender(sqs.client, QUEUE), [], PUBLIC)(feedKey);
    expect(sqs.sent).toEqual([]);
  });
});

describe('a ping message', () => {
  it('round-trips its hub and feed URL, and nothing else', () => {
    const ping = { hub: HUBS[0]!, url: `${PUBLIC}/feed.rss` };
    expect(pingOfMessage(pingMessageBody({ ...ping, attempts: 3 } as never))).toEqual(ping);
  });

  it('is refused when it is not one', () => {
    expect(() => pingOfMessage('{"hub":"https://hub.example.org/"}')).toThrow(/no ping/);
    expect(() => pingOfMessage('null')).toThrow(/no ping/);
  });
});
