import { resolve } from 'node:path';
import { ENV, LOCAL_ENV } from '../../contracts/env';
import { isTimezone } from '../../events/digest/schedule-time';
import { localTableNames } from './create-tables';
import { loadOrCreateDeskSecret, loadOrCreateSubscriptionSecret } from './subscription-secret';

/** Settings of the local runtime, from the environment, with the embedded defaults. */
export const localConfig = () => {
  const port = (name: string, fallback: number): number => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number (1-65535), got ${JSON.stringify(raw)}`);
    return value;
  };
  const dataDir = resolve(process.env[LOCAL_ENV.dataDir] || '.data');
  const dynamodbPort = port(LOCAL_ENV.dynamodbPort, 8000);
  const httpPort = port(LOCAL_ENV.httpPort, 3000);
  const digestTimezone = process.env[LOCAL_ENV.digestTimezone] || undefined;
  const tablePrefix = process.env[LOCAL_ENV.tablePrefix] || undefined;
  if (tablePrefix !== undefined && !/^[A-Za-z0-9_.-]{1,200}$/.test(tablePrefix)) {
    throw new Error(`${LOCAL_ENV.tablePrefix} must be letters, digits, '_', '.' or '-' (at most 200), got ${JSON.stringify(tablePrefix)}`);
  }
  if (digestTimezone !== undefined && !isTimezone(digestTimezone)) {
    throw new Error(`${LOCAL_ENV.digestTimezone} must be an IANA timezone (such as Europe/London), got ${JSON.stringify(digestTimezone)}`);
  }
  return {
    dataDir,
    dynamodbDir: resolve(dataDir, 'dynamodb'),
    outboxDir: resolve(dataDir, 'outbox'),
    /** The queue of WebSub hub pings (functions/websub/ping-queue.ts). */
    websubQueueDir: resolve(dataDir, 'websub'),
    dynamodbPort,
    dynamodbEndpoint: `http://127.0.0.1:${dynamodbPort}`,
    httpPort,
    baseUrl: `http://127.0.0.1:${httpPort}`,
    tables: localTableNames(tablePrefix),
    /** The zone every digest schedule fires in, in place of the declared one (as the stack's `timezone` setting). */
    digestTimezone,
  };
};
export type LocalConfig = ReturnType<typeof localConfig>;

/** Points the handlers' configuration (functions/config.ts) at the local tables, as the CDK stack does in AWS. */
export const exportHandlerEnv = (config: LocalConfig): void => {
  process.env[ENV.eventsTable] = config.tables.events;
  process.env[ENV.readModelsTable] = config.tables.readModels;
  process.env[ENV.subscriptionsTable] = config.tables.subscriptions;
  process.env[ENV.snapshotsTable] = config.tables.snapshots;
  process.env[ENV.subscriptionSecret] = loadOrCreateSubscriptionSecret(config.dataDir);
  process.env[ENV.deskSecret] = loadOrCreateDeskSecret(config.dataDir);
  process.env[ENV.dynamodbEndpoint] = config.dynamodbEndpoint;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // locally, digests are written as .eml files instead of being sent by SES
  process.env[ENV.digestOutboxDir] = config.outboxDir;
  process.env[ENV.publicBaseUrl] = config.baseUrl;
  process.env[ENV.websubQueueDir] = config.websubQueueDir;
};
