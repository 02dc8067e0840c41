import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { CreateTableCommand, DeleteTableCommand, PutItemCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../infra/table-schema';
import { eventsTable } from '../../contracts/tables';
import { storyStreamId } from '../../events/streams';
import { toEventItem } from '../../functions/adapters/event-items';
import { idRecordPut, insertOnly } from '../../functions/adapters/event-id-records';
import { comparedFigure, interleave, rateOf, type Series } from './interleave';
import { closedLoop, median, percentile, round, type Figure, type LoopResult } from './stats';
import { difference, perOperation, type RequestCounter, type Tally } from './request-counter';

/**
 * Appends through the HTTP API (16 writers over 100 stories) against what DynamoDB Local can do with
 * the same writers: a conditional PutItem of the same event item, and the least an append must write,
 * a TransactWriteItems of that item and its id record. Rounds interleave; every round starts with the
 * stream drained and the projector idle.
 *
 * The HTTP appends run twice per round: with the projector live (the stream runner hands it each
 * append as it comes, and it projects in this process, on the event loop that serves the API), and
 * with the projector held (the batches it is handed wait for the round to end, then catch up before
 * the next round). In AWS the projector runs in a Lambda sandbox of its own; the difference between
 * the two is what sharing one process with it costs the API here.
 */

export const WRITERS = 16;

export const commentary = (storyId: string, n: number | string) => ({
  type: 'CommentaryPublished',
  data: {
    outlet: 'bench-outlet',
    quote: `Benchmark quote ${n} for ${storyId}.`,
    headline: `Benchmark development ${n} of ${storyId}`,
    summary: `A development appended by the benchmark (${n}).`,
    occurred: { start: '2026-11', precision: 'month' },
    actors: [],
    places: ['Islamabad'],
    topics: ['bench'],
    sources: [{ outlet: 'Bench Wire', quote: `Quote ${n}.` }],
    confidence: 'reported',
  },
});

export const openBenchStories = async (baseUrl: string, token: string, count: number, prefix: string): Promise<string[]> => {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  for (let i = 0; i < ids.length; i += 10) {
    await Promise.all(
      ids.slice(i, i + 10).map(async (storyId) => {
        await fetch(`${baseUrl}/stories/${storyId}`, { method: 'PUT', headers, body: JSON.stringify({ title: `Bench ${storyId}`, summary: 'A benchmark story.', topics: ['bench'] }) });
        const res = await fetch(`${baseUrl}/stories/${storyId}/events`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ events: [{ type: 'ActorIdentified', data: { actorId: 'bench-outlet', name: 'Bench Outlet', aliases: [], kind: 'outlet' } }] }),
        });
        if (res.status !== 201 && res.status !== 200) throw new Error(`bench setup failed: ${res.status} ${await res.text()}`);
      }),
    );
  }
  return ids;
};

/** The event item the store writes for a commentary (same attributes, same size), at a version past the first (no index entry, as for an append to an open story). */
export const rawEventItem = (storyId: string, version: number, n: number) => {
  const { type, data } = commentary(storyId, n);
  const recordedAt = new Date().toISOString();
  return toEventItem({ streamId: storyStreamId(storyId), version, id: randomUUID(), type, schemaVersion: 1, data, recordedAt, reportedAt: recordedAt, metadata: { subject: 'bench', correlationId: randomUUID() } });
};

/**
 * The raw baselines' table: the events table's settings (keys, index, stream, on-demand) with no
 * projector behind it, created once at the start of a run and warmed (the first writes to a new table
 * of a new table, and of a JVM just started, run 2-4x slower than the later ones), and the ceiling of
 * two-item transactions measured on it there (the better of two tries), while it is empty and nothing else runs. A same-run baseline that falls far
 * below the ceiling measures the machine, not DynamoDB Local: the append step says so instead of a ratio.
 */
export interface RawTable {
  name: string;
  /** two-item TransactWriteItems per second (16 writers) at the start of the run */
  ceiling: number;
  ceilingP50: number;
  /** The machine's 1-minute load average then (processes wanting a core: above the core count, every process waits) */
  load: number;
}

