import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import autocannon from 'autocannon';
import { freePort } from '../support/ports';
import { startHttpHost } from '../../infra/local/http-host';
import { commentary, openBenchStories } from './append';
import { median, round, type Figure } from './stats';

/**
 * Feed (or page) reads under autocannon: the 50-item RSS feed, answered 200 and (with If-None-Match) 304,
 * against the same local host serving the same status, headers and bytes from a handler that does
 * nothing (isolating our code), in interleaved rounds; the host's own overhead against a plain Node
 * server with the same bytes is reported beside it.
 */

const load = (url: string, headers: Record<string, string>, durationSeconds: number) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, connections: 16, duration: durationSeconds, headers }, (error, result) => (error ? reject(error as Error) : resolve(result)));
  });

/** Items of a feed page (MAX_FEED_ENTRIES), which the steady feed fills. */
const PAGE_ITEMS = 50;

/**
 * A story whose RSS feed is a full page that holds still, for the read figures: its developments are
 * reported an hour apart in the past. The all-stories feed does not hold still after the load steps:
 * thousands of items reported within seconds are dated a second apart, no more than a minute past the
 * time of rendering (events/projections/feed-dates.ts), so its dates, and its ETag, move every second
 * until the clock passes them. Answers the feed's URL once the projector has settled.
 */
export const seedSteadyFeed = async (baseUrl: string, token: string, settle: () => Promise<void>): Promise<string> => {
  const [storyId] = await openBenchStories(baseUrl, token, 1, 'bench-feed');
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const first = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < PAGE_ITEMS; i += 10) {
    const events = Array.from({ length: 10 }, (_, j) => ({ ...commentary(storyId!, `steady-${i + j}`), reportedAt: new Date(first + (i + j) * 3_600_000).toISOString() }));
    const res = await fetch(`${baseUrl}/stories/${storyId}/events`, { method: 'POST', headers, body: JSON.stringify({ events }) });
    if (res.status !== 201 && res.status !== 200) throw new Error(`bench setup failed: ${res.status} ${await res.text()}`);
  }
  await settle();
  return `${baseUrl}/stories/${storyId}/feed.rss`;
};

/**
 * `label`: what is read, when it is not a feed (a page): the figures are named by it. `targets`: the
 * least ratios to the do-nothing handler for 200 and 304.
 */
