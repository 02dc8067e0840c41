import type { DynamoDbLocal } from '../../infra/local/dynamodb-local';

export default async function globalTeardown(): Promise<void> {
  await Promise.all(((globalThis as { __dynamoDbLocals?: DynamoDbLocal[] }).__dynamoDbLocals ?? []).map((local) => local.stop()));
}