/** The 1-minute load average: what the raw rates follow on a shared machine (DynamoDB Local's JVM needs the cores the other processes take). */
const loadNow = (): number => round(loadavg()[0] ?? 0, 1);

/** A baseline under this share of the ceiling is not one to compare with. */
export const CEILING_SHARE = 0.5;

/** How often the SDK had to send a request again (a 5xx, a timeout, a dropped connection): a collapsed baseline's first suspect. */
interface Resends {
  requests: number;
  retried: number;
}

const rawTransaction = (dynamo: DynamoDBClient, table: string, resends: Resends) => async (streamName: string, version: number) => {
  const item = rawEventItem(streamName, version, version);
  const idRecord = idRecordPut(table, { id: item.eventId!.S!, streamId: item.streamId!.S!, hash: randomUUID().replace(/-/g, ''), version });
  const out = await dynamo.send(new TransactWriteItemsCommand({ TransactItems: [insertOnly(table, item), idRecord] }));
  resends.requests++;
  if ((out.$metadata.attempts ?? 1) > 1) resends.retried++;
};

export const prepareRawTable = async (dynamo: DynamoDBClient, durationMs: number): Promise<RawTable> => {
  const name = `bench-raw-${randomUUID().slice(0, 6)}`;
  await dynamo.send(new CreateTableCommand(createTableInput(eventsTable, name)));
  const write = rawTransaction(dynamo, name, { requests: 0, retried: 0 });
  // a JVM just started runs its first transactions several times slower (its compiler has not got to them yet)
  await closedLoop(WRITERS, durationMs, (worker, i) => write(`warm-${worker}`, i + 2));
  const tries = [];
  for (let t = 0; t < 2; t++) tries.push(await closedLoop(WRITERS, durationMs, (worker, i) => write(`ceiling-${t}-${worker}`, i + 2)));
  const best = tries.reduce((a, b) => (rateOf(b) > rateOf(a) ? b : a));
  return { name, ceiling: rateOf(best), ceilingP50: percentile(best.latencies, 50), load: loadNow() };
};

export interface AppendRounds {
  http: Series;
  /** The same appends with the projector held for the round */
  held: Series;
  /** The same appends with, instead of the projector, only its DynamoDB requests sent (projector-io.ts): DynamoDB Local as loaded by a live projector, the event loop without it */
  io: Series;
  put: Series;
  transact: Series;
  raw: RawTable;
  /** SDK resends of the raw transactions over all rounds */
  resends: Resends;
  /** The load average at the start of each raw transaction round */
  loads: number[];
  /** CPU time of this process per HTTP append (host, handler, client, and the stream runner and projector, which project the appends in this process) and per raw transaction (client): what the path costs in the cores the JVM shares */
  cpuMs: { append: number; held: number; transaction: number };
  /** DynamoDB use per append of the HTTP rounds (the API's requests only: the projector's are counted apart) and per raw transaction */
  perAppend: Tally;
  perTransaction: Tally;
}

