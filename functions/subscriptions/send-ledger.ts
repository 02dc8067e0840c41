import { DeleteItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { failedConditions, itemKey, partition, PK, sendRetrying, SK, TTL, writeIfHeld, type TableAccess } from './table';

/**
 * The send ledger: one record per (digest, subscriber), in the subscriber's partition, claimed before
 * the mail goes and marked once it went, so that a retried or repeated firing sends only what was not
 * sent. A record exists only beside a subscription: it is claimed in one transaction with a check that
 * the subscription exists, and marked only while the claim exists, so an erasure (which deletes the
 * subscription first, then the partition) leaves no record behind, a send in flight included.
 *
 * Records expire by TTL at SEND_RECORD_TTL_SECONDS after the digest's publication: by then delivery
 * (delivery.ts) refuses that digest (SEND_WINDOW_SECONDS), so no re-fired digest can reach them.
 */

/** A digest is sent to subscribers for this long after it is published; a later firing of it sends nothing. */
export const SEND_WINDOW_SECONDS = 7 * 86_400;
/** A send record outlives the send window by a day (a claim taken at its very end still guards its retry). */
export const SEND_RECORD_TTL_SECONDS = SEND_WINDOW_SECONDS + 86_400;
/** A send claimed this long ago and never marked sent was lost with its sender: it may be claimed again. */
const STALE_CLAIM_MS = 15 * 60_000;

const sentKey = (digestId: string) => `sent/${digestId}`;

export type ClaimOutcome = 'claimed' | 'already-sent' | 'not-subscribed';

export const createSendLedger = (access: TableAccess) => {
  const { client, tableName } = access;
  return {
    /** Claims the send of a digest (published at `publishedAtMs`) to a confirmed subscriber. */
    async claimSend(sid: string, digestId: string, nowMs: number, publishedAtMs: number): Promise<ClaimOutcome> {
      try {
        await sendRetrying(access, 'TransactWriteItems', () =>
          client.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                {
                  ConditionCheck: {
                    TableName: tableName,
                    Key: itemKey(sid, 'subscription'),
                    ConditionExpression: '#status = :confirmed',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: marshall({ ':confirmed': 'confirmed' }),
                  },
                },
                {
                  Put: {
                    TableName: tableName,
                    Item: marshall({ [PK.name]: partition(sid), [SK.name]: sentKey(digestId), state: 'sending', claimedAt: nowMs, [TTL]: Math.floor(publishedAtMs / 1000) + SEND_RECORD_TTL_SECONDS }),
                    ConditionExpression: 'attribute_not_exists(#pk) OR (#state = :sending AND claimedAt < :stale)',
                    ExpressionAttributeNames: { '#pk': PK.name, '#state': 'state' },
                    ExpressionAttributeValues: marshall({ ':sending': 'sending', ':stale': nowMs - STALE_CLAIM_MS }),
                  },
                },
              ],
            }),
          ),
        );
        return 'claimed';
      } catch (error) {
        const failed = failedConditions(error);
        if (failed?.[0]) return 'not-subscribed';
        if (failed?.[1]) return 'already-sent';
        throw error;
      }
    },

    /** Marks a claimed send as sent; false when the claim is gone (the subscriber was erased meanwhile): nothing is written then. */
    markSent: (sid: string, digestId: string, nowMs: number): Promise<boolean> =>
      writeIfHeld(access, 'UpdateItem', () =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: itemKey(sid, sentKey(digestId)),
            UpdateExpression: 'SET #state = :sent, sentAt = :now',
            ConditionExpression: 'attribute_exists(#pk)',
            ExpressionAttributeNames: { '#state': 'state', '#pk': PK.name },
            ExpressionAttributeValues: marshall({ ':sent': 'sent', ':now': nowMs }),
          }),
        ),
      ),

    /** A failed send gives its claim back, so that a retry sends it (a record already marked sent stays). */
    async releaseSend(sid: string, digestId: string): Promise<void> {
      await writeIfHeld(access, 'DeleteItem', () =>
        client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: itemKey(sid, sentKey(digestId)),
            ConditionExpression: '#state = :sending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: marshall({ ':sending': 'sending' }),
          }),
        ),
      );
    },
  };
};

export type SendLedger = ReturnType<typeof createSendLedger>;
