import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENV } from '../../contracts/env';
import { createOutboxMailer, createSesMailer, type Mailer } from '../adapters/mailer';
import { optionalEnv, requiredEnv } from '../config';
import { subscriptionKeys } from './secret';
import { DEFAULT_LIMITS, type SubscriptionDeps, type SubscriptionLimits } from './service';
import { createSubscriptionStores } from './stores';

/** The daily limit of confirmation mails per address (SUBSCRIPTION_CONFIRMATIONS_PER_DAY): a whole number from 1; anything else fails at load. */
export const limitsFromEnv = (): SubscriptionLimits => {
  const setting = optionalEnv(ENV.confirmationsPerDay);
  if (setting === undefined) return DEFAULT_LIMITS;
  const perDay = Number(setting);
  if (!Number.isSafeInteger(perDay) || perDay < 1) throw new Error(`${ENV.confirmationsPerDay} must be a whole number from 1, not ${JSON.stringify(setting)}`);
  return { ...DEFAULT_LIMITS, confirmationsPerDay: perDay };
};

/** The subscription functions' configuration, read once at load: the stores, the keys, the mailer, the public origin, the limits. */
export const subscriptionDepsFromEnv = (client: DynamoDBClient): SubscriptionDeps => {
  const outbox = optionalEnv(ENV.digestOutboxDir);
  const from = optionalEnv(ENV.subscriptionEmailFrom) ?? 'Storyline <digest@storyline.local>';
  const mailer: Mailer = outbox ? createOutboxMailer(outbox, from) : createSesMailer(from, [], undefined, optionalEnv(ENV.sesConfigurationSet));
  return {
    ...createSubscriptionStores(client, requiredEnv(ENV.subscriptionsTable)),
    mailer,
    keys: subscriptionKeys,
    now: () => new Date(),
    baseUrl: requiredEnv(ENV.publicBaseUrl),
    limits: limitsFromEnv(),
  };
};