export const runAppendRounds = async ({
  baseUrl,
  token,
  dynamo,
  raw,
  durationMs,
  rounds,
  settle,
  counter,
  holdProjector,
  projectorRequestsOnly,
}: {
  baseUrl: string;
  token: string;
  dynamo: DynamoDBClient;
  raw: RawTable;
  durationMs: number;
  rounds: number;
  settle: () => Promise<void>;
  counter: RequestCounter;
  /** Holds the batches the projector is handed from now until the returned release is called */
  holdProjector: () => () => void;
  /** Hands the batches, from now until the returned restore is called, to a handler that sends only the projector's DynamoDB requests (projector-io.ts) */
  projectorRequestsOnly: () => () => void;
}): Promise<AppendRounds> => {
  const stories = await openBenchStories(baseUrl, token, 100, `append-${randomUUID().slice(0, 4)}`);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const table = raw.name;
  const resends: Resends = { requests: 0, retried: 0 };
  const transaction = rawTransaction(dynamo, table, resends);
  let n = 0;
  /** Runs a round and adds what the requests of `label` did during it to `into`, with the operations that succeeded. */
  const counted = (label: string, into: { tally: Tally; ops: number }, run: (round: number) => Promise<LoopResult>) => async (round: number) => {
    const before = counter.tally(label);
    const result = await counter.run(label, () => run(round));
    const used = difference(counter.tally(label), before);
    for (const [kind, count] of Object.entries(used.requests)) into.tally.requests[kind] = (into.tally.requests[kind] ?? 0) + count;
    into.tally.readUnits += used.readUnits;
    into.tally.writeUnits += used.writeUnits;
    into.ops += result.latencies.length + result.errors;
    return result;
  };
  /** The CPU time this process (the HTTP host, the handlers, the load generator, the SDK) spends on a workload's rounds, per successful operation. */
  const timed = (into: { cpuMs: number; ops: number }, run: (round: number) => Promise<LoopResult>) => async (round: number) => {
    const before = process.cpuUsage();
    const result = await run(round);
    const used = process.cpuUsage(before);
    into.cpuMs += (used.user + used.system) / 1000;
    into.ops += result.latencies.length;
    return result;
  };
  const cpu = { http: { cpuMs: 0, ops: 0 }, held: { cpuMs: 0, ops: 0 }, transact: { cpuMs: 0, ops: 0 } };
  // the rounds whose appends only the projector's requests see append to stories of their own: their events are never projected, and a projected story would find them as a gap to fill
  const unprojected = await openBenchStories(baseUrl, token, 100, `append-io-${randomUUID().slice(0, 4)}`);
  /** A round of appends: each writer appends one event to a story drawn at random, again and again. */
  const appendRound = (among = stories) =>
    closedLoop(WRITERS, durationMs, async () => {
      const storyId = among[Math.floor(Math.random() * among.length)]!;
      const res = await fetch(`${baseUrl}/stories/${storyId}/events`, { method: 'POST', headers, body: JSON.stringify({ events: [commentary(storyId, n++)] }) });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(String(res.status));
    });
  const httpUse = { tally: { requests: {}, readUnits: 0, writeUnits: 0 }, ops: 0 };
  const loads: number[] = [];
  const transactUse = { tally: { requests: {}, readUnits: 0, writeUnits: 0 }, ops: 0 };
  /** A round of appends while `swap` replaces the projector (held, or its requests alone). */
  const appendRoundWith = (swap: () => () => void, among = stories) => async () => {
    const restore = swap();
    try {
      return await appendRound(among);
    } finally {
      restore();
    }
  };
  const [http, put, transact, held, io] = await interleave({
    rounds,
    settle,
    workloads: [
      {
        name: 'HTTP append',
        // the write-api handler runs in the HTTP host, outside this label: its requests count under the API's
        run: timed(cpu.http, counted(counter.apiLabel, httpUse, () => appendRound())),
      },
      {
        name: 'raw conditional PutItem',
        run: (round) =>
          counter.run('raw', () => closedLoop(WRITERS, durationMs, async (worker, i) => {
            const { Put } = insertOnly(table, rawEventItem(`put-${round}-${worker}`, i + 2, i));
            await dynamo.send(new PutItemCommand(Put!));
          })),
      },
      {
        name: 'raw 2-item TransactWriteItems',
        run: timed(cpu.transact, counted('raw transaction', transactUse, (round) => {
          loads.push(loadNow());
          return closedLoop(WRITERS, durationMs, (worker, i) => transaction(`tx-${round}-${worker}`, i + 2));
        })),
      },
      {
        name: 'HTTP append, projector held',
        run: timed(cpu.held, appendRoundWith(holdProjector)),
      },
      { name: "HTTP append, the projector's DynamoDB requests alone", run: appendRoundWith(projectorRequestsOnly, unprojected) },
    ],
  });
  await dynamo.send(new DeleteTableCommand({ TableName: table }));
  const perOp = ({ cpuMs, ops }: { cpuMs: number; ops: number }) => (ops ? cpuMs / ops : Number.NaN);
  return { http: http!, held: held!, io: io!, put: put!, transact: transact!, raw, resends, loads, cpuMs: { append: perOp(cpu.http), held: perOp(cpu.held), transaction: perOp(cpu.transact) }, perAppend: perOperation(httpUse.tally, httpUse.ops), perTransaction: perOperation(transactUse.tally, transactUse.ops) };
};

