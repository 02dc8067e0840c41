import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { partition, PK } from '../../functions/subscriptions/table';
import { freshTables } from './dynamodb';
import { captureLogs, type CapturedLogs } from './logs';

type Tables = Awaited<ReturnType<typeof freshTables>>;

/**
 * For a suite: fresh tables, a temporary folder (an outbox, a ping queue) and the functions' logs
 * captured, made in beforeAll and undone in afterAll. Read the fields inside tests (or a later beforeAll).
 */
export const tablesFolderAndLogs = (folderPrefix: string): { tables: Tables; folder: string; logs: CapturedLogs } => {
  const suite = {} as { tables: Tables; folder: string; logs: CapturedLogs };
  beforeAll(async () => {
    suite.logs = captureLogs();
    suite.tables = await freshTables();
    suite.folder = mkdtempSync(join(tmpdir(), folderPrefix));
  });
  afterAll(async () => {
    suite.logs?.restore();
    if (suite.folder) rmSync(suite.folder, { recursive: true, force: true });
    await suite.tables?.drop();
  });
  return suite;
};

/** Every item of a table, page by page (a scan: for tests only). */
export const scanItems = async (tables: Pick<Tables, 'client'>, tableName: string): Promise<Record<string, AttributeValue>[]> => {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await tables.client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/** Every item a subscriber has in the subscriptions table (its partition), read consistently. */
export const subscriberItems = async (tables: Tables, sid: string): Promise<Record<string, unknown>[]> => {
  const { Items } = await tables.client.send(
    new QueryCommand({ TableName: tables.names.subscriptions, KeyConditionExpression: `${PK.name} = :pk`, ExpressionAttributeValues: { ':pk': { S: partition(sid) } }, ConsistentRead: true }),
  );
  return (Items ?? []).map((item) => unmarshall(item));
};
