import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { itemKey, PK, sendRetrying, SK, TTL, writeIfHeld, type TableAccess } from './table';

/**
 * The limits on sign-ups: confirmation mails per address per UTC day (a counter in the subscriber's
 * partition, so an erasure takes it too), and sign-ups per client per window (a counter under an
 * HMAC of the client). Each counter expires by TTL once its day or window is over; TTL deletes late,
 * so the day or window is in the key and an old counter is never read.
 */

const DAY_SECONDS = 86_400;

export const createRateLimits = (access: TableAccess) => {
  const { client, tableName } = access;
  return {
    /** Counts a confirmation mail to the subscriber `sid` today (UTC): true when it may be sent (at most `perDay`). */
    async claimConfirmationMail(sid: string, nowMs: number, perDay: number): Promise<boolean> {
      const day = Math.floor(nowMs / 1000 / DAY_SECONDS);
      return writeIfHeld(access, 'UpdateItem', () =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: itemKey(sid, `rate/${day}`),
            UpdateExpression: 'ADD mails :one SET #ttl = :expires',
            ConditionExpression: 'attribute_not_exists(mails) OR mails < :limit',
            ExpressionAttributeNames: { '#ttl': TTL },
            ExpressionAttributeValues: marshall({ ':one': 1, ':limit': perDay, ':expires': (day + 1) * DAY_SECONDS }),
          }),
        ),
      );
    },

    /** Counts a client's requests in the current fixed window; returns the count including this one. */
    async countClientRequest(clientId: string, nowMs: number, windowSeconds: number): Promise<number> {
      const window = Math.floor(nowMs / 1000 / windowSeconds);
      const { Attributes } = await sendRetrying(access, 'UpdateItem', () =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: marshall({ [PK.name]: `client/${clientId}`, [SK.name]: `window/${window}` }),
            UpdateExpression: 'ADD requests :one SET #ttl = :expires',
            ExpressionAttributeNames: { '#ttl': TTL },
            ExpressionAttributeValues: marshall({ ':one': 1, ':expires': (window + 1) * windowSeconds }),
            ReturnValues: 'UPDATED_NEW',
          }),
        ),
      );
      return Number(Attributes ? unmarshall(Attributes).requests : 1);
    },
  };
};

export type RateLimits = ReturnType<typeof createRateLimits>;
