import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { feedKeyOf, timelineKey, visitsKey, type FeedModel, type ProjectableEvent, type TimelineModel, type VisitsModel } from '../../events/projections';
import { storyStreamId } from '../../events/streams';
import type { EventStore } from '../../functions/adapters/event-store';
import { toEventItem } from '../../functions/adapters/event-items';
import type { ReadModelStore } from '../../functions/adapters/read-model-store';
import { renderCurrent } from '../../functions/feed-publication';
import { createStoryService, type StoryService } from '../../functions/story-service';
import { startStreamRunner, type StreamHandler, type StreamRunner } from '../../infra/local/stream-runner';
import { freshStores, type freshTables, testEndpoint } from '../support/dynamodb';
import { expectReadModelsToEqualFold } from '../support/faults-read-models';
import { dev } from '../support/projection-fixtures';

/**
 * The projector Lambda's handler behind the local stream runner, on this suite's tables: what is
 * appended through the story service reaches the read models; an event the codec cannot read is
 * passed over; a record that is no event is retried a bounded number of times, goes to the
 * dead-letter folder, and what follows still projects.
 */

let tables: Awaited<ReturnType<typeof freshTables>>;
let events: EventStore;
let readModels: ReadModelStore;
let stories: StoryService;
let runner: StreamRunner;
const stateDir = mkdtempSync(join(tmpdir(), 'projection-runner-'));
const logLevel = process.env.POWERTOOLS_LOG_LEVEL;

