import type { DynamoDBRecord } from 'aws-lambda';
import { foldAll, storyFeedKey, type FeedModel } from '../../events/projections';
import { ENV } from '../../contracts/env';
import type { EventStore } from '../../functions/adapters/event-store';
import { toEventItem } from '../../functions/adapters/event-items';
import { StaleDocumentError, type ReadModelStore, type StoredDocument } from '../../functions/adapters/read-model-store';
import { logger } from '../../functions/logger';
import { feedPublisher, FeedNotPublishedError } from '../../functions/projection/feed-publisher';
import { createProjector } from '../../functions/projector';
import { summitStory } from '../support/projection-fixtures';

/**
 * A feed whose rendering another projector keeps replacing with an older one is not published in
 * silence: after its bounded attempts the projector logs the feed's key and fails, so that the batch
 * item fails and is retried or dead-lettered. DynamoDB Local cannot be made to answer "stale" on
 * every write: a read-model store double does, for the renderings only.
 */

/** Documents in memory, guarded by revision like the real store; every write of a rendering is stale. */
const renderingsAlwaysStale = () => {
  const docs = new Map<string, StoredDocument<unknown>>();
  let renderingWrites = 0;
  const store: ReadModelStore = {
    generation: async () => 1,
    schema: async () => undefined,
    get: async <T>(key: string) => docs.get(key) as StoredDocument<T> | undefined,
    getMany: async <T>(keys: string[]) => new Map(keys.flatMap((key) => (docs.has(key) ? [[key, docs.get(key) as StoredDocument<T>] as const] : []))),
    put: async ({ key, value, rev }) => {
      if (key.startsWith('rendered/')) {
        renderingWrites++;
        throw new StaleDocumentError(`document ${key} changed since revision ${rev}`);
      }
      if ((docs.get(key)?.rev ?? 0) !== rev) throw new StaleDocumentError(`document ${key} changed since revision ${rev}`);
      docs.set(key, { key, value, rev: rev + 1 });
    },
    putFresh: async () => undefined,
    switchGeneration: async () => undefined,
    dropGenerationsBefore: async () => 0,
  };
  return { store, renderingWrites: () => renderingWrites };
};

const story = summitStory();
const feedKey = storyFeedKey('summit');

let errors: jest.SpyInstance;
beforeEach(() => {
  errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('a feed whose rendering stays stale', () => {
  it('is given up after bounded attempts: logged with the feed key, and raised', async () => {
    const { store, renderingWrites } = renderingsAlwaysStale();
    const publication = await feedPublisher(store, () => new Date('2026-05-04T12:00:00Z')).forBatch([feedKey], 1);
    const feed = { key: feedKey, value: foldAll(story.events).get(feedKey) as FeedModel, rev: 2 };

    await expect(publication.changed(feed)).rejects.toEqual(new FeedNotPublishedError(feedKey, 2));
    expect(renderingWrites()).toBe(20);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('feed publication gave up'), expect.objectContaining({ feedKey, feedRev: 2 }));
  });

  it('fails the stream batch at the first record that changes the feed, which Lambda then retries or dead-letters', async () => {
    process.env[ENV.eventsTable] = 'events-unused';
    process.env[ENV.readModelsTable] = 'read-models-unused';
    const { projectBatch } = await import('../../functions/handlers/projector');
    const { store } = renderingsAlwaysStale();
    const projector = createProjector({} as EventStore, store);
    const records: DynamoDBRecord[] = story.events.slice(0, story.planned.version + 1).map((event) => ({
      eventName: 'INSERT',
      dynamodb: { Keys: { streamId: { S: event.streamId }, version: { N: String(event.version) } }, NewImage: toEventItem(event) as never, SequenceNumber: String(100 + event.version) },
    }));

    const response = await projectBatch(projector, { Records: records });
    // the story's events before its first development change no feed; the development changes the story's feed
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: String(100 + story.planned.version) }]);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining('feed publication gave up'), expect.objectContaining({ feedKey }));
  });
});
