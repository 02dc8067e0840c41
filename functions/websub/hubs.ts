import { ENV } from '../../contracts/env';
import type { FeedFormat } from '../../events/feeds/feed-document';
import { optionalEnv } from '../config';
import { escapeXmlAttr, safeHttpUrl } from '../render/text';

/**
 * WebSub (W3C Recommendation), publisher side: the hubs a feed names. Hub links are added when a
 * feed is served, not when it is rendered, so changing the setting needs no re-render.
 */

/** The hubs of the setting (comma-separated http(s) URLs); anything else is refused at load. */
export const parseHubs = (setting: string | undefined): string[] => {
  const hubs = (setting ?? '')
    .split(',')
    .map((hub) => hub.trim())
    .filter((hub) => hub !== '');
  for (const hub of hubs) if (safeHttpUrl(hub) !== hub) throw new Error(`WebSub hub ${JSON.stringify(hub)} is not an absolute http(s) URL`);
  return [...new Set(hubs)];
};

/**
 * The configured hubs (STORYLINE_WEBSUB_HUBS), read once at load; empty when none. (Here, not in
 * from-env.ts, so that the feed function does not load the SQS client at a cold start.)
 */
export const hubsFromEnv = (): string[] => parseHubs(optionalEnv(ENV.websubHubs));


/**
 * The feed body with its hubs: atom:link rel="hub" beside rel="self" in RSS and Atom, `hubs` in
 * JSON Feed. Unchanged when there is no hub.
 */
export const withHubLinks = (body: string, format: FeedFormat, hubs: readonly string[]): string => {
  if (hubs.length === 0) return body;
  switch (format) {
    case 'rss':
      return body.replace('<atom:link rel="self"', `${hubs.map((hub) => `<atom:link rel="hub" href="${escapeXmlAttr(hub)}"/>`).join('')}<atom:link rel="self"`);
    case 'atom':
      return body.replace('<link rel="self"', `${hubs.map((hub) => `<link rel="hub" href="${escapeXmlAttr(hub)}"/>`).join('')}<link rel="self"`);
    case 'json':
      return body.replace(/^\{/, `{"hubs":${JSON.stringify(hubs.map((url) => ({ type: 'WebSub', url })))},`);
    default: {
      const unknown: never = format;
      return unknown;
    }
  }
};

/** The HTTP Link header of a feed response: its hubs and itself (WebSub 4: discovery). */
export const hubLinkHeader = (self: string, hubs: readonly string[]): string => [...hubs.map((hub) => `<${hub}>; rel="hub"`), `<${self}>; rel="self"`].join(', ');
