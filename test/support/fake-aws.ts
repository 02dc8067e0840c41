/**
 * Hand-written stand-ins for the AWS SDK clients that have no local service (SQS, CloudFront):
 * each records the commands sent to it and answers through the test's function. Injected where the
 * code takes a client (`Pick<SQSClient, 'send'>`), no module mocking.
 */

export interface SdkCommand {
  input: Record<string, any>;
}

export interface FakeClient<C> {
  client: C;
  /** Every command sent, in order. */
  sent: SdkCommand[];
  /** The commands of one class (e.g. `SendMessageBatchCommand`). */
  sentOf<T extends SdkCommand>(kind: new (...args: any[]) => T): T[];
}

export const fakeClient = <C>(answer: (command: SdkCommand) => unknown = () => ({})): FakeClient<C> => {
  const sent: SdkCommand[] = [];
  const client = {
    send: (command: SdkCommand) => {
      sent.push(command);
      // a fake answer that throws rejects, as the SDK's send does
      return new Promise((resolve) => resolve(answer(command)));
    },
  } as unknown as C;
  return { client, sent, sentOf: (kind) => sent.filter((command): command is InstanceType<typeof kind> => command instanceof kind) };
};
