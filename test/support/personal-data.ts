import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { logger } from '../../functions/logger';
import type { RunningStoryline } from './runtime';
import { scanItems } from './suite-tables';

/** Where an address could be left behind on the local runtime: every table, and the functions' logs. */

/** Every item of every table of the running runtime, as lowercase text (a scan: for tests only). */
export const everyTableAsText = async (app: RunningStoryline): Promise<string> => {
  const client = createDynamoClient({ endpoint: app.runtime.config.dynamodbEndpoint });
  let dump = '';
  for (const table of Object.values(app.runtime.config.tables)) dump += JSON.stringify(await scanItems({ client }, table));
  client.destroy();
  return dump.toLowerCase();
};

/**
 * Keeps the functions' structured logs (as CloudWatch would keep them) in `into`, from INFO up; the
 * expected lines are not printed, so a green run stays quiet. Undone by jest.restoreAllMocks().
 */
export const keepProcessLogs = (into: string[]): void => {
  logger.setLogLevel('INFO');
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(String(chunk));
      return /"level":"(INFO|WARN|ERROR)"/.test(String(chunk)) ? true : write(chunk, ...(rest as []));
    });
  }
};
