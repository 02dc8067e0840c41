import { SHARED_DYNAMODB_PORT, WORKER_DYNAMODB_PORTS, workerDynamoDbPort } from './shared-dynamodb';

/**
 * Jest setup (every test file): the suite's DynamoDB Local is its worker's (test/support/global-setup.ts).
 * A file's tables and runtimes live there; files of one worker run one after the other.
 */
const ports = process.env[WORKER_DYNAMODB_PORTS];
if (ports) {
  const port = workerDynamoDbPort(ports, process.env.JEST_WORKER_ID);
  process.env.DYNAMODB_ENDPOINT = `http://127.0.0.1:${port}`;
  process.env[SHARED_DYNAMODB_PORT] = port;
}
