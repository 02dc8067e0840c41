import type { Server } from 'node:http';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { createEventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { READ_MODEL_SCHEMA } from '../../events/projections';
import { rebuildOlderShape } from './read-model-shape';
import { createStoryService } from '../../functions/story-service';
import { exportHandlerEnv, localConfig, type LocalConfig } from './config';
import { createMissingTables, deleteTables } from './create-tables';
import { startDynamoDbLocal, StartupError, isPortFree } from './dynamodb-local';
import { loadDigestHandler, loadHttpHandler, loadProjectorHandler } from './handlers';
import { startScheduler } from './scheduler';
import { digestSchedulesIn } from '../../contracts/schedules';
import { startLocalPinger } from './websub-pinger';
import { hubsFromEnv } from '../../functions/websub/hubs';
import { cronExpression } from '../cron';
import { join } from 'node:path';
import { feedPath, openApiPath, timelinePath } from '../../functions/links';
import { READY_PATH, startHttpHost } from './http-host';
import { loadOrCreateKeyPair } from './jwt';
import { seed } from './seed';
import { startStreamRunner, type StreamHandler, type StreamRunner } from './stream-runner';
import { streamProcessing } from '../constructs/stream-processing';

export interface LocalRuntime {
  config: LocalConfig;
  runner: StreamRunner;
  /**
   * Resolves once the stream runner has projected every event the events table held when the
   * runtime started (the seed story included): its feeds and read models serve from then on, and
   * GET /ready answers 200. The "running" message is printed then.
   */
  ready: Promise<void>;
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
  /**
   * Start DynamoDB Local (default true). False: use the one already answering at the configured
   * port (tests share the one jest's global setup starts); `restartDynamoDb` is then unavailable,
   * and the runtime deletes its tables when it stops.
   */
  startDynamoDb?: boolean;
}

/** What `npm start` prints once Storyline serves: the URLs to try first. */
export const runningMessage = (config: LocalConfig, storyId: string): string =>
  [
    '',
    `Storyline is running: ${config.baseUrl}/  (the home page: open it in a browser)`,
    'Or try:',
    `  curl ${config.baseUrl}${feedPath({ kind: 'story', storyId }, 'rss')}`,
    `  curl ${config.baseUrl}${timelinePath(storyId)}`,
    `  npx storyline log ${storyId}`,
    'Ctrl-C stops it.',
  ].join('\n');

/** Starts every local part in order; stops them in reverse order. */
export const startLocalRuntime = async ({ log, config = localConfig(), requestLog = true, pollIntervalMs = 250, wrapProjector = (h) => h, seedStory = true, startDynamoDb = true }: LocalRuntimeOptions): Promise<LocalRuntime> => {
  exportHandlerEnv(config);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const part of stops.reverse()) await part().catch(() => undefined);
    stops.length = 0;
  };
  try {
    if (!(await isPortFree(config.httpPort))) throw new StartupError(`Port ${config.httpPort} is busy, so the HTTP API cannot start there: stop what uses it or set PORT to another port.`);
    let dynamo = startDynamoDb ? await startDynamoDbLocal({ port: config.dynamodbPort, dataDir: config.dynamodbDir }) : undefined;
    if (dynamo) stops.push(() => dynamo!.stop());
    const endpoint = dynamo?.endpoint ?? config.dynamodbEndpoint;
    const restartDynamoDb: LocalRuntime['restartDynamoDb'] = async ({ kill = false, downMs = 0, onStopped = () => undefined } = {}) => {
      if (!dynamo) throw new Error('this runtime uses a DynamoDB Local it did not start, so it cannot restart it');
      if (kill) {
        const { process: java } = dynamo;
        const exited = new Promise((done) => java.once('exit', done));
        if (java.exitCode === null && java.signalCode === null) {
          java.kill('SIGKILL');
          await exited;
        }
      } else await dynamo.stop();
      onStopped();
      await new Promise((r) => setTimeout(r, downMs));
      dynamo = await startDynamoDbLocal({ port: config.dynamodbPort, dataDir: config.dynamodbDir });
    };
    log(`DynamoDB Local    ${endpoint}  ${dynamo ? `(data in ${config.dynamodbDir})` : '(already running)'}`);

    const client = createDynamoClient({ endpoint });
    stops.push(() => Promise.resolve().then(() => client.destroy()));
    const created = await createMissingTables(client, config.tables);
    if (!dynamo) stops.push(() => deleteTables(client, config.tables));
    log(`tables            ${Object.values(config.tables).join(', ')}${created.length ? ` (created ${created.join(', ')})` : ''}`);

    // read models stored in an older shape (or before the shape was recorded) are rebuilt from the
    // events table before anything reads or projects into them
    const reshaped = await rebuildOlderShape(createEventStore(client, config.tables.events), createReadModelStore(client, config.tables.readModels));
    if (reshaped && reshaped.rebuilt.events > 0) {
      log(`read models       rebuilt: stored in shape ${reshaped.from ?? 1}, now ${READ_MODEL_SCHEMA} (${reshaped.rebuilt.events} events, ${reshaped.rebuilt.documents} documents)`);
    }

    const runner = await startStreamRunner({
      dynamo: client,
      endpoint,
      tableName: config.tables.events,
      handler: wrapProjector(await loadProjectorHandler()),
      stateDir: config.dataDir,
      pollIntervalMs,
      // as many retries as the event source mapping in AWS, spread over ~31 s: a record is dead-lettered
      // for being poison, not for arriving while DynamoDB (Local) restarts or is briefly unreachable
      // (a JVM restart on a loaded 2-core machine took longer than the ~15 s this allowed before)
      maxRetries: streamProcessing.retryAttempts,
      retryDelayMs: (attempt) => Math.min(16_000, 500 * 2 ** attempt),
      log,
    });
    stops.push(() => runner.stop());
    log(`stream runner     projector fed from the events table's stream every ${pollIntervalMs} ms (dead letters in ${config.dataDir}/dead-letter)`);

    let isReady = false;
    const keys = loadOrCreateKeyPair(config.dataDir);
    const server: Server = await startHttpHost({ port: config.httpPort, loadHandler: loadHttpHandler, publicKey: keys.publicKey, log, logRequests: requestLog, ready: () => isReady });
    stops.push(() => new Promise<void>((done) => server.close(() => done())));
    server.closeIdleConnections?.();
    log(`HTTP API          ${config.baseUrl}  (OpenAPI at ${config.baseUrl}${openApiPath}, readiness at ${config.baseUrl}${READY_PATH})`);

    const digest = await loadDigestHandler();
    const schedules = digestSchedulesIn(config.digestTimezone);
    const scheduler = startScheduler({ schedules, target: digest, deadLetterDir: join(config.dataDir, 'dead-letter'), log });
    stops.push(() => Promise.resolve().then(() => scheduler.stop()));
    for (const s of schedules) {
      log(`digest schedule   ${s.period.padEnd(7)} ${cronExpression(s)} ${s.timezone}, next at ${scheduler.next().find((n) => n.period === s.period)?.at} (e-mail to ${config.outboxDir})`);
    }

    const hubs = hubsFromEnv();
    if (hubs.length > 0) {
      const pinger = startLocalPinger({ dir: config.websubQueueDir, log });
      stops.push(pinger.stop);
      log(`WebSub hubs       ${hubs.join(', ')} (queue in ${config.websubQueueDir})`);
    }

    const store = createEventStore(client, config.tables.events);
    const seeded = seedStory ? await seed(createStoryService(store)) : { storyId: 'russia-pakistan-2012', version: 0, appended: 0 };
    log(`seed story        ${seeded.storyId} at version ${seeded.version}${seeded.appended ? ` (${seeded.appended} events appended)` : ' (already seeded)'}`);
    // everything in the events table now (the seed included) is projected once the runner has drained
    const ready = runner.drained().then(() => {
      isReady = true;
      log(runningMessage(config, seeded.storyId));
    });
    return { config, runner, ready, restartDynamoDb, stop };
  } catch (error) {
    await stop();
    throw error;
  }
};
