/**
 * Every environment variable name Storyline uses. The handlers read them (functions/config.ts);
 * the CDK stack and the local runtime set them. Nothing else types these names.
 */
export const ENV = {
  eventsTable: 'EVENTS_TABLE',
  readModelsTable: 'READ_MODELS_TABLE',
  /** Snapshots of decided story state (the write API's); unset, cold starts fold stories from their events. */
  snapshotsTable: 'SNAPSHOTS_TABLE',
  /** DynamoDB Local's URL; unset in AWS */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  /** The origin that links in digests and pages point at (`https://host`, no trailing slash). */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** Locally: the folder digest e-mails are written to as .eml files instead of being sent. */
  digestOutboxDir: 'DIGEST_OUTBOX_DIR',
  digestEmailFrom: 'DIGEST_EMAIL_FROM',
  /** Comma-separated addresses. */
  digestEmailTo: 'DIGEST_EMAIL_TO',
  /** WebSub hubs to ping when a feed changes: comma-separated URLs; unset or empty, none (no rel="hub", no calls). */
  websubHubs: 'STORYLINE_WEBSUB_HUBS',
  /** The durable queue of hub pings: an SQS queue URL in AWS... */
  websubQueueUrl: 'WEBSUB_QUEUE_URL',
  /** ...or, locally, a folder. */
  websubQueueDir: 'WEBSUB_QUEUE_DIR',
  /** In AWS, with CloudFront in front of the feeds: the distribution the WebSub pinger invalidates a feed's path in before it pings. */
  cloudFrontDistributionId: 'CLOUDFRONT_DISTRIBUTION_ID',
  subscriptionsTable: 'SUBSCRIPTIONS_TABLE',
  /** The HMAC key of subscription tokens and subscriber ids (locally: generated in the data folder). */
  subscriptionSecret: 'SUBSCRIPTION_SECRET',
  /** In AWS: the Secrets Manager secret holding that key (read once per instance); unset locally. */
  subscriptionSecretArn: 'SUBSCRIPTION_SECRET_ARN',
  /** In AWS: the queue the digest function fans subscriber sends out through; unset locally (sent inline). */
  subscriberSendQueueUrl: 'SUBSCRIBER_SEND_QUEUE_URL',
  /** The sender function spaces its sends by this many milliseconds (the SES send rate, shared by its instances). */
  subscriberSendIntervalMs: 'SUBSCRIBER_SEND_INTERVAL_MS',
  /** Confirmation mails to one address per UTC day (default 3): a sign-up over it sends nothing. */
  confirmationsPerDay: 'SUBSCRIPTION_CONFIRMATIONS_PER_DAY',
  /** The sender address of subscriber mail (confirmations and digests); SES configuration set for feedback. */
  subscriptionEmailFrom: 'SUBSCRIPTION_EMAIL_FROM',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** The key that signs desk sessions and sign-in links (locally: generated in the data folder)... */
  deskSecret: 'DESK_SECRET',
  /** ...or, in AWS, the Secrets Manager secret holding it. */
  deskSecretArn: 'DESK_SECRET_ARN',
  /**
   * In AWS, the hosted sign-in of the editors' OIDC provider (the stack's Cognito user pool by default):
   * its issuer, the authorize and token endpoints, and the desk's client id. Unset locally (sign-in links instead).
   */
  deskOidcIssuer: 'DESK_OIDC_ISSUER',
  deskOidcAuthorizeUrl: 'DESK_OIDC_AUTHORIZE_URL',
  deskOidcTokenUrl: 'DESK_OIDC_TOKEN_URL',
  deskOidcClientId: 'DESK_OIDC_CLIENT_ID',
  /** Powertools' logger: the service name and the level. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

/** Settings of the local runtime only (infra/local/config.ts). */
export const LOCAL_ENV = {
  dataDir: 'STORYLINE_DATA_DIR',
  httpPort: 'PORT',
  dynamodbPort: 'DYNAMODB_PORT',
  /** What the local tables' names start with (default `storyline`): runtimes sharing one DynamoDB Local keep apart. */
  tablePrefix: 'STORYLINE_TABLE_PREFIX',
  /** The IANA timezone every digest schedule fires in, in place of the declared one (as the CDK `timezone` setting). */
  digestTimezone: 'STORYLINE_DIGEST_TIMEZONE',
} as const;
