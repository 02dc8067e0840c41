import { userInfo } from 'node:os';
import type { Connect } from './cli';
import { localConfig } from './config';
import { loadOrCreateKeyPair, writeToken } from './jwt';

/** Commands of the CLI beyond the event log (token, rebuild, digest). */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  run(context: { args: string[]; values: Record<string, string | boolean | undefined>; connect: Connect }): Promise<number>;
}

export const cliCommands: CliCommand[] = [
  {
    name: 'token',
    usage: 'token',
    summary: 'print a write token for the local HTTP API (valid 12 hours)',
    async run() {
      const keys = loadOrCreateKeyPair(localConfig().dataDir);
      console.log(writeToken(keys, `local:${userInfo().username}`, Math.floor(Date.now() / 1000)));
      return 0;
    },
  },
];
