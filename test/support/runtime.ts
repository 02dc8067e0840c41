import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localConfig } from '../../infra/local/config';
import { LOCAL_ENV } from '../../contracts/env';
import { freePort } from './ports';
import { SHARED_DYNAMODB_PORT } from './shared-dynamodb';
import { loadOrCreateKeyPair, signToken, writeToken, LOCAL_AUDIENCE, LOCAL_ISSUER, type KeyPair } from '../../infra/local/jwt';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../infra/local/runtime';

/**
 * The whole local runtime (DynamoDB Local, tables, seed, stream runner, HTTP host) on free ports
 * and a temporary data folder, for end-to-end tests over real HTTP.
 */
export interface RunningStoryline {
  runtime: LocalRuntime;
  baseUrl: string;
  dataDir: string;
  keys: KeyPair;
  /** A valid write token. */
  token: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /**
   * How often the stream runner reads the events' stream (default 100 ms; AWS's mapping, and `npm start`, 250 ms):
   * sooner for the tests that wait on the read models. An idle runtime cost 16% of a core at 50 ms (the JVM and
   * node, measured over 20 s) and 7% at 250 ms, and a full test run keeps about 700 runtime-seconds alive.
   */
  pollIntervalMs?: number;
  /** Wait until the runtime is ready (the seed story projected) before returning (default true). */
  waitUntilReady?: boolean;
  wrapProjector?: LocalRuntimeOptions['wrapProjector'];
  /** The runtime's log lines (default: dropped). */
  log?: (line: string) => void;
  /**
   * A DynamoDB Local of its own (a JVM, ~2 s and more on a busy machine), for a test that restarts it, or that
   * writes thousands of events (their stream records would slow the worker's shared one for its later files).
   * Default: the one jest's global setup started for this worker, with tables of this runtime's own (a prefix), which
   * the CLI's child processes find through the same environment.
   */
  ownDynamoDb?: boolean;
}

export const startStoryline = async ({ pollIntervalMs = 100, waitUntilReady = true, wrapProjector, log = () => undefined, ownDynamoDb = false }: StartOptions = {}): Promise<RunningStoryline> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'storyline-e2e-'));
  const shared = ownDynamoDb ? undefined : process.env[SHARED_DYNAMODB_PORT];
  process.env[LOCAL_ENV.dataDir] = dataDir;
  process.env[LOCAL_ENV.dynamodbPort] = shared ?? String(await freePort());
  process.env[LOCAL_ENV.httpPort] = String(await freePort());
  if (shared) process.env[LOCAL_ENV.tablePrefix] = `e2e-${randomUUID().slice(0, 8)}`;
  else delete process.env[LOCAL_ENV.tablePrefix];
  const config = localConfig();
  const runtime = await startLocalRuntime({ config, log, requestLog: false, pollIntervalMs, startDynamoDb: !shared, ...(wrapProjector ? { wrapProjector } : {}) });
  if (waitUntilReady) await runtime.ready;
  const keys = loadOrCreateKeyPair(dataDir);
  return {
    runtime,
    baseUrl: config.baseUrl,
    dataDir,
    keys,
    token: await writeToken(keys, 'e2e-editor', Math.floor(Date.now() / 1000)),
    async stop() {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export { signToken, LOCAL_AUDIENCE, LOCAL_ISSUER };

/** Polls until `check` returns a value (not undefined/false) or the time runs out (every 100 ms: a check is often an HTTP request, which costs the host and DynamoDB Local). */
export const eventually = async <T>(check: () => Promise<T | undefined | false>, { timeoutMs = 10_000, intervalMs = 100 } = {}): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
};
