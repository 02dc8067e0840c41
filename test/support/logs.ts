import { logger } from '../../functions/logger';

/**
 * Captures what the handlers log (the Powertools logger of functions/logger.ts) while a test runs,
 * instead of printing it: a test asserts on the lines that matter, and a green run stays quiet.
 *
 * The logger prints through a Console of its own (a private member in Powertools 2.x): swapped for
 * one that keeps the lines, and the level raised from SILENT (test/support/quiet-logs.ts) to INFO.
 */

export interface LogLine {
  level: string;
  message: string;
  [key: string]: unknown;
}

export interface CapturedLogs {
  lines: LogLine[];
  /** The lines whose message contains `text`. */
  withMessage(text: string): LogLine[];
  restore(): void;
}

type Printer = Record<'debug' | 'info' | 'warn' | 'error' | 'log' | 'trace', (...args: unknown[]) => void>;
const sink = logger as unknown as { console: Printer };

export const captureLogs = (): CapturedLogs => {
  const lines: LogLine[] = [];
  const keep = (text: unknown) => {
    try {
      lines.push(JSON.parse(String(text)) as LogLine);
    } catch {
      lines.push({ level: 'UNKNOWN', message: String(text) });
    }
  };
  const previous = { console: sink.console, level: logger.getLevelName() };
  sink.console = { debug: keep, info: keep, warn: keep, error: keep, log: keep, trace: keep };
  logger.setLogLevel('INFO');
  return {
    lines,
    withMessage: (text) => lines.filter((line) => line.message.includes(text)),
    restore() {
      sink.console = previous.console;
      logger.setLogLevel(previous.level);
    },
  };
};
