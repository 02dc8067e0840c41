import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { usageLines } from '../../infra/local/cli-usage';

/** `npx storyline --help` as a user sees it: every command's summary starts in one column. */

/** The column where a line's summary starts: after the usage and a gap of two spaces or more. */
const summaryColumn = (line: string): number | undefined => {
  const continuation = /^ {3,}(?=\S)/.exec(line);
  if (continuation) return continuation[0].length;
  const gap = /^ {2}\S.*?\S( {2,})(?=\S)/.exec(line);
  return gap ? gap[0].length : undefined;
};

describe('the CLI usage', () => {
  const help = spawnSync(process.execPath, [resolve(__dirname, '../../bin/storyline.js'), '--help'], { encoding: 'utf8' });
  const commandBlock = help.stdout.split('\n\n')[1]?.split('\n') ?? [];

  it('lists every command, one per line (a long usage wraps its summary to the next line)', () => {
    expect(help.status).toBe(0);
    const commands = commandBlock.filter((line) => /^ {2}\S/.test(line)).map((line) => line.trim().split(' ')[0]);
    expect(commands).toEqual(['stories', 'log', 'append', 'digest', 'token', 'sign-in', 'rebuild']);
  });

  it('starts every summary in the same column', () => {
    const columns = commandBlock.filter((line) => !/^ {2}append /.test(line)).map((line) => [line, summaryColumn(line)] as const);
    for (const [line, column] of columns) expect({ line, column }).toEqual({ line, column: columns[0]?.[1] });
    expect(columns[0]?.[1]).toBeGreaterThan(10);
  });

  it('aligns whatever usages it is given', () => {
    const lines = usageLines([
      { usage: 'a', summary: 'one' },
      { usage: 'a-much-longer-usage <x>', summary: 'two' },
      { usage: `too-long ${'x'.repeat(60)}`, summary: 'three' },
    ]);
    expect(lines).toEqual(['  a                        one', '  a-much-longer-usage <x>  two', `  too-long ${'x'.repeat(60)}`, '                           three']);
  });
});
