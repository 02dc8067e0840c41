import type { Server } from 'node:http';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { createEventStore } from '../../functions/adapters/event-store';
import { createStoryService } from '../../functions/story-service';
import { exportHandlerEnv, localConfig, type LocalConfig } from './config';
import { createMissingTables } from './create-tables';
import { startDynamoDbLocal, StartupError, isPortFree } from './dynamodb-local';
import { loadDigestHandler, loadHttpHandler, loadProjectorHandler } from './handlers';
import { startScheduler } from './scheduler';
import { digestSchedules } from '../../contracts/schedules';
import { cronExpression } from '../cron';
import { join } from 'node:path';
import { startHttpHost } from './http-host';
import { loadOrCreateKeyPair } from './jwt';
import { seed } from './seed';
import { startStreamRunner, type StreamHandler, type StreamRunner } from './stream-runner';
import { streamProcessing } from '../constructs/stream-processing';

export interface LocalRuntime {
  config: LocalConfig;
  runner: StreamRunner;
  /**
   * Stops DynamoDB Local (SIGTERM, or SIGKILL with `kill`) and starts it again on the same port and
   * data folder, as an outage would; every other part keeps running and must recover by itself.
   * `onStopped` runs once the old process has exited, before the new one starts.
   *
   * Where it differs from AWS: DynamoDB Local can lose a write it acknowledged in the instant before
   * it dies (seen once in CI after SIGKILL; reproduced with SIGTERM), which DynamoDB never does. A
   * test that needs "nothing acknowledged is lost" across a restart must first let the writes in
   * flight finish (test/support/reliability-faults.ts `cutOff`).
   */
  restartDynamoDb(options?: { kill?: boolean; downMs?: number; onStopped?: () => void }): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalRuntimeOptions {
  log: (line: string) => void;
  config?: LocalConfig;
  /** Log one line per HTTP request (default true). */
  requestLog?: boolean;
  pollIntervalMs?: number;
  /** Wraps the projector handler (benchmarks observe when records are projected; fault tests inject crashes). */
  wrapProjector?: (handler: StreamHandler) => StreamHandler;
  /** Seed the first story (default true). */
  seedStory?: boolean;
}

/** Starts every local part in order; stops them in reverse order. */
export const startLocalRuntime = async ({ log, config = localConfig(), requestLog = true, pollIntervalMs = 250, wrapProjector = (h) => h, seedStory = true }: LocalRuntimeOptions): Promise<LocalRuntime> => {
  exportHandlerEnv(config);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const part of stops.reverse()) await part().catch(() => undefined);
    stops.length = 0;
  };
  try {
    if (!(await isPortFree(config.httpPort))) throw new StartupError(`Port ${config.httpPort} is busy, so the HTTP API cannot start there: stop what uses it or set PORT to another port.`);
    let dynamo = await startDynamoDbLocal({ port: config.dynamodbPort, dataDir: config.dynamodbDir });
    stops.push(() => dynamo.stop());
    const restartDynamoDb: LocalRuntime['restartDynamoDb'] = async ({ kill = false, downMs = 0, onStopped = () => undefined } = {}) => {
      if (kill) {
        const exited = new Promise((done) => dynamo.process.once('exit', done));
        if (dynamo.process.exitCode === null && dynamo.process.signalCode === null) {
          dynamo.process.kill('SIGKILL');
          await exited;
        }
      } else await dynamo.stop();
      onStopped();
      await new Promise((r) => setTimeout(r, downMs));
      dynamo = await startDynamoDbLocal({ port: config.dynamodbPort, dataDir: config.dynamodbDir });
    };
    log(`DynamoDB Local    ${dynamo.endpoint}  (data in ${config.dynamodbDir})`);

    const client = createDynamoClient({ endpoint: dynamo.endpoint });
    stops.push(async () => client.destroy());
    const created = await createMissingTables(client, config.tables);
    log(`tables            ${Object.values(config.tables).join(', ')}${created.length ? ` (created ${created.join(', ')})` : ''}`);

    const runner = await startStreamRunner({
      dynamo: client,
      endpoint: dynamo.endpoint,
      tableName: config.tables.events,
      handler: wrapProjector(await loadProjectorHandler()),
      stateDir: config.dataDir,
      pollIntervalMs,
      // as many retries as the event source mapping in AWS, spread over ~15 s: a record is dead-lettered
      // for being poison, not for arriving while DynamoDB (Local) restarts or is briefly unreachable
      maxRetries: streamProcessing.retryAttempts,
      retryDelayMs: (attempt) => Math.min(8000, 250 * 2 ** attempt),
      log,
    });
    stops.push(runner.stop);
    log(`stream runner     projector fed from the events table's stream every ${pollIntervalMs} ms (dead letters in ${config.dataDir}/dead-letter)`);

    const keys = loadOrCreateKeyPair(config.dataDir);
    const server: Server = await startHttpHost({ port: config.httpPort, loadHandler: loadHttpHandler, publicKey: keys.publicKey, log, logRequests: requestLog });
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
    const seeded = seedStory ? await seed(createStoryService(store)) : { storyId: 'russia-pakistan-2012', version: 0, appended: 0 };
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
    return { config, runner, restartDynamoDb, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
