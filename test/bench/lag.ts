import type { DynamoDBRecord } from 'aws-lambda';
import { openBenchStories, commentary } from './append';
import { percentile, round, type Figure } from './stats';

/**
 * Projection lag: from the API's 201 to the moment the projector has written the read models for
 * that event, over >= 1,000 appends at a steady rate. The baseline is the same path with the
 * stream runner delivering to a projector that does nothing (the stream's own delay at this poll).
 */

export interface ProjectionProbe {
  /** event id -> when its batch finished projecting (performance.now()) */
  projectedAt: Map<string, number>;
  /** When set, the projector is skipped (baseline run). */
  noop: boolean;
}

export const probeRecords = (probe: ProjectionProbe, records: DynamoDBRecord[]) => {
  const at = performance.now();
  for (const r of records) {
    const id = r.dynamodb?.NewImage?.eventId?.S;
    if (id && !(r.dynamodb?.Keys?.streamId?.S ?? '$').startsWith('$')) probe.projectedAt.set(id, at);
  }
};

const measure = async (baseUrl: string, token: string, probe: ProjectionProbe, appends: number, ratePerSecond: number) => {
  const stories = await openBenchStories(baseUrl, token, 20, `lag-${probe.noop ? 'base' : 'proj'}-${Date.now() % 10000}`);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const acked = new Map<string, number>();
  const interval = 1000 / ratePerSecond;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < appends; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const storyId = stories[i % stories.length]!;
    inflight.push(
      fetch(`${baseUrl}/stories/${storyId}/events`, { method: 'POST', headers, body: JSON.stringify({ events: [commentary(storyId, i)] }) }).then(async (res) => {
        const body = (await res.json()) as { events?: { id: string }[] };
        const id = body.events?.[0]?.id;
        if (id) acked.set(id, performance.now());
      }),
    );
  }
  await Promise.all(inflight);
  const deadline = performance.now() + 30_000;
  while ([...acked.keys()].some((id) => !probe.projectedAt.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return [...acked].map(([id, at]) => Math.max(0, (probe.projectedAt.get(id) ?? Number.POSITIVE_INFINITY) - at));
};

export const benchLag = async ({ baseUrl, token, probe, pollIntervalMs, appends = 1000, rate = 50 }: { baseUrl: string; token: string; probe: ProjectionProbe; pollIntervalMs: number; appends?: number; rate?: number }): Promise<Figure[]> => {
  probe.noop = true;
  const baseline = await measure(baseUrl, token, probe, Math.round(appends / 2), rate);
  probe.noop = false;
  const lags = await measure(baseUrl, token, probe, appends, rate);
  const p50 = percentile(lags, 50);
  const p99 = percentile(lags, 99);
  const b50 = percentile(baseline, 50);
  const b99 = percentile(baseline, 99);
  return [
    { name: `projection lag p50 (${appends} appends at ${rate}/s, poll ${pollIntervalMs} ms)`, value: round(p50), unit: 'ms', baseline: round(b50), baselineName: 'stream delivery to a no-op handler, p50', ratio: round(p50 / b50, 2) },
    { name: `projection lag p99 (poll ${pollIntervalMs} ms)`, value: round(p99), unit: 'ms', baseline: round(b99), baselineName: 'stream delivery to a no-op handler, p99', ratio: round(p99 / b99, 2), target: '< 1000 ms', met: p99 < 1000 },
  ];
};
