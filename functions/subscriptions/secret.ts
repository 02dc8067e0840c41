import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV } from '../../contracts/env';
import { optionalEnv } from '../config';

/**
 * The HMAC key of subscriber ids and subscription tokens. Locally the runtime puts it in the
 * environment (generated once in the data folder); in AWS the environment names a Secrets Manager
 * secret, read once per instance (so the key never sits in the function's configuration).
 */
export const MIN_SECRET_BYTES = 32;

const toKey = (value: string): Buffer => {
  const key = Buffer.from(value, 'utf8');
  if (key.length < MIN_SECRET_BYTES) throw new Error(`the subscription secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return key;
};

let loading: Promise<Buffer> | undefined;

export const subscriptionKey = (): Promise<Buffer> => {
  loading ??= (async () => {
    const value = optionalEnv(ENV.subscriptionSecret);
    if (value) return toKey(value);
    const arn = optionalEnv(ENV.subscriptionSecretArn);
    if (!arn) throw new Error(`Environment variable ${ENV.subscriptionSecret} or ${ENV.subscriptionSecretArn} is required but not set`);
    const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
    return toKey(secret.SecretString ?? '');
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
};
