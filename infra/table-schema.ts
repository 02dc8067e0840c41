import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { KeyDefinition, TableDefinition } from '../contracts/tables';

/** CreateTable input for DynamoDB Local (and tests), derived from the one table definition. */
export const createTableInput = (definition: TableDefinition, tableName: string): CreateTableCommandInput => {
  const keys: KeyDefinition[] = [definition.partitionKey, ...(definition.sortKey ? [definition.sortKey] : [])];
  for (const index of definition.globalSecondaryIndexes) keys.push(index.partitionKey, ...(index.sortKey ? [index.sortKey] : []));
  const attributes = new Map(keys.map((key) => [key.name, key.type]));
  const keySchema = (pk: KeyDefinition, sk?: KeyDefinition) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(definition.partitionKey, definition.sortKey),
    ...(definition.globalSecondaryIndexes.length
      ? {
          GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
    ...(definition.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream } } : {}),
  };
};