/**
 * A figure against the raw transaction, or, when that baseline fell under CEILING_SHARE of its ceiling
 * at the start of the run, the same row without a ratio and with the reason in its place.
 */
const againstTransaction = (figure: Figure, { transact, raw, resends, loads }: AppendRounds): Figure => {
  const baseline = median(transact.rates);
  if (baseline >= raw.ceiling * CEILING_SHARE) return figure;
  const retried = resends.requests ? ` (${resends.retried} of ${resends.requests} raw transactions resent by the SDK)` : '';
  return {
    ...figure,
    ratio: Number.NaN,
    target: `not judged: the raw transaction ran at ${round(baseline)}/s here, under ${CEILING_SHARE} of its ${round(raw.ceiling)}/s on the empty table at the start${retried}, at a load average of ${loads.join(', ')} on ${cpus().length} cores (${raw.load} at the start); the machine was busy, rerun`,
    met: false,
  };
};

export const appendFigures = (rounds: AppendRounds): Figure[] => {
  const { http, held, io, put, transact, raw, resends, loads, cpuMs } = rounds;
  const errors = [...http.results, ...held.results].reduce((sum, r) => sum + r.errors, 0);
  return [
    againstTransaction(comparedFigure(`append throughput (HTTP, ${WRITERS} writers, 100 stories)`, 'events/s', http, transact, 'rates', { text: '>= 0.50', met: ({ ratio }) => ratio >= 0.5 }), rounds),
    comparedFigure('append throughput, against PutItem', 'events/s', http, put, 'rates'),
    againstTransaction(comparedFigure('append latency p50', 'ms', http, transact, 'p50s'), rounds),
    againstTransaction(comparedFigure('append latency p99', 'ms', http, transact, 'p99s', { text: '<= 2.0', met: ({ ratio }) => ratio <= 2 }), rounds),
    againstTransaction(comparedFigure('append throughput, projector held (its batches wait for the round to end)', 'events/s', held, transact, 'rates'), rounds),
    againstTransaction(comparedFigure('append latency p99, projector held', 'ms', held, transact, 'p99s'), rounds),
    // DynamoDB Local loaded as by the live projector, without the projector's CPU on the event loop: above 2, what stops the live target is the shared DynamoDB Local (in AWS the projector shares neither)
    againstTransaction(comparedFigure("append latency p99, the projector's DynamoDB requests alone (the floor of the live figure here)", 'ms', io, transact, 'p99s'), rounds),
    { name: 'raw 2-item TransactWriteItems at the start (empty table, nothing else running)', value: round(raw.ceiling), unit: 'events/s', baseline: round(median(transact.rates)), baselineName: 'the same in the append rounds', ratio: round(median(transact.rates) / raw.ceiling, 2), spread: `p50 ${round(raw.ceilingP50)} ms at the start; ${resends.retried} of ${resends.requests} resent by the SDK in the rounds; load average ${raw.load} at the start, ${loads.join(', ')} at the rounds (${cpus().length} cores)` },
    {
      name: 'bench process CPU per append (HTTP host, write-api handler, client, and the projector projecting it)',
      value: round(cpuMs.append, 2),
      unit: 'ms',
      baseline: round(cpuMs.transaction, 2),
      baselineName: 'per raw 2-item transaction (client only)',
      ratio: round(cpuMs.append / cpuMs.transaction, 2),
      spread: `at ${round(median(http.rates))} appends/s: ${round((cpuMs.append * median(http.rates)) / 10, 0)}% of one core; ${round(cpuMs.held, 2)} ms with the projector held (it projects later); DynamoDB Local's JVM runs on the same ${cpus().length} cores`,
    },
    ...(errors ? [{ name: 'append errors (all rounds)', value: errors, unit: 'requests', baseline: 0, baselineName: '', ratio: 0, target: '0', met: false }] : []),
  ];
};
