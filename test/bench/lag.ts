import type { DynamoDBRecord } from 'aws-lambda';
import { openBenchStories, commentary } from './append';
import { comparedFigure, interleave, type Series } from './interleave';
import type { Figure, LoopResult } from './stats';

/**
 * Projection lag: from the API's 201 to the moment the projector has written the read models for
 * that event, at a steady rate over 20 stories. The baseline is the same path with the stream runner
 * delivering to a projector that does nothing (the stream's own delay at this poll). Rounds of the
 * two interleave, each from a drained stream.
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

/** One round: `appends` appends at `ratePerSecond`; the lag of each (latencies), the ones never projected within 30 s (errors). */
const measure = async (baseUrl: string, token: string, probe: ProjectionProbe, appends: number, ratePerSecond: number): Promise<LoopResult> => {
  const stories = await openBenchStories(baseUrl, token, 20, `lag-${probe.noop ? 'base' : 'proj'}-${Date.now() % 100000}`);
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
  const lags = [...acked].flatMap(([id, at]) => (probe.projectedAt.has(id) ? [Math.max(0, (probe.projectedAt.get(id) as number) - at)] : []));
  return { latencies: lags, errors: acked.size - lags.length, elapsedMs: performance.now() - started };
};

export const runLagRounds = async ({ baseUrl, token, probe, appends, rate, rounds, settle, onRound }: { baseUrl: string; token: string; probe: ProjectionProbe; appends: number; rate: number; rounds: number; settle: () => Promise<void>; onRound?: (projected: boolean, result: LoopResult) => void }) => {
  const round = (noop: boolean, count: number) => async () => {
    probe.noop = noop;
    const result = await measure(baseUrl, token, probe, count, rate);
    onRound?.(!noop, result);
    return result;
  };
  const [projected, baseline] = await interleave({
    rounds,
    settle,
    workloads: [
      { name: 'projector', run: round(false, appends) },
      { name: 'stream delivery to a no-op handler', run: round(true, Math.round(appends / 2)) },
    ],
  });
  probe.noop = false;
  return { projected: projected as Series, baseline: baseline as Series };
};

export const lagFigures = ({ projected, baseline }: { projected: Series; baseline: Series }, { appends, rate, pollIntervalMs }: { appends: number; rate: number; pollIntervalMs: number }): Figure[] => {
  const lost = projected.results.reduce((sum, r) => sum + r.errors, 0);
  return [
    comparedFigure(`projection lag p50 (${appends} appends/round at ${rate}/s over 20 stories, poll ${pollIntervalMs} ms)`, 'ms', projected, baseline, 'p50s'),
    comparedFigure(`projection lag p99 (poll ${pollIntervalMs} ms)`, 'ms', projected, baseline, 'p99s', { text: '<= 500 ms', met: ({ value }) => value <= 500 }),
    ...(lost ? [{ name: 'appends not projected within 30 s', value: lost, unit: 'events', baseline: 0, baselineName: '', ratio: 0, target: '0', met: false }] : []),
  ];
};
