import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { createEventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createMissingTables, deleteTables, localTableNames, type TableNames } from '../../infra/local/create-tables';

export const testEndpoint = (): string => {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: the jest global setup starts DynamoDB Local');
  return endpoint;
};

/** Fresh tables for one suite in the shared DynamoDB Local, dropped afterwards. */
export const freshTables = async (): Promise<{ client: DynamoDBClient; names: TableNames; drop(): Promise<void> }> => {
  const client = createDynamoClient({ endpoint: testEndpoint() });
  const names = localTableNames(`t${randomUUID().slice(0, 8)}`);
  await createMissingTables(client, names);
  return {
    client,
    names,
    async drop() {
      await deleteTables(client, names);
      client.destroy();
    },
  };
};

/** Fresh tables with the event store and the read-model store on them: what most integration suites start from. */
export const freshStores = async (readModelOptions: Parameters<typeof createReadModelStore>[2] = {}) => {
  const tables = await freshTables();
  return {
    tables,
    events: createEventStore(tables.client, tables.names.events),
    readModels: createReadModelStore(tables.client, tables.names.readModels, readModelOptions),
  };
};
