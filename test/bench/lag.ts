import type { DynamoDBRecord } from 'aws-lambda';
import { openBenchStories, commentary } from './append';
import { comparedFigure, interleave, type Series } from './interleave';
import { percentile, round, type Figure, type LoopResult } from './stats';

/**
 * Projection lag: from the API's 201 to the moment the projector has written the read models for
 * that event, at a steady rate over 20 stories. The baseline is the same path with the stream runner
 * delivering to a projector that does nothing (the stream's own delay at this poll). Rounds of the
 * two interleave, each from a drained stream.
 */

export interface ProjectionProbe {
  /** event id -> when its batch finished projecting (performance.now()) */
  projectedAt: Map<string, number>;
  /** event id -> when its batch was handed to the projector: the stream's share of the lag, before the projector's own */
  deliveredAt?: Map<string, number>;
  /** When set, the projector is skipped (baseline run). */
  noop: boolean;
  /** When set, instead of the projector, only its DynamoDB requests are sent (projector-io.ts: the floor under the lag). */
  io?: boolean;
}

export const probeRecords = (probe: ProjectionProbe, records: DynamoDBRecord[], deliveredAt?: number) => {
  const at = performance.now();
  for (const r of records) {
    const id = r.dynamodb?.NewImage?.eventId?.S;
    if (!id || (r.dynamodb?.Keys?.streamId?.S ?? '$').startsWith('$')) continue;
    probe.projectedAt.set(id, at);
    if (deliveredAt !== undefined) (probe.deliveredAt ??= new Map()).set(id, deliveredAt);
  }
};

/** The load of a lag round: `appends` appends at `rate` a second over `stories` stories, from at most `writers` requests in flight (default: no bound). */
export interface LagLoad {
  appends: number;
  rate: number;
  stories?: number;
  writers?: number;
}

/** What a round measured: each append's lag (latencies, in the order they were sent), those never projected within 30 s (errors), and the rate the appends were acknowledged at. */
export interface LagRound extends LoopResult {
  appendsPerSecond: number;
  /** Of each append's lag, the part before its batch reached the projector (ms). */
  delivery: number[];
  /** Appends acknowledged but not yet projected when the last append was acknowledged. */
  backlog: number;
}

