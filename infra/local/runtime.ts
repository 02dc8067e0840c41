import type { Server } from 'node:http';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { createEventStore } from '../../functions/adapters/event-store';
import { createStoryService } from '../../functions/story-service';
import { exportHandlerEnv, localConfig, type LocalConfig } from './config';
import { createMissingTables } from './create-tables';
import { startDynamoDbLocal, StartupError, isPortFree } from './dynamodb-local';
import { loadDigestHandler, loadHttpHandler, loadProjectorHandler } from './handlers';
import { startScheduler } from './scheduler';
import { digestSchedules, cronExpression } from '../schedules';
import { join } from 'node:path';
import { startHttpHost } from './http-host';
import { loadOrCreateKeyPair } from './jwt';
import { seed } from './seed';
import { startStreamRunner, type StreamRunner } from './stream-runner';

export interface LocalRuntime {
  config: LocalConfig;
  runner: StreamRunner;
  stop(): Promise<void>;
}

export interface LocalRuntimeOptions {
  log: (line: string) => void;
  config?: LocalConfig;
  /** Log one line per HTTP request (default true). */
  requestLog?: boolean;
  pollIntervalMs?: number;
}

/** Starts every local part in order; stops them in reverse order. */
export const startLocalRuntime = async ({ log, config = localConfig(), requestLog = true, pollIntervalMs = 250 }: LocalRuntimeOptions): Promise<LocalRuntime> => {
  exportHandlerEnv(config);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const part of stops.reverse()) await part().catch(() => undefined);
    stops.length = 0;
  };
  try {
    if (!(await isPortFree(config.httpPort))) throw new StartupError(`Port ${config.httpPort} is busy, so the HTTP API cannot start there: stop what uses it or set PORT to another port.`);
    const dynamo = await startDynamoDbLocal({ port: config.dynamodbPort, dataDir: config.dynamodbDir });
    stops.push(dynamo.stop);
    log(`DynamoDB Local    ${dynamo.endpoint}  (data in ${config.dynamodbDir})`);

    const client = createDynamoClient({ endpoint: dynamo.endpoint });
    stops.push(async () => client.destroy());
    const created = await createMissingTables(client, config.tables);
    log(`tables            ${config.tables.events}, ${config.tables.readModels}${created.length ? ` (created ${created.join(', ')})` : ''}`);

    const runner = await startStreamRunner({
      dynamo: client,
      endpoint: dynamo.endpoint,
      tableName: config.tables.events,
      handler: await loadProjectorHandler(),
      stateDir: config.dataDir,
      pollIntervalMs,
      log,
    });
    stops.push(runner.stop);
    log(`stream runner     projector fed from the events table's stream every ${pollIntervalMs} ms (dead letters in ${config.dataDir}/dead-letter)`);

    const keys = loadOrCreateKeyPair(config.dataDir);
    const server: Server = await startHttpHost({ port: config.httpPort, loadHandler: loadHttpHandler, publicKey: keys.publicKey, log: requestLog ? log : () => undefined });
    stops.push(() => new Promise<void>((done) => server.close(() => done())));
    server.closeIdleConnections?.();
    log(`HTTP API          ${config.baseUrl}  (OpenAPI at ${config.baseUrl}/openapi.json)`);

    const digest = await loadDigestHandler();
    const scheduler = startScheduler({ schedules: digestSchedules, target: digest, deadLetterDir: join(config.dataDir, 'dead-letter'), log });
    stops.push(async () => scheduler.stop());
    for (const s of digestSchedules) {
      log(`digest schedule   ${s.period.padEnd(7)} ${cronExpression(s)} ${s.timezone}, next at ${scheduler.next().find((n) => n.period === s.period)?.at} (e-mail to ${config.outboxDir})`);
    }

    const store = createEventStore(client, config.tables.events);
    const seeded = await seed(createStoryService(store));
    log(`seed story        ${seeded.storyId} at version ${seeded.version}${seeded.appended ? ` (${seeded.appended} events appended)` : ' (already seeded)'}`);
    log(
      [
        '',
        'Storyline is running. Try:',
        `  curl ${config.baseUrl}/stories/${seeded.storyId}/feed.rss`,
        `  curl ${config.baseUrl}/stories/${seeded.storyId}/timeline`,
        `  npx storyline log ${seeded.storyId}`,
        'Ctrl-C stops it.',
      ].join('\n'),
    );
    return { config, runner, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
