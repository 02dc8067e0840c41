import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { httpHandler } from '../http/handle';
import { subscriptionDepsFromEnv } from '../subscriptions/from-env';
import { subscriptionRoutes } from '../subscriptions/routes';

/** Digest subscriptions: sign up, confirm, preferences, sign out everywhere, unsubscribe (RFC 8058 one-click) and erasure; counts for editors. */

export const handler = httpHandler(subscriptionRoutes(subscriptionDepsFromEnv(dynamoClientFromEnv())));
