import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { createEventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createMissingTables, deleteTables, localTableNames, type TableNames } from '../../infra/local/create-tables';
import type { RequestCounter } from '../bench/request-counter';
import { addClientMiddleware } from './sdk-middleware';

export const testEndpoint = (): string => {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: the jest global setup starts DynamoDB Local');
  return endpoint;
};

/**
 * Fresh tables for one suite in its worker's DynamoDB Local (or the one at `endpoint`), dropped afterwards.
 * Without the events table's stream unless the suite reads it (`streams: true`): the worker's DynamoDB Local
 * serves all of its files, and every stream record one leaves behind slows each later file's writes
 * (see createMissingTables). The runtimes (test/support/runtime.ts) have their streams, as in AWS.
 */
export const freshTables = async (endpoint = testEndpoint(), { streams = false }: { streams?: boolean } = {}): Promise<{ client: DynamoDBClient; names: TableNames; drop(): Promise<void> }> => {
  const client = createDynamoClient({ endpoint });
  const names = localTableNames(`t${randomUUID().slice(0, 8)}`);
  await createMissingTables(client, names, { streams });
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
export const freshStores = async (readModelOptions: Parameters<typeof createReadModelStore>[2] = {}, { streams = false }: { streams?: boolean } = {}) => {
  const tables = await freshTables(testEndpoint(), { streams });
  return {
    tables,
    events: createEventStore(tables.client, tables.names.events),
    readModels: createReadModelStore(tables.client, tables.names.readModels, readModelOptions),
  };
};

/**
 * For a suite: fresh tables, and a client of its own whose every request `counter` counts (the
 * benchmark's middleware, added for the suite to the clients that first send during it, and taken
 * out after it; the tables' own client, which has sent already, is not counted). Read `tables` and `client`
 * inside tests: they are set in beforeAll.
 * The suites that write tens of thousands of items use their worker's DynamoDB Local like every other
 * suite (a JVM of their own cost each a start and a warm-up): the worker's files run one after another,
 * a suite's tables are dropped when it ends, and having no stream they leave no stream records behind.
 */
export const countedTables = (counter: RequestCounter): { tables: Awaited<ReturnType<typeof freshTables>>; client: DynamoDBClient } => {
  const suite = {} as { tables: Awaited<ReturnType<typeof freshTables>>; client: DynamoDBClient };
  let uncount = () => {};
  beforeAll(async () => {
    const endpoint = testEndpoint();
    suite.tables = await freshTables(endpoint);
    uncount = addClientMiddleware(counter.hook);
    suite.client = createDynamoClient({ endpoint });
  });
  afterAll(async () => {
    uncount();
    suite.client.destroy();
    await suite.tables.drop();
  });
  return suite;
};
