import { ENV } from '../../contracts/env';
import { secretFromEnv } from '../secret-from-env';

/** The key that signs desk sessions and sign-in links (DESK_SECRET locally, a Secrets Manager secret in AWS). */
export const deskSecret = secretFromEnv(ENV.deskSecret, ENV.deskSecretArn, 'desk secret');
