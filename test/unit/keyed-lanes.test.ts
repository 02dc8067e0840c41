import { createKeyedLanes } from '../../functions/keyed-lanes';

/** A work the test ends when it chooses, recording when it starts. */
const gate = (log: string[], name: string) => {
  let open: (value: string) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const ended = new Promise<string>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return {
    work: () => {
      log.push(`start ${name}`);
      return ended;
    },
    open: () => open(name),
    fail: () => fail(new Error(name)),
  };
};
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('keyed lanes', () => {
  it('run the work of one key one at a time, in the order it arrived', async () => {
    const lanes = createKeyedLanes();
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gate(log, name));
    const results = [a!, b!, c!].map((g) => lanes.run('story/x', g.work));
    await settle();
    expect(log).toEqual(['start a']);
    c!.open();
    b!.open();
    await settle();
    expect(log).toEqual(['start a']);
    a!.open();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'start b', 'start c']);
  });

  it('run the work of other keys alongside', async () => {
    const lanes = createKeyedLanes();
    const log: string[] = [];
    const [a, b] = ['a', 'b'].map((name) => gate(log, name));
    const first = lanes.run('story/x', a!.work);
    const second = lanes.run('story/y', b!.work);
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    expect(lanes.size).toBe(2);
    b!.open();
    a!.open();
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
  });

  it('go on after a work that fails, which fails its own caller only', async () => {
    const lanes = createKeyedLanes();
    const log: string[] = [];
    const [a, b] = ['a', 'b'].map((name) => gate(log, name));
    const first = lanes.run('story/x', a!.work);
    const second = lanes.run('story/x', b!.work);
    a!.fail();
    await expect(first).rejects.toThrow('a');
    b!.open();
    await expect(second).resolves.toBe('b');
  });

  it('hold nothing once a key has no work left', async () => {
    const lanes = createKeyedLanes();
    await Promise.all([lanes.run('story/x', () => Promise.resolve(1)), lanes.run('story/x', () => Promise.resolve(2)), lanes.run('story/y', () => Promise.resolve(3))]);
    await settle();
    expect(lanes.size).toBe(0);
  });
});
