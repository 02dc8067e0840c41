import { apiClient, type ApiClient } from '../support/api';
import { installWriteFaults, seededRandom } from '../support/reliability-faults';
import {
  finalAnswer,
  inBatches,
  ledgerProblems,
  openingEvents,
  prepareAppend,
  presentIn,
  readLog,
  readModelProblems,
  sendAppend,
  succeeded,
  uniqueMeeting,
  type Answered,
  type AppendMode,
  type LoggedEvent,
  type SentAppend,
} from '../support/reliability-ledger';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';
import { report } from '../support/report';

/**
 * The write path under faults DynamoDB Local cannot produce (throttling, transaction conflicts, a
 * process dying between DynamoDB's answer and the HTTP reply) and one it can (being restarted), over
 * real HTTP against the whole local runtime. Whatever happens, every event answered 201/200 is stored
 * exactly once, versions stay contiguous, and nothing refused is half-written.
 */

const SEED = Number(process.env.FAULT_SEED ?? 20121004);
/** Before the runtime starts: the handlers' clients are built with the fault middleware. */
const faults = installWriteFaults({ seed: SEED });
const random = seededRandom(SEED + 1);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const STORIES = Array.from({ length: 6 }, (_, i) => `faults-${i}`);
const WRITERS = 8;
const APPENDS_PER_WRITER = 25;

let app: RunningStoryline;
let api: ApiClient;
/** Every append sent in this file, for the ledger checks. */
const sent: SentAppend[] = [];
/** The highest version each story was seen at (for appends with an expected version). */
const seenVersion = new Map<string, number>();

const logsOf = async (storyIds: readonly string[]): Promise<Map<string, LoggedEvent[]>> =>
  new Map(await inBatches(storyIds, 8, async (storyId) => [storyId, await readLog(api, storyId)] as const));

const track = (request: SentAppend): SentAppend => {
  sent.push(request);
  const answer = finalAnswer(request);
  if (answer && (answer.status === 201 || answer.status === 200)) {
    seenVersion.set(request.storyId, Math.max(seenVersion.get(request.storyId) ?? 0, answer.json.version as number));
  }
  return request;
};

/** After a 503: the append was all-or-nothing (looked up before the client re-sends it). */
const atomicityViolations: string[] = [];
const checkAtomic = async (request: SentAppend): Promise<void> => {
  const present = presentIn(await readLog(api, request.storyId), request.storyId, request.signatures);
  if (present !== 0 && present !== request.signatures.length) atomicityViolations.push(`${request.storyId}: ${present} of ${request.signatures.length} events stored after a 503`);
};

const isProblem = (answer: Answered, status: number): boolean =>
  answer.status === status &&
  answer.contentType === 'application/problem+json' &&
  typeof answer.json?.type === 'string' &&
  typeof answer.json?.title === 'string' &&
  answer.json?.status === status &&
  typeof answer.json?.detail === 'string' &&
  !JSON.stringify(answer.json).match(/\bat .+\.(ts|js):\d+|node_modules|stack/i);

/** Answers other than 201/200, a 503 problem with Retry-After, or a 409 to an append that named its expected version. */
const unexpectedAnswers = (requests: SentAppend[]): string[] =>
  requests.flatMap((request) =>
    request.answers
      .filter((a) => {
        if (a.status === 201 || a.status === 200) return false;
        if (a.status === 503) return !(isProblem(a, 503) && Number(a.retryAfter) > 0);
        if (a.status === 409) return !(request.body.expectedVersion !== undefined && isProblem(a, 409));
        return true;
      })
      .map((a) => `${request.storyId}: ${a.status} ${JSON.stringify(a.json).slice(0, 300)}`),
  );

