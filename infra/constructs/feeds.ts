import { Duration, Fn, Validations } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import { Construct } from 'constructs';
import { routes } from '../../contracts/routes';

const feedRoutes = routes.filter((route) => route.method === 'GET' && route.handler === 'feeds');

/** CloudFront path patterns of the feed routes: each `{parameter}` segment becomes a `*` wildcard. */
export const feedPathPatterns = (): string[] => [...new Set(feedRoutes.map((route) => route.path.replace(/\{[^}]+\}/g, '*')))];

/** The query parameters that select a different feed document (`page`): part of the cache key. */
export const feedQueryParameters = (): string[] => [...new Set(feedRoutes.flatMap((route) => (route.query ?? []).map((q) => q.name)))].sort();

/** CloudFront Functions (cloudfront-js-2.0): the viewer's host becomes X-Forwarded-Host for the origin. */
export const FORWARD_HOST_CODE = `function handler(event) {
  var request = event.request;
  request.headers['x-forwarded-host'] = { value: request.headers.host.value };
  return request;
}`;

export interface FeedsProps {
  api: apigwv2.HttpApi;
}

/**
 * Optional CloudFront distribution in front of the API that caches the feed routes for RSS readers.
 *
 * The origin decides freshness: the feed handler sends `Cache-Control: max-age=...`, `ETag` and
 * `Last-Modified`, and the cache policy has minimum TTL 0 and default TTL 0 (a response without
 * Cache-Control is not cached), so CloudFront keeps a feed exactly as long as the origin says.
 * Conditional requests need no forwarding: CloudFront answers a reader's `If-None-Match` /
 * `If-Modified-Since` with 304 from its cached ETag / Last-Modified, and revalidates a stale copy
 * with the origin by sending those headers itself. Putting them in the cache key would only split
 * the cache per client. Everything that is not a feed passes through uncached.
 *
 * Feed documents carry absolute links built from the request's `X-Forwarded-Host` (else `Host`);
 * API Gateway must see its own host name, so a viewer-request function copies the viewer's host
 * into `X-Forwarded-Host` (overwriting whatever a client sent), and links point at the distribution.
 */
export class Feeds extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly cachePolicy: cloudfront.CachePolicy;

  constructor(scope: Construct, id: string, { api }: FeedsProps) {
    super(scope, id);

    const origin = new origins.HttpOrigin(Fn.parseDomainName(api.apiEndpoint), {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });

    this.cachePolicy = new cloudfront.CachePolicy(this, 'FeedCache', {
      comment: 'Storyline feeds: TTL from the origin Cache-Control; page in the key',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.allowList(...feedQueryParameters()),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const forwardHost = new cloudfront.Function(this, 'ForwardHost', {
      comment: 'Storyline: viewer host -> X-Forwarded-Host',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(FORWARD_HOST_CODE),
    });
    const functionAssociations = [{ function: forwardHost, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }];

    // sent to the origin, not part of the cache key (the function sets it to the distribution's host)
    const feedOriginRequest = new cloudfront.OriginRequestPolicy(this, 'FeedOriginRequest', {
      comment: 'Storyline feeds: X-Forwarded-Host for absolute links',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList('x-forwarded-host'),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.none(),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
    });

    const feedBehavior: cloudfront.BehaviorOptions = {
      origin,
      cachePolicy: this.cachePolicy,
      originRequestPolicy: feedOriginRequest,
      functionAssociations,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      compress: true,
    };

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Storyline feeds',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // the API's own host name must reach API Gateway; everything else (Authorization too) passes
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        functionAssociations,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      },
      additionalBehaviors: Object.fromEntries(feedPathPatterns().map((pattern) => [pattern, feedBehavior])),
    });

    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'The feeds are public news for readers anywhere; there is no country to exclude.' },
      { id: 'AwsSolutions-CFR2', reason: 'Public, read-only, cached feeds: the origin is protected by API stage throttling, and a web ACL would add a fixed monthly cost to an otherwise pay-per-use stack.' },
      {
        id: 'AwsSolutions-CFR3',
        reason: 'Requests that miss the cache are recorded in the API access log, and cache hits are counted in CloudFront metrics; a log bucket for public feed reads is not worth its cost and upkeep here.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'No custom domain: the default *.cloudfront.net certificate cannot pin a minimum TLS version. Adding a domain with an ACM certificate (TLSv1.2_2021) is the follow-up.',
      },
    );
  }
}
