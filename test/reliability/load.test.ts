import { apiClient, type ApiClient } from '../support/api';
import { seededRandom } from '../support/reliability-faults';
import {
  finalAnswer,
  inBatches,
  ledgerProblems,
  openingEvents,
  prepareAppend,
  readLog,
  readModelProblems,
  sendAppend,
  succeeded,
  uniqueMeeting,
  type AppendMode,
  type LoggedEvent,
  type SentAppend,
} from '../support/reliability-ledger';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';
import { report } from '../support/report';

/**
 * Load held: 32 writers across 1,000 stories for a minute over HTTP, then proof that nothing was
 * lost or duplicated: every event answered 201 is in the table exactly once, each story's versions
 * run without a gap, and every event reaches the read models once the projector has caught up.
 * LOAD_SECONDS shortens the run locally; CI runs the full minute.
 */

const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const WRITERS = 32;
const STORY_COUNT = 1000;
const SEED = Number(process.env.LOAD_SEED ?? 20121002);

const random = seededRandom(SEED);
const stories = Array.from({ length: STORY_COUNT }, (_, i) => `load-${String(i).padStart(4, '0')}`);

let app: RunningStoryline;
let api: ApiClient;
beforeAll(async () => {
  // a DynamoDB Local of its own: the minute's thousands of events leave stream records behind, which would slow
  // every later file of this worker on a shared one (test/support/dynamodb.ts, freshTables)
  app = await startStoryline({ ownDynamoDb: true });
  api = apiClient(app);
});
afterAll(() => app?.stop());

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

it(
  `${WRITERS} writers across ${STORY_COUNT} stories for ${LOAD_SECONDS} s: every 201 stored once, versions contiguous, every event in the read models`,
  async () => {
    const sent: SentAppend[] = [];
    const latencies: number[] = [];
    const seenVersion = new Map<string, number>();
    /** One opening per story, whoever picks it first; the others wait for it. */
    const openings = new Map<string, Promise<boolean>>();
    const send = async (request: SentAppend): Promise<SentAppend> => {
      const started = performance.now();
      await sendAppend(api, request, { maxSends: 1 });
      latencies.push(performance.now() - started);
      sent.push(request);
      const answer = finalAnswer(request);
      if (answer && succeeded(request)) seenVersion.set(request.storyId, Math.max(seenVersion.get(request.storyId) ?? 0, answer.json.version as number));
      return request;
    };
    const opened = (storyId: string): Promise<boolean> => {
      let opening = openings.get(storyId);
      if (!opening) {
        opening = send(prepareAppend(storyId, openingEvents(storyId), 'key')).then(succeeded);
        openings.set(storyId, opening);
      }
      return opening;
    };

    const modes: AppendMode[] = ['head', 'head', 'ids', 'key', 'expected'];
    const started = performance.now();
    const deadline = started + LOAD_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        while (performance.now() < deadline) {
          const storyId = stories[Math.floor(random() * stories.length)] ?? 'load-0000';
          if (!(await opened(storyId))) continue;
          const events = Array.from({ length: 1 + Math.floor(random() * 3) }, () => uniqueMeeting(`load w${writer}`));
          await send(prepareAppend(storyId, events, modes[Math.floor(random() * modes.length)] ?? 'head', seenVersion.get(storyId) ?? 3));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const statuses: Record<number, number> = {};
    for (const request of sent) for (const a of request.answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    const accepted = sent.filter((r) => finalAnswer(r)?.status === 201);
    const events = accepted.reduce((n, r) => n + r.signatures.length, 0);
    const sorted = [...latencies].sort((a, b) => a - b);
    report(
      [
        `load: ${WRITERS} writers, ${openings.size} of ${STORY_COUNT} stories opened, ${seconds.toFixed(1)} s`,
        `  requests ${sent.length} (${(sent.length / seconds).toFixed(1)}/s), answers ${JSON.stringify(statuses)}`,
        `  accepted ${accepted.length} appends, ${events} events (${(events / seconds).toFixed(1)} events/s)`,
        `  latency p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms`,
      ].join('\n'),
    );

    // only an append that named a stale expected version may be refused (409); nothing failed
    const refused = sent.filter((r) => !succeeded(r) && !(finalAnswer(r)?.status === 409 && r.body.expectedVersion !== undefined));
    expect(refused.map((r) => `${r.storyId}: ${finalAnswer(r)?.status} ${JSON.stringify(finalAnswer(r)?.json).slice(0, 300)}`)).toEqual([]);
    expect(accepted.length).toBeGreaterThan(0);

    // the event table: read every story's log back
    const touched = [...openings.keys()];
    const logs = new Map<string, LoggedEvent[]>(await inBatches(touched, 16, async (storyId) => [storyId, await readLog(api, storyId)] as const));
    expect(ledgerProblems(logs, sent)).toEqual([]);
    const stored = [...logs.values()].reduce((n, log) => n + log.length, 0);

    // the read models: the story list first (one request), then each story's timeline
    const caughtUp = performance.now();
    await eventually(
      async () => {
        const listed = new Map<string, number>(((await api.get('/stories')).json?.stories ?? []).map((s: { storyId: string; version: number }) => [s.storyId, s.version]));
        return [...logs].every(([storyId, log]) => listed.get(storyId) === log.length);
      },
      { timeoutMs: 360_000, intervalMs: 1000 },
    ).catch(() => undefined);
    const lag = (performance.now() - caughtUp) / 1000;
    expect(await readModelProblems(api, logs)).toEqual([]);
    report(`load: ${stored} events in ${logs.size} stories checked; the projector caught up ${lag.toFixed(1)} s after the last append was checked; runner ${JSON.stringify(app.runtime.runner.stats())}`);
    expect(app.runtime.runner.stats().deadLettered).toBe(0);
  },
  LOAD_SECONDS * 1000 + 600_000,
);
