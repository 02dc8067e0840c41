import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { readModelsTable } from '../../contracts/tables';
import { READ_MODEL_SCHEMA, storyFeedKey, type FeedModel } from '../../events/projections';
import { createStoryService } from '../../functions/story-service';
import { rebuildOlderShape } from '../../infra/local/read-model-shape';
import { freshStores } from '../support/dynamodb';
import { meetingHeld, openStory, storyId } from '../support/fixtures';

/**
 * Read models stored in an older shape are rebuilt on start (infra/local/runtime.ts): here, a
 * generation written before the shape was recorded, whose feed items still carry URL paths.
 */

it('rebuilds read models of an older shape once, into the current shape', async () => {
  const { tables, events, readModels } = await freshStores();
  try {
    await createStoryService(events).append({ storyId, events: [...openStory, meetingHeld], subject: 'test', correlationId: 'test' });
    // what an older version left: a pointer without a shape, a feed whose items hold paths
    await tables.client.send(new PutItemCommand({ TableName: tables.names.readModels, Item: { [readModelsTable.partitionKey.name]: { S: '$generation' }, [readModelsTable.sortKey.name]: { N: '0' }, current: { N: '1' } } }));
    await readModels.put({ key: storyFeedKey(storyId), value: { key: `story/${storyId}`, path: `/stories/${storyId}/feed`, entries: [{ id: 'x', path: '/old' }], applied: {} }, rev: 0 }, 1);
    expect(await readModels.schema()).toBeUndefined();

    const first = await rebuildOlderShape(events, readModels);
    expect(first).toMatchObject({ from: undefined, rebuilt: { events: openStory.length + 1 } });
    expect(await readModels.schema()).toBe(READ_MODEL_SCHEMA);
    const feed = (await readModels.get<FeedModel>(storyFeedKey(storyId)))?.value;
    expect(feed?.entries.map((e) => e.id)).toEqual([meetingHeld.id]);
    expect(JSON.stringify(feed)).not.toContain('"path"');

    expect(await rebuildOlderShape(events, readModels)).toBeUndefined();
  } finally {
    await tables.drop();
  }
});
