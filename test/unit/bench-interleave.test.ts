import { closedLoop, type Clock } from '../bench/stats';
import { alternate, compare, comparedFigure, interleave, type Workload } from '../bench/interleave';

/** The benchmark harness on a fake clock: workloads of known cost give known rates and ratios. */

const fakeClock = () => {
  let now = 0;
  const clock: Clock = () => now;
  const spend = async (ms: number) => {
    now += ms;
    await Promise.resolve();
  };
  return { clock, spend };
};

/** Workloads of known cost on a fake clock that log each round they run (`A0`: A's round 0). */
const loggedWorkloads = () => {
  const { clock, spend } = fakeClock();
  const log: string[] = [];
  const workload = (name: string, costMs: number): Workload => ({
    name,
    run: (r) => {
      log.push(`${name}${r}`);
      return closedLoop(1, 1000, () => spend(costMs), clock);
    },
  });
  return { log, workload };
};

describe('the interleaving harness', () => {
  it('gives the known ratio for two workloads of known cost, and runs them in turns from a settled system', async () => {
    const { log, workload } = loggedWorkloads();
    const [a, b] = await interleave({
      workloads: [workload('A', 2), workload('B', 5)],
      rounds: 3,
      settle: () => {
        log.push('settle');
        return Promise.resolve();
      },
    });
    expect(log).toEqual(['settle', 'A0', 'settle', 'B0', 'settle', 'A1', 'settle', 'B1', 'settle', 'A2', 'settle', 'B2']);
    expect(a!.rates).toEqual([500, 500, 500]);
    expect(b!.rates).toEqual([200, 200, 200]);
    const rates = compare(a!, b!, 'rates');
    expect(rates.ratio).toBe(2.5);
    expect(compare(a!, b!, 'p99s').ratio).toBe(0.4);
  });

  it('takes single operations of the workloads in turns, the first of each turn rotating, after an unmeasured round', async () => {
    const { clock, spend } = fakeClock();
    const log: string[] = [];
    const operations = (name: string, costMs: number, count: number) => ({
      name,
      operations: (r: number) =>
        Promise.resolve(
          Array.from({ length: count }, (_, i) => async () => {
            log.push(`${name}${r}.${i}`);
            await spend(costMs);
          }),
        ),
    });
    const [a, b] = await alternate({ workloads: [operations('A', 2, 2), operations('B', 6, 3)], rounds: 2, warmUp: true, clock });
    expect(log).toEqual(['A-1.0', 'B-1.0', 'B-1.1', 'A-1.1', 'B-1.2', 'A0.0', 'B0.0', 'B0.1', 'A0.1', 'B0.2', 'B1.0', 'A1.0', 'A1.1', 'B1.1', 'B1.2']);
    expect(a!.p50s).toEqual([2, 2]);
    expect(b!.p50s).toEqual([6, 6]);
    expect(compare(b!, a!, 'p50s').ratio).toBe(3);
  });

  it('warms each workload up once, unmeasured, and rotates the order of the rounds when asked', async () => {
    const { log, workload } = loggedWorkloads();
    const [a, b, c] = await interleave({ workloads: [workload('A', 2), workload('B', 5), workload('C', 10)], rounds: 3, settle: () => Promise.resolve(), warmUp: true, rotate: true });
    expect(log).toEqual(['A-1', 'B-1', 'C-1', 'A0', 'B0', 'C0', 'B1', 'C1', 'A1', 'C2', 'A2', 'B2']);
    expect([a!.rates, b!.rates, c!.rates]).toEqual([
      [500, 500, 500],
      [200, 200, 200],
      [100, 100, 100],
    ]);
  });

  it('takes the median over rounds, so that one disturbed round moves the figure but not the ratio, and shows it in the spread', async () => {
    const { clock, spend } = fakeClock();
    // in round 1 the machine is busy for both: every operation costs twice as much
    const workload = (name: string, costMs: number): Workload => ({ name, run: (r) => closedLoop(1, 1000, () => spend(r === 1 ? costMs * 2 : costMs), clock) });
    const [a, b] = await interleave({ workloads: [workload('ours', 4), workload('limit', 1)], rounds: 3, settle: () => Promise.resolve() });
    const figure = comparedFigure('throughput', 'ops/s', a!, b!, 'rates', { text: '>= 0.5', met: ({ ratio }) => ratio >= 0.5 });
    expect(figure).toMatchObject({ value: 250, baseline: 1000, ratio: 0.25, target: '>= 0.5', met: false });
    expect(figure.spread).toBe('125-250 ops/s; ratio 0.25-0.25 (3 rounds)');
  });

  it('counts failed operations apart from the rate', async () => {
    const { clock, spend } = fakeClock();
    const result = await closedLoop(1, 100, async (_worker, i) => {
      await spend(10);
      if (i % 2) throw new Error('refused');
    }, clock);
    expect(result).toEqual({ latencies: [10, 10, 10, 10, 10], errors: 5, elapsedMs: 100 });
  });
});
