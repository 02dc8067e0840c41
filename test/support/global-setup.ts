import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { freePort } from './ports';

/** One in-memory DynamoDB Local for the whole run; each suite creates its own fresh tables in it. */
export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const port = await freePort();
  const local = await startDynamoDbLocal({ port });
  process.env.DYNAMODB_ENDPOINT = local.endpoint;
  (globalThis as { __dynamoDbLocal?: typeof local }).__dynamoDbLocal = local;
}
