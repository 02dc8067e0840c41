import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { build } from 'esbuild';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { localConfig } from '../../infra/local/config';
import { freePort } from '../support/ports';
import { developmentData } from '../support/api';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';

/**
 * `npx storyline` in a child process against the running local runtime, and with --aws against the
 * same DynamoDB through the SDK's own endpoint setting, as it would reach a deployed stack's tables.
 * The tests marked `bin` run it as a user runs it (bin/storyline.js, which transpiles the TypeScript
 * with tsx: ~1.4 s a run); the others run the same source bundled once by esbuild (~0.4 s a run).
 */

let app: RunningStoryline;
const work = mkdtempSync(join(tmpdir(), 'storyline-cli-'));
const bundled = join(work, 'storyline.js');

beforeAll(async () => {
  [app] = await Promise.all([startStoryline(), build({ entryPoints: [resolve('infra/local/cli.ts')], bundle: true, platform: 'node', target: 'node20', outfile: bundled, logLevel: 'silent' })]);
});
afterAll(async () => {
  await app?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI bundled, or with `bin` as bin/storyline.js (the environment bin/storyline.js adds is given to the bundle too). */
const storyline = (args: string[], env: Record<string, string | undefined> = {}, { bin = false } = {}): Promise<Run> =>
  new Promise((done, fail) => {
    // the runtime started above exported its ports and data folder into this process's environment
    const merged = Object.fromEntries(Object.entries({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR', ...env }).filter(([, value]) => value !== undefined));
    const child = spawn(process.execPath, [bin ? resolve('bin/storyline.js') : bundled, ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });

const eventsFile = (events: unknown[]): string => {
  const file = join(work, `${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify(events));
  return file;
};

const meeting = (headline: string) => ({ type: 'MeetingHeld', data: developmentData(headline, { meetingId: `cli-${randomUUID().slice(0, 8)}`, participants: ['russia', 'pakistan'], place: 'Moscow', outcome: 'Talks.' }) });

describe('npx storyline, against the running local runtime', () => {
  it('lists the stories with their versions (bin)', async () => {
    await eventually(async () => (await storyline(['stories'])).stdout.includes(seedStory.storyId));
    const run = await storyline(['stories'], {}, { bin: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${seedStory.storyId}\tversion ${seedStory.events.length}`);
  });

  it('prints a story log, as lines and as JSON', async () => {
    const lines = await storyline(['log', seedStory.storyId]);
    expect(lines.code).toBe(0);
    expect(lines.stdout.trim().split('\n')).toHaveLength(seedStory.events.length);
    expect(lines.stdout).toMatch(/^ {3}1 {2}\S+ {2}StoryOpened/);
    const json = await storyline(['log', seedStory.storyId, '--json']);
    const parsed = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as { version: number; type: string });
    expect(parsed.map((e) => e.version)).toEqual(seedStory.events.map((_, i) => i + 1));
    expect(parsed[0]?.type).toBe('StoryOpened');
  });

  it('appends events from a file, and the same file again writes nothing', async () => {
    const file = eventsFile([{ id: randomUUID(), ...meeting('Khar meets Lavrov, from the CLI') }]);
    const first = await storyline(['append', seedStory.storyId, '--file', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/appended: story russia-pakistan-2012 at version \d+/);
    const again = await storyline(['append', seedStory.storyId, '--file', file]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already appended: nothing written');
  });

  it('explains a refused append in one line, without a stack trace, and exits 1', async () => {
    const invalid = await storyline(['append', seedStory.storyId, '--file', eventsFile([{ type: 'MeetingHeld', data: { headline: 'x' } }])]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^storyline: invalid: .*events\.0\.data/);
    const stale = await storyline(['append', seedStory.storyId, '--file', eventsFile([meeting('Too late')]), '--expected-version', '1']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/^storyline: conflict: .*current version \d+/);
    for (const run of [invalid, stale]) expect(run.stderr).not.toMatch(/\bat .+\.(ts|js):\d+/);
  });

  it('prints a write token and nothing else', async () => {
    const run = await storyline(['token']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('runs a digest firing by hand and writes its e-mail to the outbox', async () => {
    const run = await storyline(['digest', '--period', 'weekly', '--at', '2012-10-08T06:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^published weekly-2012-10-08t06-00-00z .*28 developments in 1 story/);
    expect(readdirSync(localConfig().outboxDir)).toContain('weekly-2012-10-08t06-00-00z.eml');
    const again = await storyline(['digest', '--period', 'weekly', '--at', '2012-10-08T06:00:00Z']);
    expect(again.stdout).toContain('was already published: nothing changed');
  });

  it('rebuilds the read models and says how far it got', async () => {
    const run = await storyline(['rebuild']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rebuilt \d+ read models from \d+ events in [\d.]+ s .*readers switched from generation \d+ to \d+/);
    expect(run.stderr).toContain('done');
  });

  it('answers an unknown command with the usage, exit 2 (bin)', async () => {
    const run = await storyline(['frobnicate'], {}, { bin: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: npx storyline <command>');
  });

  it('says in one line when Storyline is not running (bin)', async () => {
    const run = await storyline(['stories'], { DYNAMODB_PORT: String(await freePort()) }, { bin: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^storyline: Storyline is not running at http:\/\/127\.0\.0\.1:\d+ .*npm start/);
  });
});

describe('npx storyline --aws', () => {
  const config = () => localConfig();
  /** What a deployed stack gives: its table names, credentials and a region; here the SDK is pointed at DynamoDB Local. */
  const aws = () => ({
    EVENTS_TABLE: config().tables.events,
    READ_MODELS_TABLE: config().tables.readModels,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'clitest',
    AWS_SECRET_ACCESS_KEY: 'clitest',
    AWS_ENDPOINT_URL_DYNAMODB: config().dynamodbEndpoint,
    // nothing of the local runtime's: a stack is reached by table names alone
    DYNAMODB_PORT: String(1),
  });

  it('lists the stories and prints a log from the tables it is given', async () => {
    const stories = await storyline(['stories', '--aws'], aws());
    expect(stories.stderr).toBe('');
    expect(stories.code).toBe(0);
    expect(stories.stdout).toContain(`${seedStory.storyId}\tversion`);
    const log = await storyline(['log', seedStory.storyId, '--aws'], aws());
    expect(log.code).toBe(0);
    expect(log.stdout).toContain('StoryOpened');
  });

  it('rebuilds those read models', async () => {
    const run = await storyline(['rebuild', '--aws'], aws());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rebuilt \d+ read models/);
  });

  it('says what it needs when the table names are missing, and refuses what only the local runtime does', async () => {
    const missing = await storyline(['stories', '--aws'], { ...aws(), EVENTS_TABLE: undefined });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^storyline: --aws needs EVENTS_TABLE and READ_MODELS_TABLE/);
    const unreachable = await storyline(['stories', '--aws'], { ...aws(), EVENTS_TABLE: 'no-such-table' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^storyline: cannot reach the events table no-such-table in AWS/);
    for (const command of [['token'], ['digest', '--period', 'daily', '--at', '2012-10-08T06:00:00Z']]) {
      const run = await storyline([...command, '--aws'], aws());
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^storyline: /);
    }
  });
});
