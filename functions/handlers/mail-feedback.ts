import type { SNSEvent } from 'aws-lambda';
import { dynamoClientFromEnv } from '../adapters/dynamodb-client';
import { stopMailTo, type SesNotification } from '../subscriptions/feedback';
import { subscriptionDepsFromEnv } from '../subscriptions/from-env';

/** SES bounce and complaint notifications (SNS): the subscribers they name get no more mail. */

const deps = subscriptionDepsFromEnv(dynamoClientFromEnv());

export const handler = async (event: SNSEvent): Promise<{ stopped: number }> => {
  const keys = await deps.keys();
  let stopped = 0;
  for (const record of event.Records) stopped += await stopMailTo(deps.subscriptions, keys, JSON.parse(record.Sns.Message) as SesNotification);
  return { stopped };
};
