/**
 * The DynamoDB Locals jest's global setup starts: one per worker, since one DynamoDB Local works on
 * about one core at a time (it stood at 100% of a core while the machine's other core idled and
 * both workers waited on it), so one shared by both workers held the suite to that core.
 */

/** The ports of the global setup's DynamoDB Locals, comma-separated, the first for worker 1. */
export const WORKER_DYNAMODB_PORTS = 'STORYLINE_TEST_WORKER_DYNAMODB_PORTS';

/** The port of this worker's DynamoDB Local, for end-to-end runtimes to share (test/support/runtime.ts). */
export const SHARED_DYNAMODB_PORT = 'STORYLINE_TEST_SHARED_DYNAMODB_PORT';

/** The port for jest worker `workerId` (1-based; 1 in band) from the list the global setup exported. */
export const workerDynamoDbPort = (ports: string, workerId: string | undefined): string => {
  const list = ports.split(',');
  return list[(Math.max(1, Number(workerId ?? 1)) - 1) % list.length] ?? '';
};
