import { resolve } from 'node:path';
import { localTableNames } from './create-tables';

/** Settings of the local runtime, from the environment, with the embedded defaults. */
export const localConfig = () => {
  const port = (name: string, fallback: number): number => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number (1-65535), got ${JSON.stringify(raw)}`);
    return value;
  };
  const dataDir = resolve(process.env.STORYLINE_DATA_DIR || '.data');
  const dynamodbPort = port('DYNAMODB_PORT', 8000);
  const httpPort = port('PORT', 3000);
  return {
    dataDir,
    dynamodbDir: resolve(dataDir, 'dynamodb'),
    outboxDir: resolve(dataDir, 'outbox'),
    dynamodbPort,
    dynamodbEndpoint: `http://127.0.0.1:${dynamodbPort}`,
    httpPort,
    baseUrl: `http://127.0.0.1:${httpPort}`,
    tables: localTableNames(),
  };
};
export type LocalConfig = ReturnType<typeof localConfig>;

/** Points the handlers' configuration (functions/config.ts) at the local tables, as the CDK stack does in AWS. */
export const exportHandlerEnv = (config: LocalConfig): void => {
  process.env.EVENTS_TABLE = config.tables.events;
  process.env.READ_MODELS_TABLE = config.tables.readModels;
  process.env.DYNAMODB_ENDPOINT = config.dynamodbEndpoint;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // locally, digests are written as .eml files instead of being sent by SES
  process.env.DIGEST_OUTBOX_DIR = config.outboxDir;
  process.env.PUBLIC_BASE_URL = config.baseUrl;
};
