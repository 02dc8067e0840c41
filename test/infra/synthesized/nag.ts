import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { createStorylineApp } from '../../../infra/app';
import { cdkJson, cleanUpSynth, FULL_SETTINGS, SYNTH_TIMEOUT, synthStoryline } from '../../support/synth';

/**
 * cdk-nag (AWS Solutions and Serverless packs) and CloudFormation schema validation. Synthesis of the
 * real app already fails on an unacknowledged finding; these tests also say which findings are
 * acknowledged, that each says why, and that none is stale.
 */

const configurations = { default: {}, 'every option on': FULL_SETTINGS } as const;

/** Every acknowledgement in the tree: rule id, reason and where. */
const acknowledgements = (root: IConstruct) =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), reason, path: construct.node.path }))),
  );

beforeAll(() => {
  for (const context of Object.values(configurations)) synthStoryline(context);
}, SYNTH_TIMEOUT);
afterAll(cleanUpSynth);

describe.each(Object.entries(configurations))('cdk-nag, %s', (_name, context) => {
  it('finds nothing unacknowledged in AwsSolutions and Serverless (synthesis with the plugins succeeds)', () => {
    const { app } = synthStoryline(context);
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      const report = pack.validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    }
  });

  it('has a reason for every acknowledgement', () => {
    const { app } = synthStoryline(context);
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(40);
  });

  it('acknowledges only findings that the checks really report (no stale acknowledgements)', () => {
    const { app } = synthStoryline(context);
    const acknowledged = new Set(acknowledgements(app).map((a) => `${a.id} @ ${a.path}`));

    // the same app built without acknowledgements: every finding, raw
    const acknowledge = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    let raw: App;
    try {
      raw = createStorylineApp({ context: { ...cdkJson().context, 'aws:cdk:bundling-stacks': [], ...context } }).app;
    } finally {
      acknowledge.mockRestore();
    }
    const findings = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
      pack.validateScope(raw).violations.flatMap((v) => v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' }))),
    );
    expect(findings.length).toBeGreaterThan(0);
    for (const key of acknowledged) {
      const [id, path] = key.split(' @ ') as [string, string];
      const covers = findings.some((f) => f.id === id && (f.path === path || f.path.startsWith(`${path}/`)));
      expect({ acknowledgement: key, covers }).toEqual({ acknowledgement: key, covers: true });
    }
  });
});

describe('the acknowledged rules', () => {
  it('are these, and no others (a new one needs a look and a reason)', () => {
    const ids = (context: Record<string, unknown>) => [...new Set(acknowledgements(synthStoryline(context).app).map((a) => a.id))].sort();
    expect(ids({})).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-COG8',
      'AwsSolutions-IAM5[Resource::*]',
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<DigestsDigestFunction[0-9A-F]{8}\.Arn>:\*\]$/),
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaEventSourceMappingDestination',
      'Serverless-LambdaTracing',
      'Serverless-SQSRedrivePolicy',
    ]);
    expect(ids(FULL_SETTINGS).filter((id) => id.includes('-CFR'))).toEqual(['AwsSolutions-CFR1', 'AwsSolutions-CFR2', 'AwsSolutions-CFR3', 'AwsSolutions-CFR4']);
    expect(ids(FULL_SETTINGS).filter((id) => id.includes('SNS'))).toEqual(['Serverless-SNSRedrivePolicy']);
  });
});

describe('CloudFormation schema validation', () => {
  it('is switched on in cdk.json', () => {
    expect(cdkJson().context['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
  });

  it('fails synthesis on a template that CloudFormation would reject', () => {
    const app = new App({ context: cdkJson().context });
    const queue = new sqs.Queue(new Stack(app, 'Broken'), 'Queue', { enforceSSL: true });
    (queue.node.defaultChild as CfnResource).addPropertyOverride('VisibilityTimeout', 'a while');
    expect(() => app.synth()).toThrow(/VisibilityTimeout/);
  });
});
