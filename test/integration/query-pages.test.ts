import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readModelsTable } from '../../contracts/tables';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { queryPages } from '../../functions/adapters/query-pages';
import { freshTables, testEndpoint } from '../support/dynamodb';
import { addClientMiddleware } from '../support/sdk-middleware';

/** A Query's pages (functions/adapters/query-pages.ts) against DynamoDB Local: the `Limit` each request asks for, and where the pages stop. */

const PK = readModelsTable.partitionKey.name;
const SK = readModelsTable.sortKey.name;
const ITEMS = 25;

let tables: Awaited<ReturnType<typeof freshTables>>;
let client: DynamoDBClient;
/** The `Limit` of each Query the client sent (undefined: none). */
let limits: (number | undefined)[] = [];
let removeMiddleware = () => {};

beforeAll(async () => {
  tables = await freshTables();
  await tables.client.send(
    new BatchWriteItemCommand({
      RequestItems: { [tables.names.readModels]: Array.from({ length: ITEMS }, (_, i) => ({ PutRequest: { Item: { [PK]: { S: 'pages' }, [SK]: { N: String(i + 1) } } } })) },
    }),
  );
  removeMiddleware = addClientMiddleware({
    name: 'recordQueryLimits',
    step: 'initialize',
    middleware: (next, context: { commandName?: string }) => (args: { input: { Limit?: number } }) => {
      if (context.commandName === 'QueryCommand') limits.push(args.input.Limit);
      return next(args);
    },
  });
  client = createDynamoClient({ endpoint: testEndpoint() });
});
afterAll(async () => {
  removeMiddleware();
  client.destroy();
  await tables.drop();
});
beforeEach(() => {
  limits = [];
});

const pageSizes = async (options?: Parameters<typeof queryPages>[2]): Promise<number[]> => {
  const sizes: number[] = [];
  const input = { TableName: tables.names.readModels, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': PK }, ExpressionAttributeValues: { ':pk': { S: 'pages' } } };
  for await (const items of queryPages(client, input, options)) sizes.push(items.length);
  return sizes;
};

describe('the pages of a Query', () => {
  it('without a limit, asks for no Limit and reads to the end', async () => {
    expect(await pageSizes()).toEqual([ITEMS]);
    expect(limits).toEqual([undefined]);
  });

  it('with a limit, asks each request only for what is still missing (at most pageLimit) and stops at the limit', async () => {
    expect(await pageSizes({ limit: 10, pageLimit: 4 })).toEqual([4, 4, 2]);
    expect(limits).toEqual([4, 4, 2]);
  });

  it('with only a page limit, asks for pages of that size to the end', async () => {
    expect(await pageSizes({ pageLimit: 10 })).toEqual([10, 10, 5]);
    expect(limits).toEqual([10, 10, 10]);
  });

  it('stops where the Query ends, short of the limit', async () => {
    expect(await pageSizes({ limit: 100, pageLimit: 10 })).toEqual([10, 10, 5]);
    expect(limits).toEqual([10, 10, 10]);
  });
});
