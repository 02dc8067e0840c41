import { createServer, type Server } from 'node:http';
import autocannon from 'autocannon';
import { round, type Figure } from './stats';

/**
 * Feed reads under autocannon: the 50-item RSS feed of a story, answered 200 and (with
 * If-None-Match) 304, against a plain Node HTTP server sending the same bytes (the limit).
 */

const load = (url: string, headers: Record<string, string>, durationSeconds: number) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ url, connections: 16, duration: durationSeconds, headers }, (error, result) => (error ? reject(error) : resolve(result)));
  });

/** `label`: what is read, when it is not a feed (a page): the figures are named by it. */
export const benchFeeds = async ({ feedUrl, durationSeconds, label }: { feedUrl: string; durationSeconds: number; label?: string }): Promise<Figure[]> => {
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

  const ours200 = await load(feedUrl, {}, durationSeconds);
  const base200 = await load(plainUrl, {}, durationSeconds);
  const ours304 = await load(feedUrl, { 'if-none-match': etag }, durationSeconds);
  const base304 = await load(plainUrl, { 'if-none-match': etag }, durationSeconds);
  await new Promise<void>((r) => plain.close(() => r()));

  const ok = (r: autocannon.Result, status: '2xx' | '3xx') => r[status] > 0 && r.non2xx === (status === '2xx' ? 0 : r[status]);
  for (const [name, result, status] of [['200', ours200, '2xx'], ['304', ours304, '3xx']] as const) {
    if (!ok(result, status)) throw new Error(`feed benchmark (${name}) got unexpected statuses: 2xx ${result['2xx']}, 3xx ${result['3xx']}, 4xx ${result['4xx']}, 5xx ${result['5xx']}, errors ${result.errors}, timeouts ${result.timeouts}`);
  }
  const fig = (name: string, ours: autocannon.Result, base: autocannon.Result, target: number): Figure[] => [
    { name: label ? `${label} ${name} (${Math.round(body.length / 1024)} KiB)` : `feed reads ${name} (${items}-item RSS, ${Math.round(body.length / 1024)} KiB)`, value: round(ours.requests.average), unit: 'req/s', baseline: round(base.requests.average), baselineName: 'plain Node server, same bytes', ratio: round(ours.requests.average / base.requests.average, 2), target: `>= ${target}`, met: ours.requests.average / base.requests.average >= target },
    { name: `${label ?? 'feed reads'} ${name} p99`, value: ours.latency.p99, unit: 'ms', baseline: base.latency.p99, baselineName: 'plain Node server p99', ratio: round(ours.latency.p99 / Math.max(base.latency.p99, 1), 2) },
  ];
  return [...fig('200', ours200, base200, 0.5), ...fig('304', ours304, base304, 0.6)];
};
