import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { sendMessageBatches, SQS_BATCH_RESENDS } from '../../functions/adapters/sqs-batches';
import { fakeClient } from '../support/fake-aws';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/queue';
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
    expect(await sendMessageBatches(sqs.client, QUEUE, bodies(3))).toEqual({ failed: 0 });
    expect(sqs.sentOf(SendMessageBatchCommand).map((c) => c.input.Entries!.map((e) => e.MessageBody))).toEqual([bodies(3), ['message 1']]);
  });

  it('gives up after a bounded number of resends and says how many never got in', async () => {
    const sqs = fakeClient<SQSClient>((command) => ({ Failed: command.input.Entries.map((e: { Id: string }) => ({ Id: e.Id, SenderFault: false, Code: 'ServiceUnavailable' })) }));
    expect(await sendMessageBatches(sqs.client, QUEUE, bodies(12))).toEqual({ failed: 12 });
    expect(sqs.sent).toHaveLength(2 * (1 + SQS_BATCH_RESENDS));
  });

  it('sends nothing for no messages', async () => {
    const sqs = fakeClient<SQSClient>();
    expect(await sendMessageBatches(sqs.client, QUEUE, [])).toEqual({ failed: 0 });
    expect(sqs.sent).toEqual([]);
  });
});
