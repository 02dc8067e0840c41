import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { STACK_NAME } from '../../infra/app';
import { handlerEntry } from '../../infra/constructs/storyline-function';
import { cdkJson, SYNTH_TIMEOUT } from '../support/synth';

/**
 * `npx cdk synth` of the whole app, as a person runs it: the CLI, cdk.json's app command and context,
 * no AWS credentials or account, no network, no Docker; esbuild bundles every function. A WebSub hub
 * is configured on the command line, so the stack has every function (the pinger exists only with hubs).
 */

const root = join(__dirname, '..', '..');
const outdir = mkdtempSync(join(tmpdir(), 'storyline-cli-'));
let template: { Resources: Record<string, { Type: string; Properties: any; Metadata?: Record<string, string> }> };

beforeAll(async () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AWS_|CDK_DEFAULT_)/.test(name)));
  await promisify(execFile)('npx', ['cdk', 'synth', '--quiet', '--context', 'websubHubs=https://hub.example.org/', '--output', outdir], {
    cwd: root,
    env: { ...env, AWS_EC2_METADATA_DISABLED: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  template = JSON.parse(readFileSync(join(outdir, `${STACK_NAME}.template.json`), 'utf8'));
}, SYNTH_TIMEOUT);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it('uses tsx to run infra/app.ts', () => {
  expect(cdkJson().app).toBe('npx tsx infra/app.ts');
});

it('writes a validation report without violations', () => {
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports.flatMap((r: { violations?: unknown[] }) => r.violations ?? [])).toEqual([]);
});

describe('each function bundle', () => {
  const bundles = () =>
    Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => ({ id, dir: join(outdir, r.Metadata?.['aws:asset:path'] ?? '') }));

  // synthesized/parity.ts proves each handler module is deployed as exactly one function
  const handlerModules = () => readdirSync(dirname(handlerEntry('not-found'))).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));

  it('exists for every function, one per handler module', () => {
    expect(handlerModules().length).toBeGreaterThanOrEqual(11);
    expect(bundles()).toHaveLength(handlerModules().length);
    expect(new Set(bundles().map(({ dir }) => dir)).size).toBe(bundles().length);
    for (const { dir } of bundles()) expect(existsSync(join(dir, 'index.js'))).toBe(true);
  });

  it('is minified CommonJS with a source map, and leaves the AWS SDK to the runtime', () => {
    for (const { id, dir } of bundles()) {
      const code = readFileSync(join(dir, 'index.js'), 'utf8');
      expect({ id, map: existsSync(join(dir, 'index.js.map')) }).toEqual({ id, map: true });
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
      // minified: esbuild drops the doc comments every source file has
      expect(code).not.toMatch(/\/\*\*\s/);
      expect(code).not.toMatch(/^\s*(import|export)\s/m);
      // required from the runtime, never bundled: the SDK's DynamoDB protocol strings are not inside
      expect(code).not.toContain('DynamoDB_20120810');
      if (code.includes('@aws-sdk/client-dynamodb')) expect(code).toContain('require("@aws-sdk/client-dynamodb")');
      expect({ id, bytes: statSync(join(dir, 'index.js')).size < 1024 * 1024 }).toEqual({ id, bytes: true });
    }
  });
});
