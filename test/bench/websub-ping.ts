import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENV } from '../../contracts/env';
import { startStoryline } from '../support/runtime';
import { commentary, openBenchStories } from './append';
import { percentile, round } from './stats';

/**
 * How soon a WebSub hub hears of an append: `npx tsx test/bench/websub-ping.ts [appends]`.
 * The local runtime as `npm start` runs it (stream polled every 250 ms, the folder queue's pinger
 * every 200 ms) with one hub, on a story of its own, a stub on a free port that records each publish ping; each append is
 * timed from the API's 201 to the hub's receipt of the ping for the story's RSS feed. Appends are a
 * second apart, so each is its own batch.
 */

const APPENDS = Number(process.argv[2] ?? 20);

const main = async () => {
  const received = new Map<string, number[]>();
  const hub = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const url = new URLSearchParams(body).get('hub.url') ?? '';
      received.set(url, [...(received.get(url) ?? []), performance.now()]);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  process.env[ENV.websubHubs] = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/`;
  const app = await startStoryline({ pollIntervalMs: 250 });
  const [storyId] = await openBenchStories(app.baseUrl, app.token, 1, 'websub-ping');
  const feedUrl = `${app.baseUrl}/stories/${storyId}/feed.rss`;
  // the story's opening pings too: start from a quiet queue
  await new Promise((r) => setTimeout(r, 2000));
  const latencies: number[] = [];
  try {
    for (let i = 0; i < APPENDS; i++) {
      const before = received.get(feedUrl)?.length ?? 0;
      const res = await fetch(`${app.baseUrl}/stories/${storyId}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [commentary(storyId!, i)] }),
      });
      const acknowledged = performance.now();
      if (res.status !== 201) throw new Error(`append ${i}: ${res.status} ${await res.text()}`);
      const deadline = acknowledged + 10_000;
      while ((received.get(feedUrl)?.length ?? 0) <= before && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const pinged = received.get(feedUrl)?.[before];
      if (pinged === undefined) throw new Error(`append ${i}: no ping within 10 s`);
      latencies.push(pinged - acknowledged);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await app.stop();
    hub.close();
  }
  console.log(`WebSub: append (201) to the hub's ping of the story feed, ${APPENDS} appends: p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms, max ${round(Math.max(...latencies))} ms`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
