import { QueryCommand, type AttributeValue, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The pages of a Query, each page's items, following LastEvaluatedKey to the end, or until `limit`
 * items came back: then each request asks only for what is still missing (`Limit`, at most
 * `pageLimit`), so that no page reads more than the caller wants.
 */
export async function* queryPages(
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  { limit = Number.POSITIVE_INFINITY, pageLimit = Number.POSITIVE_INFINITY }: { limit?: number; pageLimit?: number } = {},
): AsyncGenerator<Record<string, AttributeValue>[]> {
  let read = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        ...input,
        ...(Number.isFinite(limit) ? { Limit: Math.min(pageLimit, limit - read) } : {}),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = page.Items ?? [];
    read += items.length;
    yield items;
    startKey = page.LastEvaluatedKey;
  } while (startKey && read < limit);
}
