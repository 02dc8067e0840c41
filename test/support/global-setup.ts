import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { freePort } from './ports';
import { SHARED_DYNAMODB_PORT } from './shared-dynamodb';

/**
 * The flags of every DynamoDB Local JVM of a test run (this one, and those the suites and their runtimes
 * start: jest's workers inherit the environment): the client compiler only, and the serial collector.
 * A test's JVM lives seconds to minutes on 2 cores, where C2's compilations and G1's threads cost more
 * than they return: writing and reading back 6,000 items took 17-19 CPU-seconds of the JVM's with the
 * defaults and 9-10 with these, 30,000 items 35 and 26 (alone, on a loaded machine).
 */
const TEST_JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** One in-memory DynamoDB Local for the whole run; each suite creates its own fresh tables in it. */
export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.JAVA_TOOL_OPTIONS = [process.env.JAVA_TOOL_OPTIONS, TEST_JVM_OPTIONS].filter(Boolean).join(' ');
  const port = await freePort();
  const local = await startDynamoDbLocal({ port });
  process.env.DYNAMODB_ENDPOINT = local.endpoint;
  // end-to-end runtimes use this one too, each with tables of its own (test/support/runtime.ts)
  process.env[SHARED_DYNAMODB_PORT] = String(port);
  (globalThis as { __dynamoDbLocal?: typeof local }).__dynamoDbLocal = local;
}
