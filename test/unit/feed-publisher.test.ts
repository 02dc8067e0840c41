import { actorFeedKey, ALL_FEED_KEY, storyFeedKey, topicFeedKey } from '../../events/projections';
import type { ItemWrite } from '../../events/projections/collections';
import type { EventStore } from '../../functions/adapters/event-store';
import type { ReadModelStore, StoredDocument } from '../../functions/adapters/read-model-store';
import { createProjector } from '../../functions/projector';
import { summitStory } from '../support/projection-fixtures';

/**
 * Hubs hear of a changed feed before the change is written (functions/projection/feed-publisher.ts):
 * a crash in between leaves a redelivery that notifies again, never a change no hub was told of.
 * A store double records the order of notifications and writes; DynamoDB has nothing to add here.
 */

const recordingStore = (log: string[]) => {
  const docs = new Map<string, StoredDocument<unknown>>();
  const found = <T>(keys: string[]) => new Map(keys.flatMap((key) => (docs.has(key) ? [[key, docs.get(key) as StoredDocument<T>] as const] : [])));
  const store: ReadModelStore = {
    generation: () => Promise.resolve(1),
    schema: () => Promise.resolve(undefined),
    get: <T>(key: string) => Promise.resolve(docs.get(key) as StoredDocument<T> | undefined),
    getMany: <T>(keys: string[]) => Promise.resolve(found<T>(keys)),
    getManyCurrent: <T>(keys: string[]) => Promise.resolve({ generation: 1, docs: found<T>(keys) }),
    // the documents are whole here: nothing more to read
    readEntries: <T>(read: readonly StoredDocument<T>[]) => Promise.resolve(new Map(read.map((doc) => [doc.key, doc]))),
    getTimelineVersion: () => Promise.resolve(undefined),
    put: ({ key, value, rev }) => {
      log.push(`put ${key}`);
      docs.set(key, { key, value, rev: rev + 1 });
      return Promise.resolve();
    },
    writeItems: (writes: readonly ItemWrite[]) => {
      log.push(...new Set(writes.map((w) => `items ${w.key}`)));
      return Promise.resolve();
    },
    putFresh: () => Promise.resolve(),
    switchGeneration: () => Promise.resolve(),
    dropGenerationsBefore: () => Promise.resolve(0),
  };
  return store;
};

describe('a batch that changes feeds', () => {
  it('notifies hubs of each changed feed once, before any of its writes', async () => {
    const log: string[] = [];
    const story = summitStory();
    const first = story.events.slice(0, story.planned.version - 1);
    const projector = createProjector({} as EventStore, recordingStore(log), { onFeedChanged: (key) => Promise.resolve(void log.push(`notify ${key}`)) });
    await projector.project(first);
    log.length = 0;

    await projector.project(story.events.slice(0, story.planned.version));
    const notified = log.filter((line) => line.startsWith('notify '));
    const firstWrite = log.findIndex((line) => !line.startsWith('notify '));
    expect(firstWrite).toBe(notified.length);
    const { planned } = story;
    if (planned?.type !== 'VisitPlanned') throw new Error('the fixture changed: its planned visit is gone');
    expect(notified.sort()).toEqual(
      [ALL_FEED_KEY, storyFeedKey('summit'), ...planned.data.topics.map(topicFeedKey), ...planned.data.visitors.map(actorFeedKey)].map((key) => `notify ${key}`).sort(),
    );
  });
});
