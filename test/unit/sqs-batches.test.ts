import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sendMessageBatches, SQS_BATCH_RESENDS, SQS_RESEND_POLICY } from '../../functions/adapters/sqs-batches';
import { retryPolicy } from '../../functions/adapters/retry-policy';
import { fakeClient } from '../support/fake-aws';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/queue';
/** The resend policy with a fake sleep that records the waits. */
const recorded = () => {
  const waits: number[] = [];
  return { waits, policy: retryPolicy({ ...SQS_RESEND_POLICY, random: () => 0.5, sleep: (ms) => Promise.resolve(void waits.push(ms)) }) };
};
const bodies = (n: number) => Array.from({ length: n }, (_, i) => `message ${i}`);

describe('sending messages in batches', () => {
  it('sends at most 10 messages per SendMessageBatch, every body once', async () => {
    const sqs = fakeClient<SQSClient>();
    expect(await sendMessageBatches(sqs.client, QUEUE, bodies(23))).toEqual({ failed: 0 });
    const batches = sqs.sentOf(SendMessageBatchCommand).map((c) => c.input);
    expect(batches.map((b) => b.Entries!.length)).toEqual([10, 10, 3]);
    expect(batches.every((b) => b.QueueUrl === QUEUE)).toBe(true);
    expect(batches.flatMap((b) => b.Entries!.map((e) => e.MessageBody)).sort()).toEqual(bodies(23).sort());
  });

  it('sends again only the entries SQS reports as failed', async () => {
    let calls = 0;
    const sqs = fakeClient<SQSClient>(() => (calls++ === 0 ? { Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] } : {}));
    const { waits, policy } = recorded();
    expect(await sendMessageBatches(sqs.client, QUEUE, bodies(3), policy)).toEqual({ failed: 0 });
    // after a backoff, not at once
    expect(waits).toEqual([SQS_RESEND_POLICY.baseMs / 2]);
    expect(sqs.sentOf(SendMessageBatchCommand).map((c) => c.input.Entries!.map((e) => e.MessageBody))).toEqual([bodies(3), ['message 1']]);
  });

  it('gives up after a bounded number of resends and says how many never got in', async () => {
    const sqs = fakeClient<SQSClient>((command) => ({ Failed: command.input.Entries.map((e: { Id: string }) => ({ Id: e.Id, SenderFault: false, Code: 'ServiceUnavailable' })) }));
    const { waits, policy } = recorded();
    expect(await sendMessageBatches(sqs.client, QUEUE, bodies(12), policy)).toEqual({ failed: 12 });
    expect(sqs.sent).toHaveLength(2 * (1 + SQS_BATCH_RESENDS));
    // each batch waits longer before each resend (exponential backoff)
    expect(waits.slice(0, SQS_BATCH_RESENDS * 2).sort((a, b) => a - b)).toEqual([1, 1, 2, 2, 4, 4].map((k) => (k * SQS_RESEND_POLICY.baseMs) / 2));
  });

  it('sends nothing for no messages', async () => {
    const sqs = fakeClient<SQSClient>();
    expect(await sendMessageBatches(sqs.client, QUEUE, [])).toEqual({ failed: 0 });
    expect(sqs.sent).toEqual([]);
  });
});
