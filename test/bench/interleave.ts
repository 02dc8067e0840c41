import { median, percentile, realClock, round, type Clock, type Figure, type LoopResult } from './stats';

/**
 * Interleaved rounds: a figure and its baseline run in turns (A, B, A, B...) in the same process on
 * the same machine, each round starting from a settled system (the stream drained, the projector
 * idle), so that a noisy neighbour or a backlog weighs on both alike. A ratio is the ratio of the
 * medians; its spread is the lowest and highest ratio of a pair of rounds run one after the other.
 */

export interface Workload {
  name: string;
  /** One round of this workload; `round` counts from 0 (-1: the warm-up round, not measured). */
  run(round: number): Promise<LoopResult>;
}

export interface Series {
  name: string;
  results: LoopResult[];
  /** operations per second of each round */
  rates: number[];
  p50s: number[];
  p99s: number[];
}

export const rateOf = (result: LoopResult): number => result.latencies.length / (result.elapsedMs / 1000);

/**
 * `warmUp`: each workload runs once first, not measured (a JVM or a cache that has not seen the work
 * yet would weigh on whichever workload met it first). `rotate`: round r starts with workload r (mod
 * their number), so that none always runs first or last in its round: on a machine that speeds up as
 * it warms, or slows down as a neighbour starts, a fixed order favours the same workload every round.
 */
export const interleave = async ({ workloads, rounds, settle, warmUp = false, rotate = false }: { workloads: Workload[]; rounds: number; settle: () => Promise<void>; warmUp?: boolean; rotate?: boolean }): Promise<Series[]> => {
  if (rounds < 1) throw new Error('at least one round');
  const series: Series[] = workloads.map((w) => ({ name: w.name, results: [], rates: [], p50s: [], p99s: [] }));
  if (warmUp) {
    for (const workload of workloads) {
      await settle();
      await workload.run(-1);
    }
  }
  for (let r = 0; r < rounds; r++) {
    const order = workloads.map((_, k) => (rotate ? (k + r) % workloads.length : k));
    for (const i of order) {
      const workload = workloads[i] as Workload;
      await settle();
      const result = await workload.run(r);
      const s = series[i] as Series;
      s.results.push(result);
      s.rates.push(rateOf(result));
      s.p50s.push(percentile(result.latencies, 50));
      s.p99s.push(percentile(result.latencies, 99));
    }
  }
  return series;
};

/** A workload of single operations, timed one at a time: `operations` prepares a round's (untimed). */
export interface Operations {
  name: string;
  operations(round: number): Promise<(() => Promise<void>)[]>;
}

/**
 * Rounds of single operations taken in turns: in each round the workloads' operations alternate one
 * at a time (the workload that goes first rotating from one turn to the next), so that operations of a
 * few milliseconds, which rounds of one workload at a time would time over seconds apart on a machine
 * whose load changes by the second, are timed side by side. A round's elapsed time is the sum of its
 * operations' latencies (its rate means nothing here; its p50 does). `warmUp`: one round first, not measured.
 */
export const alternate = async ({ workloads, rounds, warmUp = false, clock = realClock }: { workloads: Operations[]; rounds: number; warmUp?: boolean; clock?: Clock }): Promise<Series[]> => {
  if (rounds < 1) throw new Error('at least one round');
  const series: Series[] = workloads.map((w) => ({ name: w.name, results: [], rates: [], p50s: [], p99s: [] }));
  for (let r = warmUp ? -1 : 0; r < rounds; r++) {
    const operations: (() => Promise<void>)[][] = [];
    for (const workload of workloads) operations.push(await workload.operations(r));
    const latencies: number[][] = workloads.map(() => []);
    const turns = Math.max(...operations.map((o) => o.length));
    for (let turn = 0; turn < turns; turn++) {
      for (let k = 0; k < workloads.length; k++) {
        const i = (k + turn + Math.max(0, r)) % workloads.length;
        const operation = operations[i]![turn];
        if (!operation) continue;
        const t = clock();
        await operation();
        latencies[i]!.push(clock() - t);
      }
    }
    if (r < 0) continue;
    latencies.forEach((l, i) => {
      const s = series[i]!;
      const result = { latencies: l, errors: 0, elapsedMs: l.reduce((sum, v) => sum + v, 0) };
      s.results.push(result);
      s.rates.push(rateOf(result));
      s.p50s.push(percentile(l, 50));
      s.p99s.push(percentile(l, 99));
    });
  }
  return series;
};

export type Metric = 'rates' | 'p50s' | 'p99s';

export interface Comparison {
  value: number;
  baseline: number;
  ratio: number;
  ratios: number[];
  values: number[];
}

/** The medians of a metric over the rounds of two series, their ratio and the ratios round by round. */
export const compare = (a: Series, b: Series, metric: Metric): Comparison => {
  const ratios = a[metric].map((v, i) => v / (b[metric][i] as number));
  const value = median(a[metric]);
  const baseline = median(b[metric]);
  return { value, baseline, ratio: value / baseline, ratios, values: a[metric] };
};

const range = (values: number[], digits: number) => `${round(Math.min(...values), digits)}-${round(Math.max(...values), digits)}`;

/** A table row: the medians of `a` against `b`, with the spread over rounds and a target (on the ratio or the value). */
export const comparedFigure = (
  name: string,
  unit: string,
  a: Series,
  b: Series,
  metric: Metric,
  target?: { text: string; met: (c: Comparison) => boolean },
): Figure => {
  const c = compare(a, b, metric);
  return {
    name,
    value: round(c.value),
    unit,
    baseline: round(c.baseline),
    baselineName: `${b.name}${metric === 'rates' ? '' : ` ${metric.slice(0, 3)}`}`,
    ratio: round(c.ratio, 2),
    spread: `${range(c.values, 0)} ${unit}; ratio ${range(c.ratios, 2)} (${c.ratios.length} rounds)`,
    ...(target ? { target: target.text, met: target.met(c) } : {}),
  };
};
