import { Duration, Fn, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { DESK_PATHS } from '../../contracts/routes';
import { WRITE_SCOPE } from '../../contracts/scopes';

/**
 * The editors: a Cognito user pool (no self sign-up: an administrator creates each editor, see
 * docs/deploy.md), its hosted sign-in (a Cognito domain), and the desk's app client (authorization
 * code with PKCE, no client secret). The API's JWT authorizer trusts the pool: an editor's access
 * token carries the write scope of the pool's resource server, and its client id as audience.
 */
export class Editors extends Construct {
  readonly pool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;
  private client?: cognito.UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.pool = new cognito.UserPool(this, 'Pool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.pool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'A handful of editors created by an administrator, each with a strong password and MFA required: the threat protection of the Plus plan is not worth its per-user price here.',
    });
    const [, scopeName = 'write'] = WRITE_SCOPE.split('/');
    this.writeScope = new cognito.ResourceServerScope({ scopeName, scopeDescription: 'Append to stories' });
    this.resourceServer = this.pool.addResourceServer('Api', { identifier: WRITE_SCOPE.split('/')[0] ?? 'storyline', scopes: [this.writeScope] });
    // a domain prefix is global to a region: the stack's own id makes it unique without a physical name
    this.domain = this.pool.addDomain('HostedSignIn', { cognitoDomain: { domainPrefix: Fn.join('-', ['storyline', Fn.select(2, Fn.split('/', Stack.of(this).stackId))]) } });
  }

  private readonly writeScope: cognito.ResourceServerScope;
  private readonly resourceServer: cognito.UserPoolResourceServer;

  /** The desk's app client, whose hosted sign-in returns to `publicBaseUrl`'s desk callback. */
  addDeskClient(publicBaseUrl: string): cognito.UserPoolClient {
    this.client = this.pool.addClient('Desk', {
      generateSecret: false,
      authFlows: {},
      preventUserExistenceErrors: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE, cognito.OAuthScope.resourceServer(this.resourceServer, this.writeScope)],
        callbackUrls: [`${publicBaseUrl}${DESK_PATHS.signInCallback}`],
      },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
    });
    return this.client;
  }

  /** The issuer the API's authorizer trusts. */
  get issuer(): string {
    return this.pool.userPoolProviderUrl;
  }

  /** The audiences the API's authorizer accepts: the desk's client (resolved once it is added). */
  get audience(): string[] {
    return Lazy.list({ produce: () => (this.client ? [this.client.userPoolClientId] : []) });
  }

  get authorizeUrl(): string {
    return `${this.domain.baseUrl()}/oauth2/authorize`;
  }

  get tokenUrl(): string {
    return `${this.domain.baseUrl()}/oauth2/token`;
  }
}
