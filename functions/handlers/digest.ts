import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { createEventStore } from '../adapters/event-store';
import { createOutboxMailer, createSesMailer, noMailer } from '../adapters/mailer';
import { createReadModelStore } from '../adapters/read-model-store';
import { ENV } from '../../contracts/env';
import type { DigestFiring } from '../../contracts/schedules';
import { optionalEnv, requiredEnv } from '../config';
import { publishDigest, type DigestOutcome } from '../digests';
import type { DigestPeriod } from '../../events/digest/compose';
import { logger } from '../logger';
import { subscriberFanOutFromEnv } from '../subscriptions/fan-out';

/**
 * The target of the digest schedules (EventBridge Scheduler; locally infra/local/scheduler.ts).
 * Input (contracts/schedules.ts `DigestFiring`): `{ "period": "daily", "scheduledTime": "<aws.scheduler.scheduled-time>",
 * "timezone": "Europe/London" }`, the zone the schedule fires in.
 * In AWS the scheduler invokes this asynchronously: a thrown error (e.g. the projector is behind)
 * gets Lambda's asynchronous retries, then lands on the digests' dead-letter queue. Locally,
 * infra/local/scheduler.ts retries with backoff, then writes the firing to the dead-letter folder.
 */

const client = dynamoClientFromEnv();
const outbox = optionalEnv(ENV.digestOutboxDir);
const from = optionalEnv(ENV.digestEmailFrom);
const to = optionalEnv(ENV.digestEmailTo);
const publicBaseUrl = optionalEnv(ENV.publicBaseUrl);

const events = createEventStore(client, requiredEnv(ENV.eventsTable));
const deps = {
  events,
  readModels: createReadModelStore(client, requiredEnv(ENV.readModelsTable)),
  mailer: outbox ? createOutboxMailer(outbox) : from && to ? createSesMailer(from, to.split(',').map((a) => a.trim())) : noMailer,
  now: () => new Date(),
  ...(publicBaseUrl ? { publicBaseUrl } : {}),
};
const subscribers = subscriberFanOutFromEnv(client, events);

export const handler = async (input: Partial<DigestFiring>): Promise<DigestOutcome & { subscribers?: object }> => {
  const outcome = await publishDigest(deps, input.period ?? '', input.scheduledTime ?? '', input.timezone);
  if (outcome.status === 'empty') logger.info('empty window: no digest published', { period: input.period, ...outcome.window });
  else logger.info(`digest ${outcome.status}`, { ...outcome });
  // subscribers' copies: also after "already published", so that a retried firing sends what a failed one did not
  if (outcome.status === 'empty' || !subscribers) return outcome;
  const delivery = await subscribers(input.period as DigestPeriod, outcome.digestId);
  logger.info('digest fanned out to subscribers', { digestId: outcome.digestId, ...delivery });
  return { ...outcome, subscribers: delivery };
};
