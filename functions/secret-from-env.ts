import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { optionalEnv } from './config';

/**
 * A key that locally sits in the environment (the runtime generates it once in the data folder), and
 * in AWS in a Secrets Manager secret the environment names, read once per instance: the key never
 * sits in the function's configuration. A failed read is tried again on the next call.
 */
export const secretFromEnv = (valueVariable: string, arnVariable: string, what: string, minBytes = 32): (() => Promise<Buffer>) => {
  const toKey = (value: string): Buffer => {
    const key = Buffer.from(value, 'utf8');
    if (key.length < minBytes) throw new Error(`the ${what} must be at least ${minBytes} bytes`);
    return key;
  };
  let loading: Promise<Buffer> | undefined;
  return () => {
    loading ??= (async () => {
      const value = optionalEnv(valueVariable);
      if (value) return toKey(value);
      const arn = optionalEnv(arnVariable);
      if (!arn) throw new Error(`Environment variable ${valueVariable} or ${arnVariable} is required but not set`);
      const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
      return toKey(secret.SecretString ?? '');
    })().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
};
