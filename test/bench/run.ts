/**
 * `npm run bench`: every figure against a baseline measured in the same run on the same machine.
 * Starts its own local runtime (DynamoDB Local, stream runner, HTTP host) on free ports and a
 * temporary data folder; prints a table and writes test/bench/results.json.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { createReadModelStore } from '../../functions/adapters/read-model-store';
import { createDynamoClient } from '../../functions/adapters/dynamodb-client';
import { isBookkeepingKey } from '../../contracts/tables';
import { streamProcessing } from '../../infra/constructs/stream-processing';
import { localConfig } from '../../infra/local/config';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { freePort } from '../support/ports';
import { addClientMiddleware } from '../support/sdk-middleware';
import { loadOrCreateKeyPair, writeToken } from '../../infra/local/jwt';
import { startLocalRuntime } from '../../infra/local/runtime';
import { appendFigures, prepareRawTable, runAppendRounds } from './append';
import { benchAppendGrowth } from './append-growth';
import { benchColdStart } from './cold-start';
import { benchFeeds, seedSteadyFeed } from './feeds';
import { projectorIo } from './projector-io';
import { benchHeap } from './heap';
import { lagFigures, probeRecords, runLagRounds, type ProjectionProbe } from './lag';
import { benchRebuild } from './rebuild';
import { benchProjectionWrites } from './projection-writes';
import { costFigures, requestFigures } from './cost';
import { difference, perOperation, createRequestCounter, type Tally } from './request-counter';
import { median, type Figure } from './stats';

const QUICK = process.argv.includes('--quick');
/** `--only <name>`: run the steps whose name contains it (e.g. `--only lag`), to look at one figure; the full table needs every step. */
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const POLL_MS = 250;
/** Rounds of each figure and of its baseline, interleaved. */
const ROUNDS = 3;
/** Rounds of the projection lag at 50/s, whose rounds are short. */
const LAG_ROUNDS = 5;

/** Runs a step on an in-memory DynamoDB Local of its own, stopped after. */
const onMemoryDynamoDb = async <T>(run: (client: DynamoDBClient) => Promise<T>): Promise<T> => {
  const memory = await startDynamoDbLocal({ port: await freePort() });
  const client = createDynamoClient({ endpoint: memory.endpoint });
  try {
    return await run(client);
  } finally {
    client.destroy();
    await memory.stop();
  }
};