export const benchFeeds = async ({
  feedUrl,
  durationSeconds,
  label,
  targets = { ok: 0.7, notModified: 0.8 },
}: {
  feedUrl: string;
  durationSeconds: number;
  label?: string;
  targets?: { ok: number; notModified: number };
}): Promise<Figure[]> => {
  const sample = await fetch(feedUrl);
  const body = await sample.text();
  const etag = sample.headers.get('etag') ?? '';
  // all but the headers Node adds itself (the plain server's Node adds them too); its x-request-id is the sample's
  const own = (response: Response) =>
    Object.fromEntries([...response.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name)));
  const headers = own(sample);
  const notModified = await fetch(feedUrl, { headers: { 'if-none-match': etag } });
  if (notModified.status !== 304) throw new Error(`expected a 304 for If-None-Match ${etag}, got ${notModified.status}`);
  const headers304 = own(notModified);
  const items = (body.match(/<item>/g) ?? []).length;

  // the same status, headers and body bytes as ours, for both answers
  const plain: Server = createServer((req, res) => {
    if (req.headers['if-none-match'] === etag) res.writeHead(304, headers304).end();
    else res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
  const address = plain.address();
  const plainUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/feed.rss`;

  // the local host (API Gateway stand-in) with a handler that only answers the same bytes
  const hostPort = await freePort();
  const doNothing = await startHttpHost({
    port: hostPort,
    publicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
    logRequests: false,
    loadHandler: () => Promise.resolve((event) =>
      Promise.resolve(event.headers['if-none-match'] === etag ? { statusCode: 304, headers: headers304 } : { statusCode: 200, headers, body })),
  });
  const hostUrl = `http://127.0.0.1:${hostPort}${new URL(feedUrl).pathname}`;

  const rounds = { ours200: [] as autocannon.Result[], host200: [] as autocannon.Result[], plain200: [] as autocannon.Result[], ours304: [] as autocannon.Result[], host304: [] as autocannon.Result[], plain304: [] as autocannon.Result[] };
  const seconds = Math.max(1, Math.round(durationSeconds / 3));
  const conditional = { 'if-none-match': etag };
  const loads: [autocannon.Result[], string, Record<string, string>][][] = [
    [
      [rounds.ours200, feedUrl, {}],
      [rounds.host200, hostUrl, {}],
      [rounds.plain200, plainUrl, {}],
    ],
    [
      [rounds.ours304, feedUrl, conditional],
      [rounds.host304, hostUrl, conditional],
      [rounds.plain304, plainUrl, conditional],
    ],
  ];
  for (let r = 0; r < 3; r++) {
    // round r starts with server r of the three (interleave.ts rotate): none always meets the machine first
    for (const servers of loads) {
      for (let k = 0; k < servers.length; k++) {
        const [results, url, requestHeaders] = servers[(k + r) % servers.length]!;
        results.push(await load(url, requestHeaders, seconds));
      }
    }
  }
  await new Promise<void>((r) => plain.close(() => r()));
  await new Promise<void>((r) => doNothing.close(() => r()));
  const byMedian = (results: autocannon.Result[]) => {
    const sorted = [...results].sort((a, b) => a.requests.average - b.requests.average);
    return { ...(sorted[Math.floor(sorted.length / 2)] as autocannon.Result), spread: `${round(sorted[0]!.requests.average, 0)}-${round(sorted[sorted.length - 1]!.requests.average, 0)} req/s` };
  };
  const ours200 = byMedian(rounds.ours200);
  const ours304 = byMedian(rounds.ours304);

  const ok = (r: autocannon.Result, status: '2xx' | '3xx') => r[status] > 0 && r.non2xx === (status === '2xx' ? 0 : r[status]);
  for (const [name, result, status] of [['200', ours200, '2xx'], ['304', ours304, '3xx']] as const) {
    if (!ok(result, status)) throw new Error(`feed benchmark (${name}) got unexpected statuses: 2xx ${result['2xx']}, 3xx ${result['3xx']}, 4xx ${result['4xx']}, 5xx ${result['5xx']}, errors ${result.errors}, timeouts ${result.timeouts}`);
  }
  const fig = (name: string, all: { ours: autocannon.Result[]; host: autocannon.Result[]; plain: autocannon.Result[] }, target: number): Figure[] => {
    const rate = (rs: autocannon.Result[]) => median(rs.map((r) => r.requests.average));
    const ratios = all.ours.map((r, i) => r.requests.average / all.host[i]!.requests.average);
    const ours = rate(all.ours);
    const host = rate(all.host);
    const plain = rate(all.plain);
    const p99 = median(all.ours.map((r) => r.latency.p99));
    const hostP99 = median(all.host.map((r) => r.latency.p99));
    return [
      { name: `${label ?? 'feed reads'} ${name} (${label ? '' : `${items}-item RSS, `}${Math.round(body.length / 1024)} KiB)`, value: round(ours), unit: 'req/s', baseline: round(host), baselineName: 'same host, do-nothing handler, same bytes', ratio: round(ours / host, 2), spread: `${byMedian(all.ours).spread}; ratio ${round(Math.min(...ratios), 2)}-${round(Math.max(...ratios), 2)} (3 rounds)`, target: `>= ${target}`, met: ours / host >= target },
      { name: `${label ?? 'feed reads'} ${name} p99`, value: p99, unit: 'ms', baseline: hostP99, baselineName: 'do-nothing handler p99', ratio: round(p99 / Math.max(hostP99, 1), 2) },
      { name: `  the host itself (${name}, do-nothing handler)`, value: round(host), unit: 'req/s', baseline: round(plain), baselineName: 'plain Node server, same bytes (not tuned: never runs in AWS)', ratio: round(host / plain, 2) },
    ];
  };
  return [
    ...fig('200', { ours: rounds.ours200, host: rounds.host200, plain: rounds.plain200 }, targets.ok),
    ...fig('304', { ours: rounds.ours304, host: rounds.host304, plain: rounds.plain304 }, targets.notModified),
  ];
};
