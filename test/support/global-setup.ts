import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { freePort } from './ports';
import { SHARED_DYNAMODB_PORT } from './shared-dynamodb';

/** One in-memory DynamoDB Local for the whole run; each suite creates its own fresh tables in it. */
export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const port = await freePort();
  const local = await startDynamoDbLocal({ port });
  process.env.DYNAMODB_ENDPOINT = local.endpoint;
  // end-to-end runtimes use this one too, each with tables of its own (test/support/runtime.ts)
  process.env[SHARED_DYNAMODB_PORT] = String(port);
  (globalThis as { __dynamoDbLocal?: typeof local }).__dynamoDbLocal = local;
}
