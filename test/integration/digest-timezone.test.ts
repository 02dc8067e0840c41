import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventOf, RecordedEvent } from '../../events/catalog/events';
import { nextFiring } from '../../events/digest/schedule-time';
import { digestStreamId, storyStreamId } from '../../events/streams';
import { digestSchedules } from '../../contracts/schedules';
import { createOutboxMailer } from '../../functions/adapters/mailer';
import { publishDigest, type DigestDependencies } from '../../functions/digests';
import { createProjector } from '../../functions/projector';
import { createStoryService } from '../../functions/story-service';
import { freshStores } from '../support/dynamodb';
import { developmentData, fixtureActors } from '../support/api';

/**
 * The digest function computes its window in the zone the schedule fires in, which the firing's
 * input names: across the end of British Summer Time (Sunday 28 October 2012, 02:00 BST = 01:00
 * GMT) the daily 06:00 Europe/London windows still follow one another without a gap.
 */

const storyId = 'clocks-go-back';
const ZONE = 'Europe/London';
/** 06:30 BST on Saturday 27 October 2012: after that day's 06:00 firing, in the 25-hour window that follows. */
const REPORTED = '2012-10-27T05:30:00.000Z';
const HOUR = 3_600_000;

let stores: Awaited<ReturnType<typeof freshStores>>;
let outbox: string;

beforeAll(async () => {
  stores = await freshStores({ generationCacheMs: 0 });
  outbox = mkdtempSync(join(tmpdir(), 'storyline-outbox-'));
  const stories = createStoryService(stores.events, () => new Date('2012-10-29T12:00:00Z'));
  const common = { subject: 'test-editor', correlationId: 'test' };
  await stories.append({ storyId, events: [{ type: 'StoryOpened', data: { storyId, title: 'Clocks go back', summary: 'A story reported in the hour a wrong zone loses.', topics: ['diplomacy'] } }], ...common });
  await stories.append({
    storyId,
    events: [...fixtureActors, { type: 'MeetingHeld', reportedAt: REPORTED, data: developmentData('Talks at dawn', { meetingId: 'dawn-talks', participants: ['russia', 'pakistan'], place: 'Moscow', outcome: 'Talks.' }) }],
    ...common,
  });
  await createProjector(stores.events, stores.readModels).project(await stores.events.readStream(storyStreamId(storyId)));
});
afterAll(async () => {
  await stores.tables.drop();
  rmSync(outbox, { recursive: true, force: true });
});

const deps = (now: number): DigestDependencies => ({ events: stores.events, readModels: stores.readModels, mailer: createOutboxMailer(outbox), now: () => new Date(now) });

describe(`daily digests in ${ZONE} across the end of summer time`, () => {
  it('cover every hour exactly once, each window named by its zone, and carry the development reported in the hour after the BST firing', async () => {
    const daily = digestSchedules.find((s) => s.period === 'daily');
    if (!daily) throw new Error('no daily schedule');
    // the firings EventBridge Scheduler (and the local scheduler) make for the daily schedule in that zone
    const firings: number[] = [];
    for (let after = Date.parse('2012-10-25T12:00:00Z'); firings.length < 4; ) firings.push((after = nextFiring({ ...daily, timezone: ZONE }, after)));
    expect(firings.map((f) => new Date(f).toISOString())).toEqual(['2012-10-26T05:00:00.000Z', '2012-10-27T05:00:00.000Z', '2012-10-28T06:00:00.000Z', '2012-10-29T06:00:00.000Z']);

    const windows: { start: string; end: string; timezone?: string }[] = [];
    for (const firing of firings) {
      const outcome = await publishDigest(deps(firing + 60_000), 'daily', new Date(firing).toISOString(), ZONE);
      if (outcome.status === 'empty') windows.push(outcome.window);
    }
    const published = (await stores.events.readStream(digestStreamId('daily'))) as RecordedEvent<EventOf<'DigestPublished'>>[];
    windows.push(...published.map((d) => d.data.window));
    windows.sort((a, b) => (a.start < b.start ? -1 : 1));

    expect(windows.map((w) => [w.start, w.end])).toEqual([
      ['2012-10-25T05:00:00.000Z', '2012-10-26T05:00:00.000Z'],
      ['2012-10-26T05:00:00.000Z', '2012-10-27T05:00:00.000Z'],
      ['2012-10-27T05:00:00.000Z', '2012-10-28T06:00:00.000Z'],
      ['2012-10-28T06:00:00.000Z', '2012-10-29T06:00:00.000Z'],
    ]);
    for (let hour = Date.parse(windows[0]!.start); hour < Date.parse(windows[windows.length - 1]!.end); hour += HOUR) {
      const instant = new Date(hour).toISOString();
      expect({ instant, windows: windows.filter((w) => w.start <= instant && instant < w.end).length }).toEqual({ instant, windows: 1 });
    }
    expect(published).toHaveLength(1);
    expect(published[0]?.data.window).toEqual({ start: '2012-10-27T05:00:00.000Z', end: '2012-10-28T06:00:00.000Z', timezone: ZONE });
    expect(published[0]?.data.developments).toHaveLength(1);
  });

  it('refuses a firing in a zone that does not exist', async () => {
    await expect(publishDigest(deps(Date.parse('2012-10-29T06:01:00Z')), 'daily', '2012-10-29T06:00:00Z', 'Mars/Olympus')).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ field: 'timezone', message: expect.stringContaining('IANA') }],
    });
  });
});
