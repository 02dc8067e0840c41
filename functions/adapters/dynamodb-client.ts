import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENV } from '../../contracts/env';
import { optionalEnv } from '../config';

export interface DynamoClientOptions {
  /** DynamoDB Local's URL; absent in AWS, where the SDK finds the regional endpoint. */
  endpoint?: string;
  region?: string;
  maxAttempts?: number;
}

/** One client per process (module scope in a handler). Locally, fixed credentials: DynamoDB Local ignores them. */
export const createDynamoClient = ({ endpoint, region, maxAttempts }: DynamoClientOptions = {}): DynamoDBClient =>
  new DynamoDBClient({
    region: region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });

/** The handlers' client: DynamoDB Local when DYNAMODB_ENDPOINT is set (the local runtime sets it), else AWS. */
export const dynamoClientFromEnv = (): DynamoDBClient => {
  const endpoint = optionalEnv(ENV.dynamodbEndpoint);
  return createDynamoClient(endpoint ? { endpoint } : {});
};
