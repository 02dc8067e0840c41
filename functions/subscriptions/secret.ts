import { ENV } from '../../contracts/env';
import { secretFromEnv } from '../secret-from-env';

/**
 * The HMAC key of subscriber ids and subscription tokens. Locally the runtime puts it in the
 * environment (generated once in the data folder); in AWS the environment names a Secrets Manager
 * secret, read once per instance (so the key never sits in the function's configuration).
 */
export const MIN_SECRET_BYTES = 32;

export const subscriptionKey = secretFromEnv(ENV.subscriptionSecret, ENV.subscriptionSecretArn, 'subscription secret', MIN_SECRET_BYTES);
