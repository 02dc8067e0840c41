import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The Universal Feed Parser (Debian's python3-feedparser), run on a document: what a real
 * reader makes of our feeds. Uses the system python, where apt installs the package.
 */
export const SYSTEM_PYTHON = '/usr/bin/python3';
/** Its environment: the system python must not pick up a pyenv's or virtualenv's site packages. */
export const SYSTEM_PYTHON_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };

export interface ParsedEntry {
  id?: string | null;
  title?: string | null;
  link?: string | null;
  links: { rel?: string; href?: string; type?: string }[];
  published?: string | null;
  /** `published` as read by feedparser, as an ISO instant. */
  published_parsed?: string | null;
  updated?: string | null;
  updated_parsed?: string | null;
  summary?: string | null;
  content: { type?: string; value: string }[];
  tags: string[];
}

export interface ParsedFeed {
  bozo: boolean;
  bozo_exception?: string | null;
  version: string;
  encoding?: string | null;
  namespaces: Record<string, string>;
  feed: {
    id?: string | null;
    title?: string | null;
    link?: string | null;
    subtitle?: string | null;
    updated?: string | null;
    updated_parsed?: string | null;
    ttl?: string | null;
    links: { rel?: string; href?: string; type?: string }[];
  };
  entries: ParsedEntry[];
}

const SCRIPT = String.raw`
import calendar, datetime, json, sys
try:
    import feedparser
except ImportError:
    sys.stderr.write("MISSING_FEEDPARSER\n")
    sys.exit(3)

def instant(t):
    if not t:
        return None
    return datetime.datetime.fromtimestamp(calendar.timegm(t), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

def links(d):
    return [{"rel": l.get("rel"), "href": l.get("href"), "type": l.get("type")} for l in d.get("links", [])]

d = feedparser.parse(sys.stdin.buffer.read())
f = d.feed
out = {
    "bozo": bool(d.bozo),
    "bozo_exception": str(d.get("bozo_exception")) if d.bozo else None,
    "version": d.version,
    "encoding": d.get("encoding"),
    "namespaces": dict(d.get("namespaces", {})),
    "feed": {
        "id": f.get("id"), "title": f.get("title"), "link": f.get("link"), "subtitle": f.get("subtitle"),
        "updated": f.get("updated"), "updated_parsed": instant(f.get("updated_parsed")), "ttl": f.get("ttl"),
        "links": links(f),
    },
    "entries": [{
        "id": e.get("id"), "title": e.get("title"), "link": e.get("link"), "links": links(e),
        "published": e.get("published"), "published_parsed": instant(e.get("published_parsed")),
        "updated": e.get("updated"), "updated_parsed": instant(e.get("updated_parsed")),
        "summary": e.get("summary"),
        "content": [{"type": c.get("type"), "value": c.get("value")} for c in e.get("content", [])],
        "tags": [t.get("term") for t in e.get("tags", [])],
    } for e in d.entries],
}
json.dump(out, sys.stdout)
`;

/**
 * Parses a feed document with feedparser. Rejects (so the test fails) when feedparser is not installed.
 * Asynchronous: the end-to-end files run the HTTP host in the same process, and a parse that blocked
 * its event loop for seconds let the host close a kept-alive connection just as fetch sent on it (ECONNRESET).
 */
export async function parseWithFeedparser(document: string): Promise<ParsedFeed> {
  const missing = `python3-feedparser is not installed for ${SYSTEM_PYTHON}: run \`apt-get update && apt-get install -y python3-feedparser\``;
  if (!existsSync(SYSTEM_PYTHON)) throw new Error(`${SYSTEM_PYTHON} not found; ${missing}`);
  const child = spawn(SYSTEM_PYTHON, ['-c', SCRIPT], { env: SYSTEM_PYTHON_ENV, timeout: 30_000 });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  // a python that exits before reading (feedparser missing) closes the pipe: its status says why, not the EPIPE
  child.stdin.on('error', () => undefined);
  const status = await new Promise<number | null>((done, fail) => {
    child.once('error', (error) => fail(new Error(`could not run ${SYSTEM_PYTHON}: ${error.message}`)));
    child.once('close', done);
    child.stdin.end(Buffer.from(document, 'utf8'));
  });
  const errors = Buffer.concat(stderr).toString('utf8');
  if (status === 3 && errors.includes('MISSING_FEEDPARSER')) throw new Error(missing);
  if (status !== 0) throw new Error(`feedparser failed (exit ${String(status)}): ${errors}`);
  return JSON.parse(Buffer.concat(stdout).toString('utf8')) as ParsedFeed;
}
