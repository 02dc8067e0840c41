/**
 * The CLI's usage text: one line per command, every summary starting in the same column. A command
 * whose usage is too long to share its line puts its summary on the next line, in that column.
 */

export interface UsageEntry {
  usage: string;
  summary: string;
}

/** Usages longer than this take two lines, so that the summaries do not start far to the right. */
const MAX_INLINE_USAGE = 50;

export const usageLines = (entries: readonly UsageEntry[]): string[] => {
  const inline = entries.map((e) => e.usage.length).filter((length) => length <= MAX_INLINE_USAGE);
  const column = 2 + Math.max(0, ...inline) + 2;
  return entries.flatMap(({ usage, summary }) =>
    usage.length <= MAX_INLINE_USAGE ? [`  ${usage}`.padEnd(column) + summary] : [`  ${usage}`, ' '.repeat(column) + summary],
  );
};
