import type { Node } from 'constructs';
import { isTimezone } from '../events/digest/schedule-time';
import { parseHubs } from '../functions/websub/hubs';

/**
 * The deploy-time settings of the Storyline stack, read from CDK context (`cdk.json` or
 * `npx cdk deploy -c jwtIssuer=https://... -c cloudFront=true`). Every setting has a default, so
 * `npx cdk synth` works with no context at all; values given on the command line arrive as strings.
 */
export interface StorylineSettings {
  /**
   * An external OIDC issuer whose tokens the API's JWT authorizer accepts (https URL with
   * /.well-known/openid-configuration). Unset: the stack's own Cognito user pool of editors is the issuer.
   */
  jwtIssuer?: string;
  /** Accepted `aud` values of the external issuer (for Cognito access tokens: the app client ids, matched against `client_id`). */
  jwtAudience?: string[];
  /** When set, the digest function also e-mails each digest through SES (a sender and one or more recipients). */
  digestEmail?: { from: string; to: string[] };
  /** Put a CloudFront distribution in front of the API that caches the feed routes. */
  cloudFront: boolean;
  /** Runs every digest schedule in this IANA timezone instead of the one it declares. */
  timezone?: string;
  /** The public origin for links in digests (a custom domain); default: CloudFront's, else the API's. */
  publicBaseUrl?: string;
  /** The HTTP API's default-stage throttling (requests per second, burst). */
  apiThrottle: { rateLimit: number; burstLimit: number };
  /** When set, every alarm notifies these addresses through an SNS topic (when it fires and when it clears). */
  alarmEmail?: string[];
  /** The sender of subscriber mail; its domain becomes an SES identity with DKIM. Unset: subscriber mail is not sent. */
  subscriptionEmailFrom?: string;
  /** The account's SES send rate (mails per second) the subscriber sender keeps within. */
  sesSendRate: number;
  /** Confirmation mails to one address per UTC day; a sign-up over it sends nothing. */
  confirmationsPerDay: number;
  /** WebSub hubs (http(s) URLs) that every feed names and that are pinged when a feed changes. Unset: no hub, no ping queue. */
  websubHubs?: string[];
}

/** The context keys, one per setting. */
const SETTING_KEYS = {
  jwtIssuer: 'jwtIssuer',
  jwtAudience: 'jwtAudience',
  digestEmailFrom: 'digestEmailFrom',
  digestEmailTo: 'digestEmailTo',
  cloudFront: 'cloudFront',
  timezone: 'timezone',
  publicBaseUrl: 'publicBaseUrl',
  apiRateLimit: 'apiRateLimit',
  apiBurstLimit: 'apiBurstLimit',
  alarmEmail: 'alarmEmail',
  subscriptionEmailFrom: 'subscriptionEmailFrom',
  sesSendRate: 'sesSendRate',
  confirmationsPerDay: 'confirmationsPerDay',
  websubHubs: 'websubHubs',
} as const;

/** The audience an external issuer's tokens name when jwtAudience is not set. */
export const DEFAULT_JWT_AUDIENCE = 'storyline';

export const defaultSettings: StorylineSettings = {
  cloudFront: false,
  apiThrottle: { rateLimit: 50, burstLimit: 100 },
  sesSendRate: 14,
  confirmationsPerDay: 3,
};

type Context = Record<string, unknown>;

