import { userInfo } from 'node:os';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENV } from '../../contracts/env';
import type { EventStore } from '../../functions/adapters/event-store';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { rebuildReadModels, type RebuildProgress } from '../../functions/rebuild';
import { CliError } from './cli-error';
import { exportHandlerEnv, localConfig } from './config';
import { loadDigestHandler } from './handlers';
import { loadOrCreateKeyPair, writeToken } from './jwt';
import { issueSignInLink, SIGN_IN_LINK_SECONDS } from '../../functions/desk/session';
import { deskPath, digestPath, feedPath } from '../../functions/links';
import { loadOrCreateDeskSecret } from './subscription-secret';

/** The tables a command works on, locally or in AWS (cli.ts connects). */
export type Connect = () => Promise<{ tables: { events: string; readModels: string }; client: DynamoDBClient; store: EventStore }>;

/** Commands of the CLI beyond the event log (token, rebuild, digest). */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  run(context: { args: string[]; values: Record<string, string | boolean | undefined>; connect: Connect }): Promise<number>;
}

/** A one-line progress bar on stderr (plain lines when stderr is not a terminal). */
const progressBar = () => {
  let lastPhase = '';
  return ({ phase, done, total }: RebuildProgress) => {
    const width = 30;
    const ratio = total ? Math.min(1, done / total) : 1;
    const bar = `${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}`;
    const line = `${phase.padEnd(12)} [${bar}] ${done}/${total}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${phase === 'done' ? '\n' : ''}`);
    else if (phase !== lastPhase || phase === 'done') process.stderr.write(`${line}\n`);
    lastPhase = phase;
  };
};

export const cliCommands: CliCommand[] = [
  {
    name: 'digest',
    usage: 'digest --period daily|weekly --at <ISO instant>',
    summary: 'run one digest firing by hand, for the window that ends at --at',
    async run({ values, connect }) {
      if (values.aws) throw new CliError('digest runs in AWS on its schedule; to run one firing by hand, invoke the digest function (see "Digest dead letters" in docs/deploy.md).');
      const { client } = await connect();
      client.destroy();
      if (typeof values.period !== 'string' || typeof values.at !== 'string') {
        console.error('usage: npx storyline digest --period daily|weekly --at <ISO instant>');
        return 2;
      }
      const config = localConfig();
      exportHandlerEnv(config);
      process.env[ENV.logLevel] ??= 'WARN';
      const digest = await loadDigestHandler();
      // as the schedule's retry policy would: wait while the projector catches up
      const deadline = Date.now() + 30_000;
      let outcome: Awaited<ReturnType<typeof digest>>;
      for (;;) {
        try {
          outcome = await digest({ period: values.period, scheduledTime: values.at, ...(config.digestTimezone ? { timezone: config.digestTimezone } : {}) });
          break;
        } catch (error) {
          if (!(error instanceof Error && error.name === 'ProjectionBehindError') || Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      switch (outcome.status) {
        case 'published':
          console.log(`published ${outcome.digestId} (digest stream version ${outcome.version}): ${outcome.counts.developments} development${outcome.counts.developments === 1 ? '' : 's'} in ${outcome.counts.stories} stor${outcome.counts.stories === 1 ? 'y' : 'ies'}, ${outcome.counts.corrections} corrections, ${outcome.counts.retractions} retractions`);
          console.log(`  feed:   ${config.baseUrl}${feedPath({ kind: 'digest', period: values.period }, 'rss')}`);
          console.log(`  page:   ${config.baseUrl}${digestPath(values.period, outcome.digestId)}`);
          console.log(`  e-mail: ${config.outboxDir}/${outcome.digestId}.eml`);
          break;
        case 'already-published':
          console.log(`${outcome.digestId} was already published: nothing changed`);
          break;
        case 'empty':
          console.log(`nothing was reported between ${outcome.window.start} and ${outcome.window.end}: no digest published`);
          break;
      }
      return 0;
    },
  },
  {
    name: 'token',
    usage: 'token',
    summary: 'print a write token for the local HTTP API (valid 12 hours)',
    async run({ values }) {
      if (values.aws) throw new CliError('tokens for a deployed stack come from its JWT issuer (the jwtIssuer setting), not from here.');
      const keys = loadOrCreateKeyPair(localConfig().dataDir);
      console.log(await writeToken(keys, `local:${userInfo().username}`, Math.floor(Date.now() / 1000)));
      return 0;
    },
  },
  {
    name: 'sign-in',
    usage: 'sign-in',
    summary: `print a one-time link that signs you in to the desk (valid ${SIGN_IN_LINK_SECONDS / 60} minutes, once)`,
    async run({ values }) {
      if (values.aws) throw new CliError('in AWS, editors sign in to the desk through the Cognito user pool (see "The desk" in docs/deploy.md).');
      const config = localConfig();
      const key = new TextEncoder().encode(loadOrCreateDeskSecret(config.dataDir));
      const token = await issueSignInLink(key, `local:${userInfo().username}`, Math.floor(Date.now() / 1000));
      console.log(`${config.baseUrl}${deskPath('signInLink')}?token=${token}`);
      return 0;
    },
  },
  {
    name: 'rebuild',
    usage: 'rebuild',
    summary: 'replay the event table into fresh read models, then switch readers to them',
    async run({ connect }) {
      const { client, tables, store } = await connect();
      try {
        const readModels = createReadModelStore(client, tables.readModels);
        const started = Date.now();
        const result = await rebuildReadModels({ events: store, readModels, projector: createProjector(store, readModels) }, progressBar());
        const seconds = (Date.now() - started) / 1000;
        console.log(
          `rebuilt ${result.documents} read models from ${result.events} events in ${seconds.toFixed(1)} s (${Math.round(result.events / Math.max(seconds, 0.001))} events/s); ` +
            `readers switched from generation ${result.previousGeneration} to ${result.generation}` +
            (result.caughtUp ? `; ${result.caughtUp} events appended meanwhile were projected too` : '') +
            (result.dropped ? `; ${result.dropped} items of older generations deleted (generation ${result.previousGeneration} is kept)` : ''),
        );
        return 0;
      } finally {
        client.destroy();
      }
    },
  },
];
