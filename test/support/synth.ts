import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createStorylineApp } from '../../infra/app';
import type { StorylineStack } from '../../infra/stack';

/**
 * Synthesizes the real CDK app (infra/app.ts) once per test file and settings (the checks of the
 * synthesized app share one file, test/infra/synthesized.test.ts, and so its synths): the same stack, the
 * same cdk-nag plugins, and the context of cdk.json (CloudFormation schema validation on). Synthesis
 * throws on any unacknowledged cdk-nag finding or schema error, so a test that synthesizes has
 * already checked both. Lambda bundling is skipped unless asked for (the CLI test bundles for real).
 */

/** For the hooks that synthesize: bundling, schema validation and cdk-nag take a while on a busy machine. */
export const SYNTH_TIMEOUT = 300_000;

export const CDK_JSON = join(__dirname, '..', '..', 'cdk.json');
export const cdkJson = (): { app: string; context: Record<string, unknown> } => JSON.parse(readFileSync(CDK_JSON, 'utf8'));

/** Every optional part switched on: CloudFront in front of the feeds, digests by e-mail, WebSub hubs, a timezone of its own. */
export const FULL_SETTINGS = {
  cloudFront: 'true',
  timezone: 'Asia/Karachi',
  digestEmailFrom: 'digests@news.example.org',
  digestEmailTo: 'editors@example.org,desk@example.net',
  jwtIssuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
  jwtAudience: 'client-one,client-two',
  alarmEmail: 'oncall@news.example.org,desk@example.net',
  subscriptionEmailFrom: 'digest@news.example.org',
  websubHubs: 'https://pubsubhubbub.appspot.com/,https://hub.example.org/websub',
} as const;

export interface Synthesized {
  app: App;
  stack: StorylineStack;
  template: Template;
  /** The template as JSON, for walking all resources of a type. */
  json: { Resources: Record<string, { Type: string; Properties?: any; DeletionPolicy?: string; UpdateReplacePolicy?: string }>; Outputs?: Record<string, unknown> };
  outdir: string;
}

const cache = new Map<string, Synthesized>();

export const synthStoryline = (context: Record<string, unknown> = {}, { bundle = false } = {}): Synthesized => {
  const key = JSON.stringify({ context, bundle });
  const cached = cache.get(key);
  if (cached) return cached;
  const outdir = mkdtempSync(join(tmpdir(), 'storyline-cdk-'));
  const { app, stack } = createStorylineApp({
    outdir,
    context: { ...cdkJson().context, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
  const assembly = app.synth();
  const json = JSON.parse(readFileSync(assembly.getStackByName(stack.stackName).templateFullPath, 'utf8')) as Synthesized['json'];
  const synthesized = { app, stack, template: Template.fromJSON(json), json, outdir };
  cache.set(key, synthesized);
  return synthesized;
};

/** Removes the temporary cloud assemblies of this test file. */
export const cleanUpSynth = (): void => {
  for (const { outdir } of cache.values()) rmSync(outdir, { recursive: true, force: true });
  cache.clear();
};

type Resources = Synthesized['json']['Resources'];

/** The resources of one type, by logical id. */
export const resourcesOfType = (json: Synthesized['json'], type: string): Resources =>
  Object.fromEntries(Object.entries(json.Resources).filter(([, resource]) => resource.Type === type));

/** The logical id of a construct's CloudFormation resource in its stack. */
export const logicalIdOf = (stack: StorylineStack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<StorylineStack['getLogicalId']>[0]);
