import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { freePort } from './ports';
import { WORKER_DYNAMODB_PORTS } from './shared-dynamodb';

/**
 * The flags of every DynamoDB Local JVM of a test run (this one, and those the suites and their runtimes
 * start: jest's workers inherit the environment): the client compiler only, and the serial collector.
 * A test's JVM lives seconds to minutes on 2 cores, where C2's compilations and G1's threads cost more
 * than they return: writing and reading back 6,000 items took 17-19 CPU-seconds of the JVM's with the
 * defaults and 9-10 with these, 30,000 items 35 and 26 (alone, on a loaded machine).
 */
const TEST_JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/**
 * One in-memory DynamoDB Local per jest worker (one in band); each suite creates its own fresh tables in
 * its worker's (test/support/worker-dynamodb.ts, shared-dynamodb.ts).
 */
export default async function globalSetup(globalConfig: { maxWorkers: number; runInBand?: boolean }): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.JAVA_TOOL_OPTIONS = [process.env.JAVA_TOOL_OPTIONS, TEST_JVM_OPTIONS].filter(Boolean).join(' ');
  const ports: number[] = [];
  for (let i = 0; i < (globalConfig.runInBand ? 1 : Math.max(1, globalConfig.maxWorkers)); i++) ports.push(await freePort());
  const started = await Promise.allSettled(ports.map((port) => startDynamoDbLocal({ port })));
  const locals = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(locals.map((local) => local.stop()));
    throw failed.reason;
  }
  process.env[WORKER_DYNAMODB_PORTS] = ports.join(',');
  (globalThis as { __dynamoDbLocals?: typeof locals }).__dynamoDbLocals = locals;
}
