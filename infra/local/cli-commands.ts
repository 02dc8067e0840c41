import type { Connect } from './cli';

/** Commands added to the CLI by later parts (token, rebuild, digest). */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  run(context: { args: string[]; values: Record<string, string | boolean | undefined>; connect: Connect }): Promise<number>;
}

export const cliCommands: CliCommand[] = [];
