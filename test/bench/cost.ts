import { round, type Figure } from './stats';
import { totalRequests, type Tally } from './request-counter';

/**
 * On-demand prices in us-east-1, as looked up on 2026-12-01 (sources: aws.amazon.com/dynamodb/pricing
 * as quoted after the November 2024 on-demand price cut, AWS News Blog post updated 2025-01-31;
 * aws.amazon.com/lambda/pricing; the API Gateway pricing page and the AWS whitepaper "Best Practices
 * for Designing Amazon API Gateway Private APIs", table 4). Free tiers are left out.
 */
export const PRICES = {
  asOf: '2026-12-01',
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  /** arm64, the architecture of every Storyline function (infra/constructs/storyline-function.ts) */
  lambdaGbSecond: 0.0000133334,
  httpApiRequest: 1.0 / 1e6,
} as const;

/** Memory of the functions in the CDK stack (GB). */
export const MEMORY_GB = { api: 0.5, projector: 1 } as const;

const kinds = (tally: Tally) =>
  Object.entries(tally.requests)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, n]) => `${kind.replace(/Command$/, '')} ${round(n, 2)}`)
    .join(', ');

/** Write units as AWS bills them: a transactional write 2 units per KB per item (DynamoDB Local reports 1). */
export const billedWriteUnits = (tally: Tally): number => tally.writeUnits + (tally.transactWriteUnits ?? 0);

export const dynamoCost = (tally: Tally): number => billedWriteUnits(tally) * PRICES.dynamoWriteUnit + tally.readUnits * PRICES.dynamoReadUnit;

/** Rows for the requests and capacity units of one operation, against a baseline's (per operation). */
export const requestFigures = (what: string, tally: Tally, baseline?: { name: string; tally: Tally }): Figure[] => {
  const requests = totalRequests(tally);
  const units = tally.writeUnits + tally.readUnits;
  const b = baseline ? { requests: totalRequests(baseline.tally), units: baseline.tally.writeUnits + baseline.tally.readUnits } : undefined;
  return [
    { name: `DynamoDB requests per ${what}`, value: round(requests, 2), unit: 'requests', baseline: b ? round(b.requests, 2) : 0, baselineName: baseline?.name ?? '', ratio: b ? round(requests / b.requests, 2) : 0, spread: kinds(tally) },
    { name: `capacity units per ${what}`, value: round(units, 2), unit: 'units', baseline: b ? round(b.units, 2) : 0, baselineName: baseline?.name ?? '', ratio: b ? round(units / b.units, 2) : 0, spread: `${round(tally.writeUnits, 2)} write, ${round(tally.readUnits, 2)} read (ReturnConsumedCapacity TOTAL)` },
  ];
};

export interface CostInputs {
  /** DynamoDB use per appended event (HTTP API) and per projected event */
  append: Tally;
  projected: Tally;
  /** write-api Lambda time per append (ms) and projector Lambda time and invocations per projected event */
  appendMs: number;
  projectorMsPerEvent: number;
  projectorInvocationsPerEvent: number;
}

/** The cost of a million events appended one per request through the HTTP API and projected, in USD. */
export const costFigures = (c: CostInputs): Figure[] => {
  const million = 1e6;
  const dynamo = (dynamoCost(c.append) + dynamoCost(c.projected)) * million;
  const lambda =
    (PRICES.lambdaRequest + (c.appendMs / 1000) * MEMORY_GB.api * PRICES.lambdaGbSecond + c.projectorInvocationsPerEvent * PRICES.lambdaRequest + (c.projectorMsPerEvent / 1000) * MEMORY_GB.projector * PRICES.lambdaGbSecond) * million;
  const gateway = PRICES.httpApiRequest * million;
  const total = dynamo + lambda + gateway;
  const row = (name: string, value: number, detail: string): Figure => ({ name, value: round(value, 2), unit: 'USD', baseline: 0, baselineName: '', ratio: 0, spread: detail });
  return [
    row('cost per million events appended and projected: DynamoDB', dynamo, `on-demand us-east-1 as of ${PRICES.asOf}: $0.625/M write units, $0.125/M read units`),
    row('  Lambda', lambda, `arm64 $0.20/M requests + $0.0000133334/GB-s; write-api 512 MB x ${round(c.appendMs)} ms (append p50, an upper bound), projector 1 GB x ${round(c.projectorMsPerEvent, 2)} ms/event, ${round(c.projectorInvocationsPerEvent, 3)} invocations/event`),
    row('  API Gateway HTTP API', gateway, '$1.00/M requests (first 300 M a month)'),
    row('  total', total, 'free tiers, storage, streams reads by Lambda (free) and data transfer left out'),
  ];
};
