import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import type { RecordedEvent } from '../../events/catalog/events';
import { storyStreamId } from '../../events/streams';
import type { EventStore } from '../../functions/adapters/event-store';
import type { ReadModelStore } from '../../functions/adapters/read-model-store';
import { createProjector, type Projector } from '../../functions/projector';
import { freshStores, type freshTables } from '../support/dynamodb';
import { expectReadModelsToEqualFold, killableReadModels, ProjectorKilledError } from '../support/faults-read-models';
import { appendInterleaved, buildStory, seededChoose, storyStepsArb, type Choose } from '../support/faults-stories';

/**
 * Issue 3's property: for random valid event logs over 2-3 stories and random at-least-once
 * delivery (batches of 1 to 100 events delivered 1-3 times, records shuffled across streams, some repeated, some
 * batches overtaken by the next or delivered again late, the projector killed at a random write
 * and the batch redelivered), the read models equal a pure fold of the event table.
 * Each run projects into its own read-model generation, over its own stories.
 */

let tables: Awaited<ReturnType<typeof freshTables>>;
let events: EventStore;
let readModels: ReadModelStore;
beforeAll(async () => {
  ({ tables, events, readModels } = await freshStores());
});
afterAll(() => tables.drop());

const suite = randomUUID().slice(0, 6);
let runs = 0;

/** Appends fresh stories made from the steps and returns the event table's content for them. */
const recordStories = async (storySteps: Parameters<typeof buildStory>[1][], choose: Choose) => {
  const run = ++runs;
  const stories = storySteps.map((steps, i) => {
    const storyId = `p${suite}-${run}-${i}`;
    return { storyId, events: buildStory(storyId, steps) };
  });
  await appendInterleaved(events, stories, choose);
  const streams = await Promise.all(stories.map((s) => events.readStream(storyStreamId(s.storyId))));
  return { run, streams, log: streams.flat() };
};

/** The streams' records in one sequence, as a stream shard would carry them: each stream in order, streams interleaved. */
const interleave = (streams: RecordedEvent[][], choose: Choose): RecordedEvent[] => {
  const queues = streams.map((s) => [...s]);
  const sequence: RecordedEvent[] = [];
  for (;;) {
    const open = queues.filter((q) => q.length > 0);
    if (open.length === 0) return sequence;
    const next = open[choose(open.length - 1)]?.shift();
    if (next) sequence.push(next);
  }
};

const shuffled = <T>(items: readonly T[], choose: Choose): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = choose(i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

describe('the projector on DynamoDB Local, under random at-least-once delivery', () => {
  it('ends with the read models a pure fold of the event table makes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(storyStepsArb(12), { minLength: 2, maxLength: 3 }), fc.gen(), async (storySteps, g) => {
        const choose: Choose = (max) => g(fc.nat, max);
        const { run, streams, log } = await recordStories(storySteps, choose);
        const generation = 1000 + run;
        const kill = killableReadModels(readModels);
        const projector = createProjector(events, kill.store);

        const sequence = interleave(streams, choose);
        const batches: RecordedEvent[][] = [];
        for (let at = 0; at < sequence.length; ) {
          // small batches mostly, now and then one of up to 100 events (what a busy shard delivers)
          const size = choose(3) === 0 ? 1 + choose(99) : 1 + choose(7);
          batches.push(sequence.slice(at, at + size));
          at += size;
        }

        /** One delivery: the records shuffled (one maybe twice), redelivered after each kill until it goes through. */
        const deliver = async (batch: RecordedEvent[]) => {
          const records = shuffled(batch, choose);
          if (choose(3) === 0) records.splice(choose(records.length), 0, records[choose(records.length - 1)] as RecordedEvent);
          for (let attempt = 0; ; attempt++) {
            kill.revive();
            if (attempt < 3 && choose(1) === 1) kill.arm(choose(30), choose(1) === 1);
            else kill.disarm();
            try {
              await projector.project(records, { generation });
              kill.disarm();
              return;
            } catch (error) {
              if (!(error instanceof ProjectorKilledError)) throw error;
            }
          }
        };

        // now and then a batch overtakes the one before it: its versions arrive after a gap, filled from the table
        for (let i = 0; i + 1 < batches.length; i++) {
          if (choose(5) !== 0) continue;
          [batches[i], batches[i + 1]] = [batches[i + 1] ?? [], batches[i] ?? []];
          i++;
        }

        for (let i = 0; i < batches.length; i++) {
          const batch = batches[i] ?? [];
          const times = 1 + choose(2);
          for (let t = 0; t < times; t++) await deliver(batch);
          // an earlier batch delivered again, late
          if (i > 0 && choose(4) === 0) await deliver(batches[choose(i - 1)] ?? []);
        }

        await expectReadModelsToEqualFold(readModels, log, generation);
      }),
      // shrinking replays against DynamoDB Local and would take minutes: report the first failure with its seed
      { numRuns: 20, endOnFailure: true },
    );
    // twenty logs, each delivered batch by batch with kills and redeliveries: a minute or two on two shared cores
  }, 900_000); // seconds alone, minutes beside the load tests on 2 cores

  it('two projectors at once over different stories, sharing the all-stories, stories and actor documents, end equal to the fold', async () => {
    for (let round = 0; round < 4; round++) {
      const choose = seededChoose(round + 7);
      const steps = fc.sample(storyStepsArb(16), { numRuns: 2, seed: round + 11 });
      const { run, streams, log } = await recordStories(steps, choose);
      const generation = 1000 + run;
      const project = async (projector: Projector, stream: RecordedEvent[]) => {
        for (let at = 0; at < stream.length; ) {
          const size = 1 + choose(3);
          await projector.project(stream.slice(at, at + size), { generation });
          at += size;
        }
      };
      await Promise.all(streams.map((stream) => project(createProjector(events, readModels), stream)));
      await expectReadModelsToEqualFold(readModels, log, generation);
    }
  });

  it('the same batches projected twice at once (a retry racing the original) end equal to the fold', async () => {
    for (let round = 0; round < 3; round++) {
      const choose = seededChoose(round + 101);
      const steps = fc.sample(storyStepsArb(16), { numRuns: 2, seed: round + 211 });
      const { run, streams, log } = await recordStories(steps, choose);
      const generation = 1000 + run;
      const sequence = interleave(streams, choose);
      const deliverAll = async (projector: Projector) => {
        for (let at = 0; at < sequence.length; at += 4) await projector.project(sequence.slice(at, at + 4), { generation });
      };
      await Promise.all([deliverAll(createProjector(events, readModels)), deliverAll(createProjector(events, readModels))]);
      await expectReadModelsToEqualFold(readModels, log, generation);
    }
  });
});