beforeAll(async () => {
  ({ tables, events, readModels } = await freshStores({}, { streams: true }));
  stories = createStoryService(events);
  // the handler module reads its tables at load, as in Lambda; the poison record's error log is expected
  process.env.EVENTS_TABLE = tables.names.events;
  process.env.READ_MODELS_TABLE = tables.names.readModels;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const { handler } = (await import('../../functions/handlers/projector')) as { handler: StreamHandler };
  runner = await startStreamRunner({ dynamo: tables.client, endpoint: testEndpoint(), tableName: tables.names.events, handler, stateDir, pollIntervalMs: 50, maxRetries: 2 });
});
afterAll(async () => {
  await runner?.stop();
  await tables.drop();
  if (logLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = logLevel;
});

/** Waits (without asserting anything about time) until the check passes; fails with its last error after a generous deadline. */
const eventually = async (check: () => Promise<void>, deadlineMs = 30_000): Promise<void> => {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

const suite = randomUUID().slice(0, 6);
/** Every story of this suite with the versions that can be read back (the poisoned one stops before its poison). */
const projectedStories = new Map<string, number | undefined>();
const eventTable = async (): Promise<ProjectableEvent[]> =>
  (await Promise.all([...projectedStories].map(([storyId, limit]) => events.readRecords(storyStreamId(storyId), limit === undefined ? {} : { limit })))).flat();

/** An event item as the event store would write it, for writing around the store. */
const rawItem = (storyId: string, version: number, event: { id: string; type: string; data: unknown }) =>
  toEventItem({
    streamId: storyStreamId(storyId),
    version,
    ...event,
    schemaVersion: 1,
    recordedAt: new Date().toISOString(),
    reportedAt: new Date().toISOString(),
    metadata: { subject: 'test-editor', correlationId: 'around-the-store' },
  });

const putRaw = async (storyId: string, version: number, event: { id: string; type: string; data: unknown }) =>
  tables.client.send(new PutItemCommand({ TableName: tables.names.events, Item: rawItem(storyId, version, event), ConditionExpression: 'attribute_not_exists(streamId)' }));

const append = (storyId: string, proposed: { type: string; data: unknown }[]) =>
  stories.append({ storyId, events: proposed, subject: 'test-editor', correlationId: `projection-runner-${suite}` });

const opened = (storyId: string) => ({ type: 'StoryOpened', data: { storyId, title: `Story ${storyId}`, summary: 'A story for the runner.', topics: ['diplomacy'] } });
const actor = (actorId: string, name: string) => ({ type: 'ActorIdentified', data: { actorId, name, aliases: [], kind: 'person' } });

const timelineVersion = async (storyId: string) => (await readModels.get<TimelineModel>(timelineKey(storyId)))?.value.version ?? 0;

describe('the projector handler behind the local stream runner', () => {
  it('projects what is appended through the story service into every read model', async () => {
    const storyId = `runner-${suite}`;
    projectedStories.set(storyId, undefined);
    await append(storyId, [
      opened(storyId),
      actor('putin', 'Vladimir Putin'),
      {
        type: 'VisitPlanned',
        data: { ...dev({ headline: 'Putin to visit Islamabad', actors: ['putin'] }), visitId: 'putin-islamabad', visitors: ['putin'], destination: 'Islamabad', scheduled: { start: '2012-10-02', precision: 'day' } },
      },
    ]);
    const { version } = await append(storyId, [{ type: 'VisitCancelled', data: { ...dev({ headline: 'Putin cancels his visit' }), visitId: 'putin-islamabad' } }]);

    await eventually(async () => expect(await timelineVersion(storyId)).toBe(version));
    const visits = await readModels.get<VisitsModel>(visitsKey(storyId));
    expect(visits?.value.visits.map((v) => [v.visitId, v.status])).toEqual([['putin-islamabad', 'cancelled']]);
    const feed = await readModels.get<FeedModel>(feedKeyOf({ kind: 'story', storyId }));
    expect(feed && renderCurrent(feed.value, new Date()).bodies.rss.body).toContain('Putin cancels his visit');
    await expectReadModelsToEqualFold(readModels, await eventTable());
  });

  it('passes over an event the codec cannot read: its timeline lists it, the events after it project, nothing is dead-lettered', async () => {
    const storyId = `unreadable-${suite}`;
    projectedStories.set(storyId, undefined);
    const { version } = await append(storyId, [opened(storyId), actor('lavrov', 'Sergey Lavrov')]);
    // an event of a type no codec knows (as a newer writer would store it), around the event store
    const martians = randomUUID();
    await putRaw(storyId, version + 1, { id: martians, type: 'MartiansLanded', data: { where: 'Islamabad' } });
    // the story service refuses to decide on a history it cannot read: the next event goes around it too
    const later = { ...dev({ headline: 'Lavrov meets the army chief', actors: ['lavrov'] }), meetingId: 'lavrov-ghq', participants: ['lavrov'], place: 'Rawalpindi', outcome: 'Talks.' };
    await putRaw(storyId, version + 2, { id: randomUUID(), type: 'MeetingHeld', data: later });
    await expect(append(storyId, [actor('putin', 'Vladimir Putin')])).rejects.toMatchObject({ name: 'UnreadableEventError' });

    await eventually(async () => expect(await timelineVersion(storyId)).toBe(version + 2));
    const timeline = (await readModels.get<TimelineModel>(timelineKey(storyId)))?.value;
    expect(timeline?.passedOver).toEqual([{ version: version + 1, id: martians, type: 'MartiansLanded', recordedAt: expect.any(String), reason: expect.stringContaining('MartiansLanded') }]);
    expect(timeline?.entries.map((e) => e.headline)).toEqual(['Lavrov meets the army chief']);
    expect(runner.stats().deadLettered).toBe(0);
    await expectReadModelsToEqualFold(readModels, await eventTable());
  });

  it('sends a record that is no event at all to the dead-letter folder after the bounded retries, and other stories still project', async () => {
    const broken = `broken-${suite}`;
    const { version } = await append(broken, [opened(broken), actor('lavrov', 'Sergey Lavrov')]);
    projectedStories.set(broken, version);
    // an item at the stream's next version without an event id: damage, not an event
    const item = rawItem(broken, version + 1, { id: randomUUID(), type: 'ActorIdentified', data: { actorId: 'x', name: 'X', aliases: [], kind: 'person' } });
    delete item.eventId;
    await tables.client.send(new PutItemCommand({ TableName: tables.names.events, Item: item, ConditionExpression: 'attribute_not_exists(streamId)' }));

    const later = `later-${suite}`;
    projectedStories.set(later, undefined);
    const { version: laterVersion } = await append(later, [
      opened(later),
      actor('lavrov', 'Sergey Lavrov'),
      { type: 'MeetingHeld', data: { ...dev({ headline: 'Lavrov meets the army chief', actors: ['lavrov'] }), meetingId: 'lavrov-ghq', participants: ['lavrov'], place: 'Rawalpindi', outcome: 'Talks.' } },
    ]);

    await eventually(async () => expect(await timelineVersion(later)).toBe(laterVersion));
    await eventually(() => Promise.resolve(expect(readdirSync(join(stateDir, 'dead-letter'))).toHaveLength(1)));
    const [letterFile] = readdirSync(join(stateDir, 'dead-letter'));
    const letter = JSON.parse(readFileSync(join(stateDir, 'dead-letter', letterFile ?? ''), 'utf8')) as { reason: string; keys: Record<string, { S?: string; N?: string }> };
    expect(letter.keys).toEqual({ streamId: { S: storyStreamId(broken) }, version: { N: String(version + 1) } });
    expect(letter.reason).toBe('handler failed 3 times');
    expect(runner.stats().deadLettered).toBe(1);

    // the broken story stays as it was before the damage; everything else equals the fold
    expect(await timelineVersion(broken)).toBe(version);
    await expectReadModelsToEqualFold(readModels, await eventTable());
  });
});
