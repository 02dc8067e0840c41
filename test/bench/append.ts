import { randomUUID } from 'node:crypto';
import { CreateTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../infra/table-schema';
import { eventsTable } from '../../contracts/tables';
import { closedLoop, percentile, round, type Figure } from './stats';

/**
 * Appends through the HTTP API (16 writers over 100 stories) against the limit: raw conditional
 * PutItem calls on the same DynamoDB Local, same concurrency, same item size.
 */

export const commentary = (storyId: string, n: number) => ({
  type: 'CommentaryPublished',
  data: {
    outlet: 'bench-outlet',
    quote: `Benchmark quote ${n} for ${storyId}.`,
    headline: `Benchmark development ${n} of ${storyId}`,
    summary: `A development appended by the benchmark (${n}).`,
    occurred: { start: '2026-11', precision: 'month' },
    actors: [],
    places: ['Islamabad'],
    topics: ['bench'],
    sources: [{ outlet: 'Bench Wire', quote: `Quote ${n}.` }],
    confidence: 'reported',
  },
});

export const openBenchStories = async (baseUrl: string, token: string, count: number, prefix: string): Promise<string[]> => {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  for (let i = 0; i < ids.length; i += 10) {
    await Promise.all(
      ids.slice(i, i + 10).map(async (storyId) => {
        await fetch(`${baseUrl}/stories/${storyId}`, { method: 'PUT', headers, body: JSON.stringify({ title: `Bench ${storyId}`, summary: 'A benchmark story.', topics: ['bench'] }) });
        const res = await fetch(`${baseUrl}/stories/${storyId}/events`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ events: [{ type: 'ActorIdentified', data: { actorId: 'bench-outlet', name: 'Bench Outlet', aliases: [], kind: 'outlet' } }] }),
        });
        if (res.status !== 201 && res.status !== 200) throw new Error(`bench setup failed: ${res.status} ${await res.text()}`);
      }),
    );
  }
  return ids;
};

export const benchAppend = async ({ baseUrl, token, dynamo, durationMs }: { baseUrl: string; token: string; dynamo: DynamoDBClient; durationMs: number }): Promise<Figure[]> => {
  const stories = await openBenchStories(baseUrl, token, 100, `append-${randomUUID().slice(0, 4)}`);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let n = 0;
  const http = await closedLoop(16, durationMs, async () => {
    const storyId = stories[Math.floor(Math.random() * stories.length)]!;
    const res = await fetch(`${baseUrl}/stories/${storyId}/events`, { method: 'POST', headers, body: JSON.stringify({ events: [commentary(storyId, n++)] }) });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(String(res.status));
  });

  const table = `bench-raw-${randomUUID().slice(0, 6)}`;
  await dynamo.send(new CreateTableCommand(createTableInput(eventsTable, table)));
  const payload = JSON.stringify(commentary('raw', 0).data);
  const versions = new Map<number, number>();
  const raw = await closedLoop(16, durationMs, async (worker) => {
    const version = (versions.get(worker) ?? 0) + 1;
    versions.set(worker, version);
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: { streamId: { S: `raw-${worker}` }, version: { N: String(version) }, eventId: { S: randomUUID() }, type: { S: 'CommentaryPublished' }, data: { S: payload } },
        ConditionExpression: 'attribute_not_exists(streamId)',
      }),
    );
  });

  const rate = (r: typeof http) => r.latencies.length / (r.elapsedMs / 1000);
  const httpRate = rate(http);
  const rawRate = rate(raw);
  const httpP50 = percentile(http.latencies, 50);
  const httpP99 = percentile(http.latencies, 99);
  const rawP50 = percentile(raw.latencies, 50);
  const rawP99 = percentile(raw.latencies, 99);
  return [
    { name: 'append throughput (HTTP, 16 writers, 100 stories)', value: round(httpRate), unit: 'events/s', baseline: round(rawRate), baselineName: 'raw conditional PutItem', ratio: round(httpRate / rawRate, 2), target: '>= 0.40', met: httpRate / rawRate >= 0.4 },
    { name: 'append latency p50', value: round(httpP50), unit: 'ms', baseline: round(rawP50), baselineName: 'raw PutItem p50', ratio: round(httpP50 / rawP50, 2) },
    { name: 'append latency p99', value: round(httpP99), unit: 'ms', baseline: round(rawP99), baselineName: 'raw PutItem p99', ratio: round(httpP99 / rawP99, 2), target: '<= 3.0', met: httpP99 / rawP99 <= 3 },
    ...(http.errors ? [{ name: 'append errors', value: http.errors, unit: 'requests', baseline: raw.errors, baselineName: 'raw errors', ratio: 0 }] : []),
  ];
};