const text = (context: Context, key: string): string | undefined => {
  const value = context[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  return value.trim() || undefined;
};

const bool = (context: Context, key: string, fallback: boolean): boolean => {
  const value = context[key];
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
};

const positiveInt = (context: Context, key: string, fallback: number): number => {
  const value = context[key];
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`context ${key} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
};

const list = (context: Context, key: string): string[] | undefined => {
  const value = context[key];
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : undefined;
  if (!items) throw new Error(`context ${key} must be a list or a comma-separated string, got ${JSON.stringify(value)}`);
  const trimmed = items.map((item) => item.trim()).filter(Boolean);
  return trimmed.length ? trimmed : undefined;
};

const email = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Settings from a plain context object; throws on a malformed value instead of deploying something else. */
export const settingsFromContext = (context: Context): StorylineSettings => {
  const jwtIssuer = text(context, SETTING_KEYS.jwtIssuer);
  if (jwtIssuer !== undefined && !/^https:\/\/[^\s/]+/.test(jwtIssuer)) throw new Error(`context ${SETTING_KEYS.jwtIssuer} must be an https URL, got ${JSON.stringify(jwtIssuer)}`);

  const from = text(context, SETTING_KEYS.digestEmailFrom);
  const to = list(context, SETTING_KEYS.digestEmailTo);
  if ((from === undefined) !== (to === undefined)) {
    throw new Error(`set both ${SETTING_KEYS.digestEmailFrom} and ${SETTING_KEYS.digestEmailTo} to e-mail digests, or neither`);
  }
  const alarmEmail = list(context, SETTING_KEYS.alarmEmail);
  for (const address of [...(from ? [from] : []), ...(to ?? []), ...(alarmEmail ?? [])]) if (!email.test(address)) throw new Error(`${JSON.stringify(address)} is not an e-mail address`);

  const publicBaseUrl = text(context, SETTING_KEYS.publicBaseUrl)?.replace(/\/+$/, '');
  if (publicBaseUrl !== undefined && !/^https:\/\/[^\s/]+$/.test(publicBaseUrl)) {
    throw new Error(`context ${SETTING_KEYS.publicBaseUrl} must be an https origin (https://host), got ${JSON.stringify(publicBaseUrl)}`);
  }

  const subscriptionEmailFrom = text(context, SETTING_KEYS.subscriptionEmailFrom);
  if (subscriptionEmailFrom !== undefined && !email.test(subscriptionEmailFrom)) throw new Error(`context ${SETTING_KEYS.subscriptionEmailFrom} must be an e-mail address, got ${JSON.stringify(subscriptionEmailFrom)}`);
  const timezone = text(context, SETTING_KEYS.timezone);
  if (timezone !== undefined && !isTimezone(timezone)) throw new Error(`context ${SETTING_KEYS.timezone} must be an IANA timezone, got ${JSON.stringify(timezone)}`);

  const websubHubs = parseHubs(list(context, SETTING_KEYS.websubHubs)?.join(','));

  return {
    ...(jwtIssuer !== undefined ? { jwtIssuer, jwtAudience: list(context, SETTING_KEYS.jwtAudience) ?? [DEFAULT_JWT_AUDIENCE] } : {}),
    ...(from !== undefined && to !== undefined ? { digestEmail: { from, to } } : {}),
    cloudFront: bool(context, SETTING_KEYS.cloudFront, defaultSettings.cloudFront),
    ...(timezone !== undefined ? { timezone } : {}),
    ...(publicBaseUrl !== undefined ? { publicBaseUrl } : {}),
    apiThrottle: {
      rateLimit: positiveInt(context, SETTING_KEYS.apiRateLimit, defaultSettings.apiThrottle.rateLimit),
      burstLimit: positiveInt(context, SETTING_KEYS.apiBurstLimit, defaultSettings.apiThrottle.burstLimit),
    },
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    ...(subscriptionEmailFrom !== undefined ? { subscriptionEmailFrom } : {}),
    sesSendRate: positiveInt(context, SETTING_KEYS.sesSendRate, defaultSettings.sesSendRate),
    confirmationsPerDay: positiveInt(context, SETTING_KEYS.confirmationsPerDay, defaultSettings.confirmationsPerDay),
    ...(websubHubs.length ? { websubHubs } : {}),
  };
};

/** Settings from a construct's CDK context (the app's `cdk.json` and `-c` values). */
export const readSettings = (node: Node): StorylineSettings =>
  settingsFromContext(Object.fromEntries(Object.values(SETTING_KEYS).map((key) => [key, node.tryGetContext(key)])));
