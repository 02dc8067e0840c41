import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENV } from '../../contracts/env';
import { createOutboxMailer, createSesMailer, type Mailer } from '../adapters/mailer';
import { optionalEnv, requiredEnv } from '../config';
import { subscriptionKey } from './secret';
import { createSubscriptionStore } from './store';

/** The subscription functions' configuration, read once at load: the store, the key, the mailer, the public origin. */
export const subscriptionDepsFromEnv = (client: DynamoDBClient) => {
  const outbox = optionalEnv(ENV.digestOutboxDir);
  const from = optionalEnv(ENV.subscriptionEmailFrom) ?? 'Storyline <digest@storyline.local>';
  const mailer: Mailer = outbox ? createOutboxMailer(outbox, from) : createSesMailer(from, [], undefined, optionalEnv(ENV.sesConfigurationSet));
  return {
    store: createSubscriptionStore(client, requiredEnv(ENV.subscriptionsTable)),
    mailer,
    key: subscriptionKey,
    now: () => new Date(),
    baseUrl: requiredEnv(ENV.publicBaseUrl),
  };
};
