import { createWriteCoalescer } from '../../functions/adapters/write-coalescer';

/** A write of item `key`; `tag` tells two writes of one item apart. */
interface Write {
  key: string;
  tag?: string;
}

/** A coalescer over a fake BatchWriteItem that records each request and answers when told to. */
const harness = ({ perRequest = 3, inFlight = 2, failing = new Set<string>() } = {}) => {
  const sent: Write[][] = [];
  const answers: (() => void)[] = [];
  let inFlightNow = 0;
  let mostInFlight = 0;
  const coalescer = createWriteCoalescer<Write>(
    (requests) =>
      new Promise<void>((resolve, reject) => {
        sent.push(requests);
        mostInFlight = Math.max(mostInFlight, ++inFlightNow);
        answers.push(() => {
          inFlightNow--;
          if (requests.some((r) => failing.has(r.key))) reject(new Error(`refused ${requests.map((r) => r.key).join(',')}`));
          else resolve();
        });
      }),
    (w) => w.key,
    { perRequest, inFlight },
  );
  /** Answers every request sent so far, then lets the coalescer send what waits. */
  const answerAll = async () => {
    for (const answer of answers.splice(0)) answer();
    await new Promise((r) => setImmediate(r));
  };
  return { coalescer, sent, answerAll, mostInFlight: () => mostInFlight };
};

const writes = (...keys: string[]): Write[] => keys.map((key) => ({ key }));
const outcome = (promise: Promise<void>): Promise<string> => promise.then(() => 'resolved', (e: Error) => `rejected: ${e.message}`);
/** How `promise` stands once what is ready has run. */
const settledState = async (promise: Promise<void>): Promise<string> => Promise.race([outcome(promise), new Promise<string>((r) => setImmediate(() => r('pending')))]);

describe('write coalescer', () => {
  it('sends the writes of callers in one turn together, full requests first', async () => {
    const { coalescer, sent, answerAll } = harness({ perRequest: 3, inFlight: 8 });
    const a = coalescer.write(writes('a1', 'a2'));
    const b = coalescer.write(writes('b1'));
    const c = coalescer.write(writes('c1', 'c2', 'c3'));
    await new Promise((r) => setImmediate(r));
    expect(sent.map((r) => r.map((w) => w.key))).toEqual([
      ['a1', 'a2', 'b1'],
      ['c1', 'c2', 'c3'],
    ]);
    await answerAll();
    await expect(Promise.all([a, b, c])).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('puts two writes of one item in different requests', async () => {
    const { coalescer, sent, answerAll } = harness({ perRequest: 25, inFlight: 8 });
    const a = coalescer.write([{ key: 'x', tag: 'put' }, { key: 'y' }]);
    const b = coalescer.write([{ key: 'x', tag: 'delete' }]);
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([[{ key: 'x', tag: 'put' }, { key: 'y' }], [{ key: 'x', tag: 'delete' }]]);
    for (const request of sent) expect(new Set(request.map((w) => w.key)).size).toBe(request.length);
    await answerAll();
    await Promise.all([a, b]);
  });

  it('settles a caller only when every request holding its writes has', async () => {
    const { coalescer, sent, answerAll } = harness({ perRequest: 2, inFlight: 1 });
    const a = coalescer.write(writes('a1', 'a2', 'a3'));
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(1);
    await answerAll();
    expect(await settledState(a)).toBe('pending');
    expect(sent).toHaveLength(2);
    await answerAll();
    expect(await settledState(a)).toBe('resolved');
  });

  it('keeps at most `inFlight` requests in flight, and sends the rest as they end', async () => {
    const { coalescer, sent, answerAll, mostInFlight } = harness({ perRequest: 1, inFlight: 2 });
    const all = coalescer.write(writes('1', '2', '3', '4', '5'));
    await new Promise((r) => setImmediate(r));
    expect(sent).toHaveLength(2);
    while (sent.length < 5) await answerAll();
    await answerAll();
    await all;
    expect(mostInFlight()).toBe(2);
  });

  it('fails every caller with a write in a failed request, and only those', async () => {
    const { coalescer, answerAll } = harness({ perRequest: 2, inFlight: 8, failing: new Set(['b1']) });
    const outcomes = Promise.all([writes('a1'), writes('b1'), writes('c1')].map((w) => outcome(coalescer.write(w))));
    await new Promise((r) => setImmediate(r));
    await answerAll();
    expect(await outcomes).toEqual(['rejected: refused a1,b1', 'rejected: refused a1,b1', 'resolved']);
  });

  it('sends nothing for no writes, and gathers anew in a later turn', async () => {
    const { coalescer, sent, answerAll } = harness({ perRequest: 25, inFlight: 8 });
    await coalescer.write([]);
    expect(sent).toHaveLength(0);
    const first = coalescer.write(writes('a'));
    await new Promise((r) => setImmediate(r));
    await answerAll();
    await first;
    const second = coalescer.write(writes('b'));
    await new Promise((r) => setImmediate(r));
    await answerAll();
    await second;
    expect(sent).toEqual([[{ key: 'a' }], [{ key: 'b' }]]);
  });
});
