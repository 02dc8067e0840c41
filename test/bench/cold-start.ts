import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { ENV } from '../../contracts/env';
import { percentile, round, type Figure } from './stats';

/**
 * Cold start: each function bundled as the CDK stack bundles it (esbuild, minified, the AWS SDK
 * left to the runtime), its size, and the time to load the module in a fresh Node process,
 * against an empty handler bundled the same way. Every function: each handler module is one.
 */

const HANDLERS = readdirSync(resolve('functions', 'handlers'))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -'.ts'.length));

/** What the stack sets that a handler reads when its module loads (placeholders: nothing is called). */
const LOAD_ENV = {
  [ENV.eventsTable]: 'bench-events',
  [ENV.readModelsTable]: 'bench-read-models',
  [ENV.subscriptionsTable]: 'bench-subscriptions',
  [ENV.subscriptionSecret]: 'bench-secret-bench-secret-bench-secret',
  [ENV.subscriptionEmailFrom]: 'digests@example.org',
  [ENV.subscriberSendIntervalMs]: '72',
  [ENV.websubHubs]: 'https://hub.example.org/',
  [ENV.websubQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-pings',
  [ENV.publicBaseUrl]: 'https://storyline.example.org',
};
const RUNS = 7;

const bundle = (entry: string, outfile: string) => {
  buildSync({ entryPoints: [entry], outfile, bundle: true, minify: true, platform: 'node', target: 'node20', format: 'cjs', external: ['@aws-sdk/*'], treeShaking: true, logLevel: 'silent' });
  return statSync(outfile).size;
};

const loadMs = (file: string): number => {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const env = { ...process.env, ...LOAD_ENV, AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', NODE_PATH: resolve('node_modules') };
  const times = Array.from({ length: RUNS }, () => Number(execFileSync(process.execPath, ['-e', script], { env, cwd: resolve('.') }).toString()));
  return percentile(times, 50);
};

export const benchColdStart = (): Figure[] => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  const emptyEntry = join(dir, 'empty.ts');
  writeFileSync(emptyEntry, 'export const handler = async () => ({ statusCode: 200 });\n');
  const emptyFile = join(dir, 'empty.js');
  const emptySize = bundle(emptyEntry, emptyFile);
  const emptyLoad = loadMs(emptyFile);
  const figures: Figure[] = [];
  for (const name of HANDLERS) {
    // bundles live under the project so that `require('@aws-sdk/...')` resolves as the Lambda runtime would provide it
    const file = resolve('cdk.out', 'bench-bundles', `${name}.js`);
    const size = bundle(resolve('functions', 'handlers', `${name}.ts`), file);
    const load = loadMs(file);
    figures.push(
      { name: `${name}: bundle size (minified)`, value: round(size / 1024), unit: 'KB', baseline: round(emptySize / 1024, 2), baselineName: 'empty handler', ratio: round(size / emptySize, 0), target: '<= 150 KB', met: size <= 150 * 1024 },
      { name: `${name}: module load`, value: round(load), unit: 'ms', baseline: round(emptyLoad, 2), baselineName: 'empty handler load', ratio: round(load / emptyLoad, 1), target: '<= 100 ms', met: load <= 100 },
    );
  }
  return figures;
};
