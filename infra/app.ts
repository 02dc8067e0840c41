import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readSettings } from './settings';
import { StorylineStack } from './stack';

export const STACK_NAME = 'Storyline';

/**
 * The CDK app: the Storyline stack, with cdk-nag's AWS Solutions and Serverless packs as validation
 * plugins (any unacknowledged finding fails synthesis) next to CDK's own CloudFormation schema
 * validation (`@aws-cdk/core:validateAgainstDefaultRules` in cdk.json).
 */
export const createStorylineApp = (props: AppProps = {}): { app: App; stack: StorylineStack } => {
  const app = new App(props);
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const stack = new StorylineStack(app, STACK_NAME, {
    description: 'Storyline: an event-sourced news feed (events, projections, feeds, digests)',
    settings: readSettings(app.node),
    // environment-agnostic unless the CLI knows the target account (offline synth needs none)
    ...(account && region ? { env: { account, region } } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack };
};

if (require.main === module) createStorylineApp().app.synth();
