import { QueryCommand, type AttributeValue, type DynamoDBClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';

export interface QueryPagesOptions {
  /** The most items to read in all: each request asks only for what is still missing, and none is sent once `limit` items came back. */
  limit?: number;
  /** The most items one request asks for (its `Limit`); without it or a limit, a page is what DynamoDB returns (up to 1 MB). */
  pageLimit?: number;
  /** How each request is sent (by default `client.send`), e.g. under a retry policy. */
  send?: (command: QueryCommand) => Promise<QueryCommandOutput>;
}

/** The pages of a Query, each page's items, following LastEvaluatedKey to its end or to `limit`. */
export async function* queryPages(
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  { limit = Number.POSITIVE_INFINITY, pageLimit = Number.POSITIVE_INFINITY, send = (command) => client.send(command) }: QueryPagesOptions = {},
): AsyncGenerator<Record<string, AttributeValue>[]> {
  let read = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const wanted = Math.min(pageLimit, limit - read);
    const page = await send(
      new QueryCommand({
        ...input,
        ...(Number.isFinite(wanted) ? { Limit: wanted } : {}),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const items = page.Items ?? [];
    read += items.length;
    yield items;
    startKey = page.LastEvaluatedKey;
  } while (startKey && read < limit);
}
