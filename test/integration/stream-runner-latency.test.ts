import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createEventStore } from '../../functions/adapters/event-store';
import { startStreamRunner } from '../../infra/local/stream-runner';
import { freshTables, testEndpoint } from '../support/dynamodb';
import { actorIdentified, metadata, storyOpened } from '../support/story-events';

test('a record appended after a slow batch is still delivered', async () => {
  const tables = await freshTables(testEndpoint(), { streams: true });
  const store = createEventStore(tables.client, tables.names.events);
  const seen: string[] = [];
  const runner = await startStreamRunner({
    dynamo: tables.client, endpoint: testEndpoint(), tableName: tables.names.events, stateDir: mkdtempSync(join(tmpdir(), 'lat-')), pollIntervalMs: 50,
    handler: async ({ Records }) => {
      await new Promise((r) => setTimeout(r, 1500));
      for (const r of Records) if (r.dynamodb?.NewImage?.eventId?.S && !r.dynamodb.Keys?.streamId?.S?.startsWith('$')) seen.push(r.dynamodb.NewImage.eventId.S);
    },
  });
  const streamId = `story/l-${randomUUID().slice(0, 6)}`;
  await store.append({ streamId, expectedVersion: 0, events: [storyOpened('l')], metadata, recordedAt: new Date().toISOString() });
  await new Promise((r) => setTimeout(r, 500));
  const late = actorIdentified('late');
  await store.append({ streamId, expectedVersion: 1, events: [late], metadata, recordedAt: new Date().toISOString() });
  const deadline = Date.now() + 8000;
  while (!seen.includes(late.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(seen).toContain(late.id);
  await runner.stop();
  await tables.drop();
});
