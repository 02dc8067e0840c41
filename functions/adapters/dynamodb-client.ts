import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENV } from '../../contracts/env';
import { optionalEnv } from '../config';

export interface DynamoClientOptions {
  /** DynamoDB Local's URL; absent in AWS, where the SDK finds the regional endpoint. */
  endpoint?: string;
  region?: string;
  maxAttempts?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one list holds middleware for every command, whose inputs and outputs the SDK types per command
type Middleware = (next: (args: any) => Promise<any>, context: any) => (args: any) => Promise<any>;

/**
 * Middleware added to every client created from now on. Only tests and the benchmark use it: the
 * fault-injection tests make a share of writes fail with throttling or transaction conflicts, which
 * DynamoDB Local cannot be made to do (step finalizeRequest, the default); the benchmark counts
 * requests and capacity units (step initialize).
 */
export const injectedMiddleware: { middleware: Middleware; name: string; step?: 'initialize' | 'finalizeRequest' }[] = [];

/** One client per process (module scope in a handler). Locally, fixed credentials: DynamoDB Local ignores them. */
export const createDynamoClient = ({ endpoint, region, maxAttempts }: DynamoClientOptions = {}): DynamoDBClient => {
  const client = new DynamoDBClient({
    region: region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  // faults after the retry middleware (finalizeRequest), so that the SDK's own retries see them
  for (const { middleware, name, step = 'finalizeRequest' } of injectedMiddleware) client.middlewareStack.add(middleware as never, { step: step as 'finalizeRequest', name, priority: 'low' });
  return client;
};

/** The handlers' client: DynamoDB Local when DYNAMODB_ENDPOINT is set (the local runtime sets it), else AWS. */
export const dynamoClientFromEnv = (): DynamoDBClient => {
  const endpoint = optionalEnv(ENV.dynamodbEndpoint);
  return createDynamoClient(endpoint ? { endpoint } : {});
};