/** One round of a load; the stories are new ones. */
const measure = async (baseUrl: string, token: string, probe: ProjectionProbe, { appends, rate, stories: storyCount = 20, writers = Number.POSITIVE_INFINITY }: LagLoad): Promise<LagRound> => {
  const stories = await openBenchStories(baseUrl, token, storyCount, `lag-${probe.noop ? 'base' : 'proj'}-${Date.now() % 100000}`);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const acked = new Map<string, number>();
  const interval = 1000 / rate;
  const started = performance.now();
  const inflight = new Set<Promise<void>>();
  for (let i = 0; i < appends; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // a writer is free before the next append goes (so with `writers` bound, appends may fall behind the rate)
    while (inflight.size >= writers) await Promise.race(inflight);
    const storyId = stories[i % stories.length]!;
    const request: Promise<void> = fetch(`${baseUrl}/stories/${storyId}/events`, { method: 'POST', headers, body: JSON.stringify({ events: [commentary(storyId, i)] }) })
      .then(async (res) => {
        const body = (await res.json()) as { events?: { id: string }[] };
        const id = body.events?.[0]?.id;
        if (id) acked.set(id, performance.now());
      })
      .finally(() => inflight.delete(request));
    inflight.add(request);
  }
  await Promise.all(inflight);
  const sentFor = performance.now() - started;
  const backlog = [...acked.keys()].filter((id) => !probe.projectedAt.has(id)).length;
  const deadline = performance.now() + 30_000;
  while ([...acked.keys()].some((id) => !probe.projectedAt.has(id)) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const lags = [...acked].flatMap(([id, at]) => (probe.projectedAt.has(id) ? [Math.max(0, (probe.projectedAt.get(id) as number) - at)] : []));
  const delivery = [...acked].flatMap(([id, at]) => (probe.deliveredAt?.has(id) ? [Math.max(0, (probe.deliveredAt.get(id) as number) - at)] : []));
  return { latencies: lags, errors: acked.size - lags.length, elapsedMs: performance.now() - started, appendsPerSecond: (acked.size * 1000) / sentFor, backlog, delivery };
};

export const runLagRounds = async ({ baseUrl, token, probe, load, rounds, settle, onRound }: { baseUrl: string; token: string; probe: ProjectionProbe; load: LagLoad; rounds: number; settle: () => Promise<void>; onRound?: (projected: boolean, result: LagRound) => void }) => {
  const round = (mode: 'projector' | 'noop' | 'io', count: number) => async () => {
    probe.noop = mode === 'noop';
    probe.io = mode === 'io';
    const result = await measure(baseUrl, token, probe, { ...load, appends: count });
    onRound?.(mode === 'projector', result);
    return result;
  };
  const [projected, baseline, io] = await interleave({
    rounds,
    settle,
    warmUp: true,
    rotate: true,
    workloads: [
      { name: 'projector', run: round('projector', load.appends) },
      { name: 'stream delivery to a no-op handler', run: round('noop', Math.round(load.appends / 2)) },
      { name: "the projector's DynamoDB requests alone", run: round('io', load.appends) },
    ],
  });
  probe.noop = false;
  probe.io = false;
  return { projected: projected as Series, baseline: baseline as Series, io: io as Series };
};

/**
 * The figures of a load's rounds: lag p50 and p99 against the no-op handler's, and, for a sustained
 * load, the rate the appends were acknowledged at and the backlog when they stopped (in seconds of
 * appends: a projection that keeps up leaves less than its lag).
 */
export const lagFigures = (
  { projected, baseline, io }: { projected: Series; baseline: Series; io: Series },
  { appends, rate, stories = 20, writers, pollIntervalMs }: LagLoad & { pollIntervalMs: number },
  { label = 'projection lag', p99TargetMs = 500, sustained = false }: { label?: string; p99TargetMs?: number; sustained?: boolean } = {},
): Figure[] => {
  const lost = projected.results.reduce((sum, r) => sum + r.errors, 0);
  const rounds = projected.results as LagRound[];
  const load = `${appends} appends/round at ${rate}/s${writers ? ` from ${writers} writers` : ''} over ${stories} stories, poll ${pollIntervalMs} ms`;
  const acknowledged = percentile(rounds.map((r) => r.appendsPerSecond), 50);
  const backlogOf = (of: LagRound[]) => percentile(of.map((r) => r.backlog / r.appendsPerSecond), 50);
  const backlogSeconds = backlogOf(rounds);
  const floorRounds = io.results as LagRound[];
  return [
    comparedFigure(`${label} p50 (${load})`, 'ms', projected, baseline, 'p50s'),
    comparedFigure(`${label} p99`, 'ms', projected, baseline, 'p99s', { text: `${sustained ? '<' : '<='} ${p99TargetMs} ms`, met: ({ value }) => (sustained ? value < p99TargetMs : value <= p99TargetMs) }),
    // the floor: the same stream delivery, and the DynamoDB requests of each batch without the projection (projector-io.ts)
    comparedFigure(`${label} p99, against the projector's DynamoDB requests alone`, 'ms', projected, io, 'p99s'),
    comparedFigure(`${label}: the projector's DynamoDB requests alone, p99 (the floor on this DynamoDB Local: above the target, it is out of reach here)`, 'ms', io, baseline, 'p99s'),
    {
      name: `${label}: of it, until the batch reached the projector (p50 / p99)`,
      value: round(percentile(rounds.map((r) => percentile(r.delivery, 50)), 50)),
      unit: 'ms',
      baseline: round(percentile(rounds.map((r) => percentile(r.delivery, 99)), 50)),
      baselineName: 'p99',
      ratio: Number.NaN,
      spread: `the rest is the projector's batch; p99 by round: ${rounds.map((r) => round(percentile(r.delivery, 99))).join(', ')} ms`,
    },
    ...(sustained
      ? [
          { name: `${label}: appends acknowledged`, value: round(acknowledged), unit: 'events/s', baseline: rate, baselineName: 'offered', ratio: round(acknowledged / rate, 2), spread: rounds.map((r) => round(r.appendsPerSecond)).join(', '), target: `${rate}/s`, met: acknowledged >= rate * 0.95 },
          { name: `${label}: backlog when the appends stopped`, value: round(backlogSeconds, 2), unit: 's of appends', baseline: 1, baselineName: 'a second of appends', ratio: round(backlogSeconds, 2), spread: rounds.map((r) => `${r.backlog} events`).join(', '), target: '< 1 s (keeps up)', met: backlogSeconds < 1 },
          // the floor's own backlog: the projector's requests alone, under the same load (above 1 s, the target is out of reach here)
          { name: `${label}: backlog when the appends stopped, against the projector's DynamoDB requests alone`, value: round(backlogSeconds, 2), unit: 's of appends', baseline: round(backlogOf(floorRounds), 2), baselineName: "the projector's DynamoDB requests alone", ratio: backlogOf(floorRounds) ? round(backlogSeconds / backlogOf(floorRounds), 2) : Number.NaN, spread: `the requests alone: ${floorRounds.map((r) => `${r.backlog} events`).join(', ')}` },
        ]
      : []),
    ...(lost ? [{ name: `${label}: appends not projected within 30 s`, value: lost, unit: 'events', baseline: 0, baselineName: '', ratio: 0, target: '0', met: false }] : []),
  ];
};