const table = (figures: Figure[]): string => {
  const rows = figures.map((f) => [f.name, `${f.value} ${f.unit}`, f.baselineName ? `${f.baseline} (${f.baselineName})` : '', f.baselineName && Number.isFinite(f.ratio) ? String(f.ratio) : '', f.spread ?? '', f.target ? `${f.target}: ${f.met ? 'met' : 'MISSED'}` : '']);
  const header = ['figure', 'median', 'baseline (median)', 'ratio', 'spread over rounds (min-max)', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
};

const main = async () => {
  // DynamoDB Local keeps its data in SQLite files: on a memory file system where there is one, so that
  // the figures measure Storyline and DynamoDB Local's engine rather than this machine's disk
  const dataDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'storyline-bench-'));
  process.env.STORYLINE_DATA_DIR = dataDir;
  process.env.DYNAMODB_PORT = String(await freePort());
  process.env.PORT = String(await freePort());
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const config = localConfig();
  const probe: ProjectionProbe = { projectedAt: new Map(), noop: false };
  // every DynamoDB client that first sends from here on counts its requests: the handlers' ones under 'api', the projector's under 'projector'
  const counter = createRequestCounter('api');
  addClientMiddleware(counter.hook);
  const projector = { events: 0, invocations: 0, ms: 0 };
  /** The projector's DynamoDB requests without the projector (projector-io.ts), for the lag's floor; set once the runtime is up. */
  let projectorRequests: ((records: DynamoDBRecord[]) => Promise<void>) | undefined;
  // projector batches running at once: the local runner's lanes (ParallelizationFactor) in effect
  const lanes = { now: 0, most: 0 };
  /** While set, the batches the projector is handed wait for it (the append step's rounds with the projector held) */
  let held: Promise<void> | undefined;
  /** While the returned restore is not called, the batches go to the projector's requests alone (projector-io.ts), as in the lag's floor rounds */
  const projectorRequestsOnly = () => {
    probe.io = true;
    return () => {
      probe.io = false;
    };
  };
  const holdProjector = () => {
    let release = () => undefined as void;
    held = new Promise<void>((resolve) => (release = resolve));
    return () => {
      held = undefined;
      release();
    };
  };
  const runtime = await startLocalRuntime({
    config,
    log: () => undefined,
    requestLog: false,
    pollIntervalMs: POLL_MS,
    wrapProjector: (handler) => async (event) => {
      if (held) await held;
      if (probe.noop) {
        probeRecords(probe, event.Records);
        return { batchItemFailures: [] };
      }
      const started = performance.now();
      if (probe.io && projectorRequests) {
        await projectorRequests(event.Records);
        probeRecords(probe, event.Records, started);
        return { batchItemFailures: [] };
      }
      lanes.most = Math.max(lanes.most, ++lanes.now);
      const result = await counter.run('projector', () => handler(event)).finally(() => lanes.now--);
      projector.ms += performance.now() - started;
      projector.invocations++;
      projector.events += event.Records.filter((r) => !isBookkeepingKey(r.dynamodb?.Keys?.streamId?.S ?? '$')).length;
      probeRecords(probe, event.Records, started);
      return result;
    },
  });
  const figures: Figure[] = [];
  const failed: string[] = [];
  const step = async (name: string, run: () => Promise<Figure[]> | Figure[]) => {
    if (ONLY !== undefined && !name.includes(ONLY)) return;
    process.stderr.write(`bench: ${name}...\n`);
    try {
      const done = await run();
      figures.push(...done);
      // each step's rows as soon as it ends: a long run shows its progress
      process.stderr.write(`${table(done)}\n`);
    } catch (error) {
      // the other figures are still worth printing: the table says which step failed, and the run exits 1
      failed.push(name);
      process.stderr.write(`bench: ${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      figures.push({ name: `${name}: FAILED (see the log)`, value: Number.NaN, unit: '', baseline: Number.NaN, baselineName: '', ratio: Number.NaN });
    }
  };
  try {
    const token = await writeToken(loadOrCreateKeyPair(dataDir), 'bench', Math.floor(Date.now() / 1000));
    const dynamo = createDynamoClient({ endpoint: config.dynamodbEndpoint });
    // the floor writes as many items per event as the projector did so far in this run (write units, less a head per batch)
    const itemsPerEvent = () => {
      const { writeUnits, requests } = counter.tally('projector');
      return projector.events > 0 ? Math.max(1, (writeUnits - (requests.PutItemCommand ?? 0)) / projector.events) : 8;
    };
    projectorRequests = projectorIo({ dynamo, tableName: config.tables.readModels, generation: await createReadModelStore(dynamo, config.tables.readModels).generation(), itemsPerEvent });
    // the raw transactions' ceiling, on an empty table before any other load (the append step judges its baseline by it)
    const raw = ONLY === undefined || 'append throughput'.includes(ONLY) ? await prepareRawTable(dynamo, QUICK ? 1500 : 5000) : undefined;
    // every round starts from a settled system: the stream read to its end and the projector idle
    const settle = async () => {
      await runtime.runner.drained();
      await runtime.runner.drained();
    };
    const lag = { appends: QUICK ? 100 : 400, rate: 50, stories: 20, pollIntervalMs: POLL_MS };
    // the sustained load: 150 appends/s from 16 writers over 25 stories for a minute (20 s with --quick)
    const sustained = { appends: 150 * (QUICK ? 20 : 60), rate: 150, stories: 25, writers: 16, pollIntervalMs: POLL_MS };
    // the projector's requests, time and invocations per projected event, over the rounds that project
    const projectedUse = { tally: counter.tally('projector'), ...projector };
    // a lag round is 2 s (quick) to 8 s: five of them, as a p99 of 100 appends moves with one slow batch
    await step('projection lag', async () => lagFigures(await runLagRounds({ baseUrl: config.baseUrl, token, probe, rounds: LAG_ROUNDS, settle, load: lag }), lag));
    await settle();
    const projectedEvents = projector.events - projectedUse.events;
    const perProjected: Tally = perOperation(difference(counter.tally('projector'), projectedUse.tally), projectedEvents);
    if (projectedEvents > 0) figures.push(...requestFigures('projected event', perProjected));
    await step('sustained load', async () => {
      lanes.most = 0;
      const figures = lagFigures(await runLagRounds({ baseUrl: config.baseUrl, token, probe, rounds: ROUNDS, settle, load: sustained }), sustained, { label: 'sustained load: projection lag', p99TargetMs: 1000, sustained: true });
      const factor = streamProcessing.parallelizationFactor;
      return [...figures, { name: 'sustained load: projector batches in flight at once (most)', value: lanes.most, unit: 'batches', baseline: factor, baselineName: 'ParallelizationFactor of the stream mapping', ratio: lanes.most / factor, target: `= ${factor} (the local runner's lanes in effect)`, met: lanes.most === factor }];
    });
    await settle();
    let appendMs = Number.NaN;
    let perAppend: Tally = { requests: {}, readUnits: 0, writeUnits: 0 };
    await step('append throughput', async () => {
      if (!raw) throw new Error('no raw table');
      const rounds = await runAppendRounds({ baseUrl: config.baseUrl, token, dynamo, raw, durationMs: QUICK ? 1500 : 5000, rounds: ROUNDS, settle, counter, holdProjector, projectorRequestsOnly });
      appendMs = median(rounds.http.p50s);
      perAppend = rounds.perAppend;
      return [...appendFigures(rounds), ...requestFigures('append (HTTP, one event)', rounds.perAppend, { name: 'raw 2-item transaction', tally: rounds.perTransaction })];
    });
    if (projectedEvents > 0 && Number.isFinite(appendMs)) figures.push(
      ...costFigures({
        append: perAppend,
        projected: perProjected,
        appendMs,
        projectorMsPerEvent: (projector.ms - projectedUse.ms) / projectedEvents,
        projectorInvocationsPerEvent: (projector.invocations - projectedUse.invocations) / projectedEvents,
      }),
    );
    // let the projector finish the appends above, so that the feed holds still while it is read
    await settle();
    // a story feed of a full page whose dates hold still (see seedSteadyFeed)
    await step('feed reads', async () => benchFeeds({ feedUrl: await seedSteadyFeed(config.baseUrl, token, settle), durationSeconds: QUICK ? 6 : 10 }));
    await step('story page reads', () =>
      benchFeeds({ feedUrl: `${config.baseUrl}/stories/russia-pakistan-2012`, label: 'story page reads', durationSeconds: QUICK ? 6 : 10, targets: { ok: 0.6, notModified: 0.8 } }),
    );
    await step('heap', () => benchHeap({ baseUrl: config.baseUrl, requests: QUICK ? 2000 : 10_000 }));
    await step('cold start', () => benchColdStart());
    dynamo.destroy();
    // what a batch costs in requests and units, as the projector meets it: on an in-memory DynamoDB Local of its own
    await step('projection writes', () => onMemoryDynamoDb((client) => benchProjectionWrites({ dynamo: client, rounds: ROUNDS, counter })));
    // 40,000 writes to set up: on an in-memory DynamoDB Local of its own (the same engine), not the
    // runtime's file-backed one, so that setting up takes seconds rather than minutes
    // twice the rounds: over 3 rounds of 1.5 s the ratio at 20,000 events came out anywhere from 0.64 to 1.3 from one run to the next on the shared machine
    await step('append as a story grows', () => onMemoryDynamoDb((client) => benchAppendGrowth({ dynamo: client, rounds: 2 * ROUNDS, durationMs: QUICK ? 1500 : 4000 })));
    await step('rebuild', () => onMemoryDynamoDb((client) => benchRebuild({ dynamo: client, events: QUICK ? 4000 : 20_000, rounds: ROUNDS, counter, target: QUICK ? 2500 : 5000 })));
  } finally {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() };
  const concurrently = [
    'Ran concurrently: append rounds (HTTP) with the stream runner and projector projecting what they append, in this process (and, in the rounds marked "projector held", with the batches it is handed',
    'waiting for the round to end, then caught up before the next round); raw PutItem / TransactWriteItems rounds write a table of their own with the same settings',
    '(no runner polls it); lag rounds with the HTTP host taking the paced appends. Every round starts with the stream drained and the projector idle; rounds of a figure and its baseline alternate.',
  ].join('\n');
  const output = `${table(figures)}\n\n${concurrently}\n\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; ${machine.date}${QUICK ? ' (--quick)' : ''}`;
  console.log(output);
  // the results file holds a whole table: a run of some steps (--only) leaves it as it is
  const results = join('test', 'bench', QUICK ? 'results.quick.json' : 'results.json');
  if (ONLY === undefined) writeFileSync(results, `${JSON.stringify({ machine, quick: QUICK, figures, failed }, null, 2)}\n`);
  else console.log(`(--only ${ONLY}: ${results} is left as it is)`);
  if (failed.length) process.exitCode = 1;
};

main().catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exit(1);
});
