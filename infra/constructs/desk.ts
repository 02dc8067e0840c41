import { Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Editors } from './editors';
import type { EventStore } from './event-store';
import type { ReadModels } from './read-models';
import { StorylineFunction, type StorylineFunctionProps } from './storyline-function';

export interface DeskProps {
  eventStore: EventStore;
  readModels: ReadModels;
  tables: StorylineFunctionProps['tables'];
  /** The stream ids (and bookkeeping prefixes) the desk may append to: the write API's. */
  appendPatterns: string[];
}

/**
 * The desk (functions/handlers/desk.ts): its function, which appends through the story service as the
 * write API does, and the key that signs its sessions (Secrets Manager, read once per instance).
 */
export class Desk extends Construct {
  readonly fn: StorylineFunction;
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DeskProps) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Storyline: the key that signs desk sessions',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The key signs desk sessions of two hours: replacing the secret by hand signs every editor out, and nothing else depends on it; a rotation Lambda would add a function for no gain.',
    });
    this.fn = new StorylineFunction(this, 'Function', {
      handler: 'desk',
      description: 'Storyline: the desk, where editors write, correct and retract developments',
      tables: props.tables,
      environment: { [ENV.deskSecretArn]: this.secret.secretArn },
    });
    this.secret.grantRead(this.fn.role);
    props.eventStore.grantReadEvents(this.fn.role);
    props.eventStore.grantAppend(this.fn.role, props.appendPatterns);
    props.readModels.grantRead(this.fn.role);
  }

  /** Lets another function tell a signed-in editor by the session cookie (the home page's desk link): it may read the key, nothing else of the desk. */
  letCheckSessions(fn: StorylineFunction): void {
    fn.function.addEnvironment(ENV.deskSecretArn, this.secret.secretArn);
    this.secret.grantRead(fn.role);
  }

  /** Sign-in through the editors' hosted sign-in (authorization code with PKCE) instead of sign-in links. */
  useHostedSignIn(editors: Editors, client: cognito.UserPoolClient): void {
    const env = this.fn.function;
    env.addEnvironment(ENV.deskOidcIssuer, editors.issuer);
    env.addEnvironment(ENV.deskOidcAuthorizeUrl, editors.authorizeUrl);
    env.addEnvironment(ENV.deskOidcTokenUrl, editors.tokenUrl);
    env.addEnvironment(ENV.deskOidcClientId, client.userPoolClientId);
  }
}
