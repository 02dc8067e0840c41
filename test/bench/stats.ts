/** Small statistics for the benchmarks. */
export const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
};

export const median = (values: number[]): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Milliseconds from an arbitrary origin; the harness's unit tests pass a fake one. */
export type Clock = () => number;
export const realClock: Clock = () => performance.now();

export interface LoopResult {
  /** per-operation latencies (ms) of the operations that succeeded */
  latencies: number[];
  errors: number;
  elapsedMs: number;
}

/** Runs `workers` loops of `work` until `durationMs` has passed; returns per-operation latencies (ms) and the elapsed time. */
export const closedLoop = async (workers: number, durationMs: number, work: (worker: number, i: number) => Promise<void>, clock: Clock = realClock): Promise<LoopResult> => {
  const latencies: number[] = [];
  let errors = 0;
  const started = clock();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; clock() < deadline; i++) {
        const t = clock();
        try {
          await work(worker, i);
          latencies.push(clock() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { latencies, errors, elapsedMs: clock() - started };
};

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  baselineName: string;
  /** value / baseline */
  ratio: number;
  /** min-max of the per-round figures (value, and the per-round ratio when rounds were paired) */
  spread?: string;
  target?: string;
  met?: boolean;
}
