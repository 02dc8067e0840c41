import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { startHttpHost } from '../../infra/local/http-host';

/** The local host's request log prints the path and the status, never a token from a subscription link. */

test('a request with ?token= is logged without the token', async () => {
  const lines: string[] = [];
  const seen: string[] = [];
  const server = await startHttpHost({
    port: 0,
    loadHandler: () => Promise.resolve((event: { queryStringParameters?: Record<string, string> }) => {
      seen.push(event.queryStringParameters?.token ?? '');
      return Promise.resolve({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
    }),
    publicKey: generateKeyPairSync('ed25519').publicKey,
    log: (line: string) => lines.push(line),
  } as unknown as Parameters<typeof startHttpHost>[0]);
  try {
    const { port } = server.address() as AddressInfo;
    const token = 'bS5rMC5zaWQuMQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
    const res = await fetch(`http://127.0.0.1:${port}/subscriptions/confirm?token=${token}&x=1`);
    expect(res.status).toBe(200);
    // the handler got it; the log did not
    expect(seen).toEqual([token]);
    expect(lines).toEqual([expect.stringMatching(/^GET \/subscriptions\/confirm\?token=\[redacted\]&x=1 200 /)]);
    expect(lines.join('\n')).not.toContain(token);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