const statusCounts = (requests: SentAppend[]): Record<number, number> => {
  const counts: Record<number, number> = {};
  for (const request of requests) for (const a of request.answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
};

const expectLedgerAndReadModels = async () => {
  const logs = await logsOf(STORIES);
  expect(ledgerProblems(logs, sent)).toEqual([]);
  // nothing may be lost; how soon the projector catches up is the benchmark's to say (on a loaded machine it took over a minute)
  await eventually(async () => (await readModelProblems(api, logs)).length === 0, { timeoutMs: 180_000, intervalMs: 250 }).catch(() => undefined);
  expect(await readModelProblems(api, logs)).toEqual([]);
};

beforeAll(async () => {
  app = await startStoryline({ ownDynamoDb: true });
  api = apiClient(app);
  await Promise.all(STORIES.map(async (storyId) => track(await sendAppend(api, prepareAppend(storyId, openingEvents(storyId), 'key')))));
  expect(sent.every(succeeded)).toBe(true);
});
afterAll(() => app?.stop());
afterEach(() => faults.setRate(0));

describe(`throttling and transaction conflicts on 20% of the event table's writes (seed ${SEED})`, () => {
  it(`${WRITERS} writers, ${WRITERS * APPENDS_PER_WRITER} appends: every answer is 201/200, a 503 with Retry-After, or a 409 to a stale expected version; nothing lost, duplicated or half-written`, async () => {
    faults.resetStats();
    faults.setRate(0.2);
    const modes: AppendMode[] = ['head', 'ids', 'key', 'expected'];
    const mine: SentAppend[] = [];
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < APPENDS_PER_WRITER; i++) {
          const storyId = pick(STORIES);
          const events = Array.from({ length: 1 + Math.floor(random() * 3) }, () => uniqueMeeting(`w${writer}`));
          const request = prepareAppend(storyId, events, modes[(writer + i) % modes.length] ?? 'head', seenVersion.get(storyId) ?? 3);
          mine.push(track(await sendAppend(api, request, { after503: checkAtomic })));
        }
      }),
    );
    faults.setRate(0);
    const injected = faults.stats();
    report(`faults-writes: seed ${SEED}, ${injected.writes} writes, injected ${JSON.stringify(injected.injected)}, answers ${JSON.stringify(statusCounts(mine))}`);

    // the faults did happen, at about the rate asked for
    const total = Object.values(injected.injected).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(injected.writes * 0.1);
    expect(injected.injected['transaction-conflict']).toBeGreaterThan(0);
    expect(injected.injected.throttling).toBeGreaterThan(0);

    expect(unexpectedAnswers(mine)).toEqual([]);
    expect(atomicityViolations).toEqual([]);
    // a 503 is re-sent until it succeeds; only a stale expected version ends in a 409
    expect(mine.filter((r) => !succeeded(r) && finalAnswer(r)?.status !== 409)).toEqual([]);
    expect(mine.filter(succeeded).length).toBeGreaterThan(mine.length / 2);
    await expectLedgerAndReadModels();
  });

  it('batches of 51 to 100 events (ids claimed first, then the events) under the same faults: each stored whole and once, or not at all', async () => {
    faults.resetStats();
    faults.setRate(0.2);
    const modes: AppendMode[] = ['ids', 'key', 'head', 'expected'];
    const mine: SentAppend[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        for (let i = 0; i < 3; i++) {
          const storyId = pick(STORIES);
          const events = Array.from({ length: 51 + Math.floor(random() * 50) }, () => uniqueMeeting(`big-w${writer}`));
          const request = prepareAppend(storyId, events, modes[(writer + i) % modes.length] ?? 'ids', seenVersion.get(storyId) ?? 3);
          mine.push(track(await sendAppend(api, request, { after503: checkAtomic })));
        }
      }),
    );
    faults.setRate(0);
    report(`faults-writes: large batches, injected ${JSON.stringify(faults.stats().injected)}, answers ${JSON.stringify(statusCounts(mine))}`);
    expect(unexpectedAnswers(mine)).toEqual([]);
    expect(atomicityViolations).toEqual([]);
    expect(mine.filter((r) => !succeeded(r) && finalAnswer(r)?.status !== 409)).toEqual([]);
    expect(mine.filter(succeeded).length).toBeGreaterThan(0);
    await expectLedgerAndReadModels();
  });

  it('throttling that outlasts the SDK retries is a 503 with Retry-After that wrote nothing; the same request re-sent is a 201 with the same ids', async () => {
    faults.setRate(1, { kinds: ['throttling'], commands: ['TransactWriteItemsCommand'] });
    const byKey = prepareAppend('faults-0', [uniqueMeeting('throttled'), uniqueMeeting('throttled'), uniqueMeeting('throttled')], 'key');
    const byIds = prepareAppend('faults-1', [uniqueMeeting('throttled'), uniqueMeeting('throttled')], 'ids');
    await Promise.all([sendAppend(api, byKey, { maxSends: 1 }), sendAppend(api, byIds, { maxSends: 1 })]);
    for (const request of [byKey, byIds]) {
      expect(request.answers.map((a) => [a.status, a.retryAfter, isProblem(a, 503)])).toEqual([[503, '1', true]]);
      expect(presentIn(await readLog(api, request.storyId), request.storyId, request.signatures)).toBe(0);
    }

    faults.setRate(0);
    for (const request of [byKey, byIds]) {
      track(await sendAppend(api, request));
      expect(finalAnswer(request)?.status).toBe(201);
    }
    expect(finalAnswer(byIds)?.json.events.map((e: { id: string }) => e.id)).toEqual(byIds.body.events.map((e) => e.id));
    // and once more: the original answer again, nothing written
    const again = await sendAppend(api, { ...byKey, answers: [] });
    expect(finalAnswer(again)?.status).toBe(200);
    expect(finalAnswer(again)?.json.events).toEqual(finalAnswer(byKey)?.json.events);
    await expectLedgerAndReadModels();
  });

  it('a transaction cancelled for throttling, every time: a 503 with Retry-After (not a 409), also when the expected version is right', async () => {
    faults.setRate(1, { kinds: ['transaction-throttled'], commands: ['TransactWriteItemsCommand'] });
    const head = prepareAppend('faults-2', [uniqueMeeting('cancelled')], 'ids');
    const expected = prepareAppend('faults-3', [uniqueMeeting('cancelled')], 'expected', (await readLog(api, 'faults-3')).length);
    await Promise.all([sendAppend(api, head, { maxSends: 1 }), sendAppend(api, expected, { maxSends: 1 })]);
    for (const request of [head, expected]) {
      expect(request.answers.map((a) => [a.status, a.retryAfter, isProblem(a, 503)])).toEqual([[503, '1', true]]);
      expect(presentIn(await readLog(api, request.storyId), request.storyId, request.signatures)).toBe(0);
    }
    faults.setRate(0);
    for (const request of [head, expected]) expect(finalAnswer(track(await sendAppend(api, request)))?.status).toBe(201);
    await expectLedgerAndReadModels();
  });
});

