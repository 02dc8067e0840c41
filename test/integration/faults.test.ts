import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import { digestFeedKey, type FeedModel, type ProjectableEvent } from '../../events/projections';
import { digestStreamId } from '../../events/streams';
import type { EventStore, NewEvent } from '../../functions/adapters/event-store';
import type { ReadModelStore } from '../../functions/adapters/read-model-store';
import { renderCurrent } from '../../functions/feed-publication';
import { createProjector, type Projector } from '../../functions/projector';
import { startStreamRunner, type StreamHandler } from '../../infra/local/stream-runner';
import { freshStores, type freshTables, testEndpoint } from '../support/dynamodb';
import { expectReadModelsToEqualFold, killableReadModels, ProjectorKilledError } from '../support/faults-read-models';
import { appendInterleaved, buildStory, seededChoose, storyStepsArb } from '../support/faults-stories';
import { digestEvent, metadata } from '../support/projection-fixtures';

/**
 * Issue 7's projector faults: the projector process killed at random points (before a write, or
 * after DynamoDB accepted it but before the reply), again and again, behind the local stream runner
 * with Lambda's retry rules. Whatever was interrupted is redelivered; the read models must end
 * equal to a pure fold of the event table.
 */

let tables: Awaited<ReturnType<typeof freshTables>>;
let events: EventStore;
let readModels: ReadModelStore;
let projectBatch: (projector: Projector, event: Parameters<StreamHandler>[0]) => ReturnType<StreamHandler>;
const logLevel = process.env.POWERTOOLS_LOG_LEVEL;

beforeAll(async () => {
  ({ tables, events, readModels } = await freshStores({}, { streams: true }));
  // the handler module reads its tables at load, as in Lambda; each kill makes it log an error, expected here
  process.env.EVENTS_TABLE = tables.names.events;
  process.env.READ_MODELS_TABLE = tables.names.readModels;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  ({ projectBatch } = await import('../../functions/handlers/projector'));
});
afterAll(async () => {
  await tables.drop();
  if (logLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = logLevel;
});

const SEED = 20121008;
const KILLS = 100;

const allEvents = async (): Promise<ProjectableEvent[]> => {
  const log: ProjectableEvent[] = [];
  await events.scanAll((page) => {
    log.push(...page);
  });
  return log;
};

describe('projector faults', () => {
  it('a digest feed written just before the projector was killed serves its digest, and its redelivery changes nothing', async () => {
    // in its own read-model generation: the runner of the next test projects the same table into the default one
    const generation = 99;
    const kill = killableReadModels(readModels);
    const projector = createProjector(events, kill.store);
    const { data } = digestEvent('daily', 1);
    const digest = { id: randomUUID(), type: 'DigestPublished', data } as NewEvent;
    await events.append({ streamId: digestStreamId('daily'), expectedVersion: 0, events: [digest], metadata, recordedAt: new Date().toISOString() });
    const log = await events.readStream(digestStreamId('daily'));

    // the digest feed is its stream's progress document, written last (after the digest's own document,
    // events/projections/digests.ts): killed right after DynamoDB stored it; it is rendered on read, so
    // nothing is left to publish, and the redelivery changes nothing
    kill.arm(1, true);
    await expect(projector.project(log, { generation })).rejects.toBeInstanceOf(ProjectorKilledError);
    const feed = await readModels.get<FeedModel>(digestFeedKey('daily'), generation);
    expect(feed?.rev).toBe(1);
    expect(feed && renderCurrent(feed.value, new Date()).bodies.atom.body).toContain(digest.id);

    kill.revive();
    await projector.project(log, { generation });
    expect((await readModels.get(digestFeedKey('daily'), generation))?.rev).toBe(1);
    await expectReadModelsToEqualFold(readModels, log, generation);
  });

  it(`the projector killed at a random record ${KILLS} times: the read models end equal to a pure fold of the event table`, async () => {
    const choose = seededChoose(SEED);
    const kill = killableReadModels(readModels);
    const projector = createProjector(events, kill.store);
    /** The Lambda function: a new instance after each kill; a kill fails the invocation, whatever projectBatch made of it. */
    const handler: StreamHandler = async (event) => {
      kill.revive();
      if (!kill.armed() && kill.kills() < KILLS) kill.arm(choose(15), choose(1) === 1);
      const response = await projectBatch(projector, event);
      if (kill.dead()) throw new Error('the projector process died');
      return response;
    };
    const runner = await startStreamRunner({
      dynamo: tables.client,
      endpoint: testEndpoint(),
      tableName: tables.names.events,
      handler,
      stateDir: mkdtempSync(join(tmpdir(), 'faults-')),
      pollIntervalMs: 50,
      batchSize: 20,
      // one instance, one batch at a time: the kill switch above is that instance's (lanes would run batches side by side on it)
      parallelizationFactor: 1,
      // a kill is not a poison record: retry it as long as it takes, at once (the retry is what is tested, not its wait)
      maxRetries: 1000,
      retryDelayMs: () => 0,
    });
    try {
      // more stories until the projector has been killed often enough
      for (let round = 0; kill.kills() < KILLS; round++) {
        if (round >= 80) throw new Error(`only ${kill.kills()} kills after ${round} rounds`);
        const stories = fc.sample(storyStepsArb(14), { numRuns: 3, seed: SEED + round }).map((steps, i) => {
          const storyId = `faults-${round}-${i}`;
          return { storyId, events: buildStory(storyId, steps) };
        });
        await appendInterleaved(events, stories, choose, round * 1000);
        await runner.drained();
        await runner.drained();
      }
      await runner.drained();
      await runner.drained();
    } finally {
      await runner.stop();
    }
    expect(kill.kills()).toBe(KILLS);
    expect(runner.stats().deadLettered).toBe(0);
    const log = await allEvents();
    const documents = await expectReadModelsToEqualFold(readModels, log);
    expect(documents).toBeGreaterThan(50);
  });
});
