/**
 * The `storyline` command: talks to the running local store (started by `npm start`), or with
 * `--aws` to the tables of a deployed stack. Each command exits non-zero with a one-line reason on failure.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { createEventStore } from '../../functions/adapters/event-store';
import { ENV } from '../../contracts/env';
import { isUnreadable } from '../../events/catalog/unreadable';
import { createStoryService, type ProposedEvent } from '../../functions/story-service';
import { storyIdOf, storyStreamId } from '../../events/streams';
import { ConflictError, DuplicateError, RuleViolationError, ValidationError } from '../../events/errors';
import { localConfig } from './config';
import { cliCommands, type Connect } from './cli-commands';
import { CliError } from './cli-error';
import { usageLines, type UsageEntry } from './cli-usage';

const logCommands: UsageEntry[] = [
  { usage: 'stories', summary: 'list the stories with their versions' },
  { usage: 'log <storyId> [--json]', summary: "print a story's events" },
  { usage: 'append <storyId> --file <events.json> [--expected-version N]', summary: 'append events (a JSON array of {id?, type, data, reportedAt?})' },
];

const usage = `usage: npx storyline <command>

${usageLines([...logCommands, ...cliCommands]).join('\n')}

  --aws with stories, log, append or rebuild works on the tables of a deployed stack instead:
  their names in EVENTS_TABLE and READ_MODELS_TABLE (the stack's outputs EventsTableName and
  ReadModelsTableName), AWS credentials and AWS_REGION as the AWS CLI finds them.`;


/** Where the commands work: the local runtime's DynamoDB Local, or (--aws) a deployed stack's tables. */
let target: 'local' | 'aws' = 'local';

const connectLocal = async () => {
  const config = localConfig();
  const client = createDynamoClient({ endpoint: config.dynamodbEndpoint, maxAttempts: 1 });
  try {
    const tables = await client.send(new ListTablesCommand({}));
    if (!tables.TableNames?.includes(config.tables.events)) throw new CliError('no Storyline tables there');
  } catch (error) {
    client.destroy();
    throw new CliError(`Storyline is not running at ${config.dynamodbEndpoint} (${error instanceof Error ? error.message : String(error)}): start it with \`npm start\` in the project folder.`);
  }
  return { tables: config.tables, client, store: createEventStore(client, config.tables.events) };
};

const connectAws = async () => {
  const events = process.env[ENV.eventsTable];
  const readModels = process.env[ENV.readModelsTable];
  if (!events || !readModels) {
    throw new CliError(`--aws needs ${ENV.eventsTable} and ${ENV.readModelsTable}: the stack's outputs EventsTableName and ReadModelsTableName (see docs/deploy.md).`);
  }
  // the SDK's own endpoint, credentials and region resolution (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_DYNAMODB...)
  const client = createDynamoClient({ maxAttempts: 10 });
  try {
    await client.send(new DescribeTableCommand({ TableName: events }));
  } catch (error) {
    client.destroy();
    throw new CliError(`cannot reach the events table ${events} in AWS (${error instanceof Error ? error.message : String(error)}): check the AWS credentials, AWS_REGION and ${ENV.eventsTable}.`);
  }
  return { tables: { events, readModels }, client, store: createEventStore(client, events) };
};

const connect: Connect = () => (target === 'aws' ? connectAws() : connectLocal());

const describeFailure = (error: unknown): string => {
  if (error instanceof ConflictError) return `conflict: ${error.message}${error.currentVersion === undefined ? '' : ` (current version ${error.currentVersion})`}`;
  if (error instanceof ValidationError) return `invalid: ${error.message}`;
  if (error instanceof RuleViolationError) return `rule ${error.rule} broken: ${error.message}`;
  if (error instanceof DuplicateError) return `duplicate: ${error.message}`;
  if (error instanceof CliError) return error.message;
  return error instanceof Error ? error.message : String(error);
};

const run = async (argv: string[]): Promise<number> => {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      file: { type: 'string' },
      'expected-version': { type: 'string' },
      period: { type: 'string' },
      at: { type: 'string' },
      aws: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  target = values.aws ? 'aws' : 'local';
  const [command, ...args] = positionals;
  if (!command || values.help) {
    console.log(usage);
    return command || values.help ? 0 : 2;
  }
  const extra = cliCommands.find((c) => c.name === command);
  if (extra) return extra.run({ args, values, connect });

  switch (command) {
    case 'stories': {
      const { store, client } = await connect();
      const streams = await store.listStreams('story');
      client.destroy();
      if (!streams.length) console.log('no stories yet');
      for (const s of streams.sort((a, b) => a.streamId.localeCompare(b.streamId))) console.log(`${storyIdOf(s.streamId)}\tversion ${s.version}`);
      return 0;
    }
    case 'log': {
      const storyId = args[0];
      if (!storyId) throw new CliError('usage: npx storyline log <storyId> [--json]');
      const { store, client } = await connect();
      const events = await store.readRecords(storyStreamId(storyId));
      client.destroy();
      if (!events.length) throw new CliError(`story ${storyId} has no events (see \`npx storyline stories\`)`);
      for (const e of events) {
        if (isUnreadable(e)) {
          // the log shows every event; one this version cannot read, as what can be said of it
          console.log(values.json ? JSON.stringify({ version: e.version, id: e.id, type: e.type, recordedAt: e.recordedAt, unreadable: e.reason }) : `${String(e.version).padStart(4)}  ${e.recordedAt}  ${e.type.padEnd(22)} (cannot be read: ${e.reason})`);
        } else if (values.json) {
          console.log(JSON.stringify({ version: e.version, id: e.id, type: e.type, recordedAt: e.recordedAt, reportedAt: e.reportedAt, data: e.data, metadata: e.metadata }));
        } else {
          const headline = 'headline' in e.data ? e.data.headline : 'title' in e.data ? e.data.title : 'name' in e.data ? e.data.name : '';
          console.log(`${String(e.version).padStart(4)}  ${e.recordedAt}  ${e.type.padEnd(22)} ${headline}`);
        }
      }
      return 0;
    }
    case 'append': {
      const storyId = args[0];
      if (!storyId || !values.file) throw new CliError('usage: npx storyline append <storyId> --file <events.json> [--expected-version N]');
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(values.file, 'utf8'));
      } catch (error) {
        throw new CliError(`cannot read ${values.file} as JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      const events = Array.isArray(parsed) ? parsed : (parsed as { events?: unknown }).events;
      if (!Array.isArray(events)) throw new CliError(`${values.file} must hold a JSON array of events, or { "events": [...] }`);
      const expected = values['expected-version'];
      if (expected !== undefined && !/^\d+$/.test(expected)) throw new CliError('--expected-version must be a whole number');
      const { store, client } = await connect();
      try {
        const result = await createStoryService(store).append({
          storyId,
          ...(expected !== undefined ? { expectedVersion: Number(expected) } : {}),
          // checked by the service, like events from the HTTP API
          events: events as ProposedEvent[],
          subject: `cli:${userInfo().username}`,
          correlationId: `cli-${Date.now()}`,
        });
        for (const e of result.events) console.log(`${String(e.version).padStart(4)}  ${e.id}  ${e.type}`);
        console.log(result.repeated ? `already appended: nothing written (story at version ${result.version})` : `appended: story ${storyId} at version ${result.version}`);
        return 0;
      } finally {
        client.destroy();
      }
    }
    default:
      console.error(`unknown command ${command}\n\n${usage}`);
      return 2;
  }
};

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`storyline: ${describeFailure(error)}`);
    process.exit(1);
  },
);