describe('a crash after DynamoDB accepted an append, before the HTTP reply', () => {
  const crash = () => Object.assign(new Error('the function died after the write'), { name: 'SimulatedCrash' });

  it.each<[string, AppendMode]>([
    ['the same Idempotency-Key', 'key'],
    ['the same event ids', 'ids'],
    ['the same events without ids or key (a repeated command)', 'head'],
  ])('the client that re-sends with %s gets 200 and the ids that were stored', async (_, mode) => {
    const request = prepareAppend('faults-4', [uniqueMeeting(`crash-${mode}`), uniqueMeeting(`crash-${mode}`)], mode);
    faults.crashAfterNextAppend(crash());
    await sendAppend(api, request, { maxSends: 1 });
    expect(faults.stats().crashes).toBeGreaterThan(0);
    // the reply was lost: the client saw a failure, but DynamoDB had the events
    expect(request.answers.map((a) => [a.status, isProblem(a, 500)])).toEqual([[500, true]]);
    const stored = (await readLog(api, 'faults-4')).filter((e) => request.signatures.includes(`headline:${e.data.headline}`));
    expect(stored).toHaveLength(2);

    const retry = track(await sendAppend(api, request));
    expect(finalAnswer(retry)?.status).toBe(200);
    expect(finalAnswer(retry)?.json.events).toEqual(stored.map((e) => ({ id: e.id, version: e.version, type: 'MeetingHeld' })));
    await expectLedgerAndReadModels();
  });

  it('a connection reset after the write, which the SDK retries itself: 201 or 200 with the stored ids, stored once', async () => {
    const request = prepareAppend('faults-5', [uniqueMeeting('reset')], 'key');
    faults.crashAfterNextAppend(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    track(await sendAppend(api, request, { maxSends: 1 }));
    expect([200, 201]).toContain(finalAnswer(request)?.status);
    await expectLedgerAndReadModels();
  });
});

describe('DynamoDB Local restarted mid-run', () => {
  it('the runtime recovers by itself: HTTP serves again, the stream runner resumes, every 201 is in the table once and in the read models', async () => {
    const before = app.runtime.runner.stats().deadLettered;
    const mine: SentAppend[] = [];
    let restarted = false;
    let successes = 0;
    const restart = (async () => {
      await eventually(() => Promise.resolve(successes >= 20), { timeoutMs: 60_000 });
      // a hard stop, as a crash would be; it comes back on the same port and data folder. The clients
      // are cut off while it dies (see `cutOff`), and meet the dead port until it is back.
      const reconnect = await faults.cutOff();
      await app.runtime.restartDynamoDb({ kill: true, onStopped: reconnect });
      restarted = true;
    })();
    const modes: AppendMode[] = ['head', 'ids', 'key'];
    await Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        // until the restart is over, then a few more each
        for (let i = 0, after = 0; after < 5; i++) {
          if (restarted) after++;
          const storyId = STORIES[(writer + i) % STORIES.length] ?? 'faults-0';
          const request = prepareAppend(storyId, [uniqueMeeting(`restart-w${writer}`)], modes[i % modes.length] ?? 'key');
          mine.push(track(await sendAppend(api, request, { maxSends: 120 })));
          if (succeeded(request)) successes++;
        }
      }),
    );
    await restart;
    report(`faults-writes: restart answers ${JSON.stringify(statusCounts(mine))}`);
    expect(unexpectedAnswers(mine)).toEqual([]);
    expect(mine.filter((r) => !succeeded(r))).toEqual([]);
    // the writers were turned away while it was down, and served again once it was back
    expect(mine.some((r) => r.answers.some((a) => a.status === 503))).toBe(true);
    await expectLedgerAndReadModels();
    // a record that arrived while DynamoDB was down is retried, not dead-lettered
    expect(app.runtime.runner.stats().deadLettered).toBe(before);
  });
});
