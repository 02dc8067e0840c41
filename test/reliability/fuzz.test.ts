import fc from 'fast-check';
import { eventTypes } from '../../events/catalog/events';
import { MAX_EVENTS_PER_APPEND } from '../../functions/adapters/event-store';
import { apiClient, developmentData, type ApiClient } from '../support/api';
import { unsafeHtml, xmlProblems } from '../support/feed-fixtures';
import { readLog } from '../support/reliability-ledger';
import { eventually, startStoryline, type RunningStoryline } from '../support/runtime';
import { report } from '../support/report';

/**
 * Bad input, fuzzed: thousands of append bodies with wrong types, missing fields, unknown types,
 * huge strings, deep nesting, invalid UTF-8 and prototype-pollution keys each get a 4xx problem
 * document, never a 5xx; valid appends of hostile text mixed in get 201, and every feed they reach
 * still parses strictly. Bodies go 16 at a time against one runtime.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20120929);
const CONCURRENCY = 16;
const RUNS = 128; // x 16 bodies = 2,048
const TARGET = 'fuzz-target';
/** Actors and topics named like Object.prototype's members: read models keyed by them must hold. */
const PROTO_SLUGS = ['constructor', 'prototype', 'tostring', 'hasownproperty', 'valueof'];

let app: RunningStoryline;
let api: ApiClient;

interface FuzzCase {
  /** What is wrong with it, in general (for the tally) and in particular. */
  family: string;
  kind: string;
  /** The body: a value sent as JSON, or raw bytes / text sent as they are. */
  body: { json: unknown } | { raw: Buffer | string };
  contentType?: string | null;
  path?: string;
  /** Valid appends (of hostile text) must be accepted; everything else refused with a 4xx. */
  valid: boolean;
}

// --- what a valid append looks like -------------------------------------------------------------

let meetings = 0;
const meetingEvent = (overrides: Record<string, unknown> = {}) => ({
  type: 'MeetingHeld',
  data: developmentData('A meeting', { meetingId: `fuzz-meeting-${++meetings}`, participants: ['russia', 'pakistan'], place: 'Moscow', outcome: 'Talks were held.', ...overrides }),
});
const validBody = () => ({ events: [meetingEvent()] });

/** Sets (or, with `remove`, deletes) the value at `path` in a copy of `body`. */
const edit = (body: unknown, path: readonly (string | number)[], value: unknown, remove = false): unknown => {
  const copy = structuredClone(body) as Record<string | number, any>;
  let at: any = copy;
  for (const key of path.slice(0, -1)) at = at[key];
  const last = path[path.length - 1] as string | number;
  if (remove) delete at[last];
  // an own property even for "__proto__", as JSON.parse would make it
  else Object.defineProperty(at, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};

// --- hostile text ---------------------------------------------------------------------------------

const HOSTILE_BITS = [
  ']]>',
  '<![CDATA[',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '&amp;',
  '&#0;',
  '&#xFFFE;',
  '"\'',
  '\u0000',
  '\u0007',
  '\u000b',
  '\u001f',
  '\ud800',
  '\udc00',
  '\ud83d\ude00',
  '\uFFFE',
  '\uFFFF',
  '\u202e',
  '\u2028',
  '\r\n',
  'javascript:alert(1)',
  '{{constructor}}',
  '__proto__',
];
const hostileText = (max: number) =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_BITS), fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ maxLength: 20 })), { minLength: 1, maxLength: 12 })
    .map((parts) => `H ${parts.join('')}`.slice(0, max));

const hostileValid: fc.Arbitrary<FuzzCase> = fc
  .record({
    headline: hostileText(300),
    summary: hostileText(2000),
    place: hostileText(200),
    outcome: hostileText(2000),
    outlet: hostileText(200),
    quote: hostileText(2000),
    query: fc.string({ maxLength: 30 }),
    slugs: fc.subarray(PROTO_SLUGS, { minLength: 1 }),
  })
  .map(({ headline, summary, place, outcome, outlet, quote, query, slugs }) => ({
    family: 'hostile text (valid)',
    kind: 'hostile text, valid',
    valid: true,
    body: {
      json: {
        events: [
          meetingEvent({
            headline,
            summary,
            place,
            outcome,
            places: [place],
            actors: ['russia', ...slugs],
            participants: slugs,
            topics: ['diplomacy', ...slugs],
            sources: [{ outlet, quote, url: `https://news.example.org/a?q=${encodeURIComponent(query)}&x="<y>"` }],
          }),
        ],
      },
    },
  }));

// --- invalid bodies -------------------------------------------------------------------------------

const notString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }));
const notArray = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string(), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 3 }));
const notObject = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string(), fc.array(fc.integer(), { maxLength: 3 }));

/** Paths into a valid body with values that are never valid there. */
const wrongTypes: fc.Arbitrary<FuzzCase> = fc
  .oneof(
    fc.tuple(fc.constant(['events']), notArray),
    fc.tuple(fc.constant(['events', 0]), notObject),
    fc.tuple(fc.constant(['events', 0, 'type']), notString),
    fc.tuple(fc.constant(['events', 0, 'data']), notObject),
    fc.tuple(fc.constantFrom(['events', 0, 'data', 'headline'], ['events', 0, 'data', 'summary'], ['events', 0, 'data', 'place'], ['events', 0, 'data', 'meetingId']), notString),
    fc.tuple(fc.constantFrom(['events', 0, 'data', 'actors'], ['events', 0, 'data', 'sources'], ['events', 0, 'data', 'participants'], ['events', 0, 'data', 'topics']), notArray),
    fc.tuple(fc.constant(['events', 0, 'data', 'occurred']), notObject),
    fc.tuple(fc.constant(['events', 0, 'data', 'occurred', 'start']), fc.oneof(notString, fc.string().filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s)))),
    fc.tuple(fc.constant(['events', 0, 'data', 'occurred', 'precision']), fc.oneof(notString, fc.string().filter((s) => !['day', 'month', 'year'].includes(s)))),
    fc.tuple(fc.constant(['events', 0, 'data', 'confidence']), fc.oneof(notString, fc.string().filter((s) => !['confirmed', 'reported', 'speculation'].includes(s)))),
    fc.tuple(fc.constant(['events', 0, 'data', 'sources', 0, 'url']), fc.oneof(notString, fc.constantFrom('javascript:alert(1)', 'data:text/html,<script>', 'ftp://x', 'not a url', ''))),
    fc.tuple(fc.constant(['events', 0, 'data', 'actors', 0]), fc.oneof(notString, fc.constantFrom('Russia', 'a b', '-x', '', '__proto__', 'x'.repeat(101)))),
    fc.tuple(fc.constant(['events', 0, 'id']), fc.oneof(notString, fc.string().filter((s) => !/^[0-9a-f-]{36}$/i.test(s)))),
    fc.tuple(fc.constant(['events', 0, 'reportedAt']), fc.oneof(notString, fc.constantFrom('2012-02-30T00:00:00Z', 'yesterday', '2999-01-01T00:00:00Z', '', '2012-10-04'))),
    fc.tuple(fc.constant(['expectedVersion']), fc.oneof(fc.string(), fc.constant(-1), fc.double({ min: 0.1, max: 1e6, noInteger: true }), fc.boolean(), fc.constant(null), fc.array(fc.integer()))),
  )
  .map(([path, value]) => ({ family: 'wrong type', kind: `wrong type at ${path.join('.')}`, valid: false, body: { json: edit(validBody(), path, value) } }));

const REQUIRED = [
  ['events'],
  ['events', 0, 'type'],
  ['events', 0, 'data'],
  ...['headline', 'summary', 'occurred', 'actors', 'places', 'topics', 'sources', 'confidence', 'meetingId', 'participants', 'place', 'outcome'].map((k) => ['events', 0, 'data', k]),
  ['events', 0, 'data', 'occurred', 'start'],
  ['events', 0, 'data', 'sources', 0, 'outlet'],
] as (string | number)[][];
const missingFields: fc.Arbitrary<FuzzCase> = fc
  .constantFrom(...REQUIRED)
  .map((path) => ({ family: 'missing field', kind: `missing ${path.join('.')}`, valid: false, body: { json: edit(validBody(), path, undefined, true) } }));

const unknownTypes: fc.Arbitrary<FuzzCase> = fc
  .oneof(
    fc.string({ maxLength: 120 }),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'meetingheld', 'MeetingHeld ', 'DigestPublished', 'StoryOpened'),
  )
  .filter((type) => !eventTypes.includes(type as never))
  .map((type) => ({ family: 'unknown type', kind: `unknown type ${JSON.stringify(type).slice(0, 40)}`, valid: false, body: { json: { events: [{ ...meetingEvent(), type }] } } }));

/** Event types appended with data of another type's shape (wrong for theirs). */
const mismatchedData: fc.Arbitrary<FuzzCase> = fc
  .constantFrom(...eventTypes.filter((t) => t !== 'MeetingHeld'))
  .map((type) => ({ family: 'data of another type', kind: `${type} with a meeting's data`, valid: false, body: { json: { events: [{ ...meetingEvent(), type }] } } }));

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype'];
const pollution: fc.Arbitrary<FuzzCase> = fc
  .tuple(
    fc.constantFrom<(string | number)[]>([], ['events', 0], ['events', 0, 'data'], ['events', 0, 'data', 'occurred'], ['events', 0, 'data', 'sources', 0]),
    fc.constantFrom(...POLLUTING_KEYS),
    fc.oneof(
      fc.constant({ polluted: 'yes', isAdmin: true, expectedVersion: 0 }),
      fc.constant({ prototype: { polluted: 'yes' } }),
      fc.constant({ toString: 'x', valueOf: 1 }),
      fc.constant('polluted'),
    ),
  )
  .map(([at, key, value]) => ({ family: 'prototype pollution', kind: `${key} key at ${at.join('.') || 'top'}`, valid: false, body: { json: edit(validBody(), [...at, key], value) } }));

const hugeStrings: fc.Arbitrary<FuzzCase> = fc
  .oneof(
    fc.tuple(fc.constant(['events', 0, 'data', 'headline']), fc.integer({ min: 301, max: 50_000 })),
    fc.tuple(fc.constant(['events', 0, 'data', 'summary']), fc.integer({ min: 10_001, max: 60_000 })),
    fc.tuple(fc.constant(['events', 0, 'data', 'place']), fc.integer({ min: 201, max: 20_000 })),
    fc.tuple(fc.constant(['events', 0, 'type']), fc.integer({ min: 101, max: 20_000 })),
    fc.tuple(fc.constant(['events', 0, 'data', 'summary']), fc.integer({ min: 70_000, max: 300_000 })), // past the 64 KiB body limit: 413
  )
  .chain(([path, length]) => fc.constantFrom('x', 'é', '😀', '<', '\u0000').map((unit) => ({ path, text: unit.repeat(length) })))
  .map(({ path, text }) => ({ family: 'huge string', kind: `huge string (${text.length}) at ${path.join('.')}`, valid: false, body: { json: edit(validBody(), path, text) } }));

const tooManyEvents: fc.Arbitrary<FuzzCase> = fc
  .integer({ min: MAX_EVENTS_PER_APPEND + 1, max: MAX_EVENTS_PER_APPEND + 70 })
  .map((n) => ({ family: 'too many events', kind: `${n} events`, valid: false, body: { json: { events: Array.from({ length: n }, () => ({ type: 'MeetingHeld', data: { headline: 'x' } })) } } }));

const deepNesting: fc.Arbitrary<FuzzCase> = fc
  .tuple(fc.integer({ min: 100, max: 30_000 }), fc.constantFrom('array', 'object', 'in-data', 'in-events'))
  .map(([depth, where]) => {
    const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const raw =
      where === 'array'
        ? arrays
        : where === 'object'
          ? objects
          : where === 'in-data'
            ? `{"events":[{"type":"MeetingHeld","data":${objects}}]}`
            : `{"events":${arrays}}`;
    return { family: 'deep nesting', kind: `nested ${depth} deep (${where})`, valid: false, body: { raw } };
  });

/** Byte sequences that are not UTF-8: a stray continuation byte, an overlong '/', an encoded surrogate, a truncated sequence, bytes UTF-8 never uses. */
const INVALID_UTF8 = [[0x80], [0xff], [0xfe], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3]];
const invalidUtf8: fc.Arbitrary<FuzzCase> = fc
  .tuple(fc.constantFrom(...INVALID_UTF8), fc.constantFrom('headline', 'summary', 'place', 'key'))
  .map(([bytes, where]) => {
    const marker = 'INVALIDBYTESHERE';
    const text = where === 'key' ? JSON.stringify(validBody()).replace('"events"', `"ev${marker}ents"`) : JSON.stringify(edit(validBody(), ['events', 0, 'data', where], `before ${marker} after`));
    const [before = '', after = ''] = text.split(marker);
    return { family: 'invalid UTF-8', kind: `invalid UTF-8 ${bytes.map((b) => b.toString(16)).join(' ')} in ${where}`, valid: false, body: { raw: Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]) } };
  });

const notJson: fc.Arbitrary<FuzzCase> = fc
  .oneof(
    fc.string({ maxLength: 200 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    }),
    fc.constantFrom('', '{', '{"events":[', 'null', 'true', '42', '"events"', '[]', '{"events":[]}', '{}', "{'events':[]}", '{"events":[{"type":"MeetingHeld","data":{}}],}', 'NaN', '\ufeff{"events":[]}'),
  )
  .map((raw) => ({ family: 'not an append request', kind: `not an append request: ${raw.slice(0, 40)}`, valid: false, body: { raw } }));

const wrongContentType: fc.Arbitrary<FuzzCase> = fc
  .constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', null)
  .map((contentType) => ({ family: 'wrong content type', kind: `content type ${contentType}`, valid: false, contentType, body: { json: validBody() } }));

const badPaths: fc.Arbitrary<FuzzCase> = fc
  .oneof(fc.constantFrom('Fuzz-Target', 'constructor', '__proto__', 'not-opened-yet', '%00', 'a%2Fb', 'x'.repeat(101), '..'), fc.string({ minLength: 1, maxLength: 30 }).map(encodeURIComponent))
  .map((storyId) => ({ family: 'bad story path', kind: `story ${storyId.slice(0, 40)}`, valid: false, path: `/stories/${storyId}/events`, body: { json: validBody() } }));

/** Rule violations the decider refuses (422): actors never identified, a second opening of the story. */
const ruleViolations: fc.Arbitrary<FuzzCase> = fc
  .oneof(
    fc.constantFrom('nobody', 'constructor-x', 'tostring-x').map((actor) => ({ events: [meetingEvent({ actors: [actor] })] })),
    fc.constant({ events: [{ type: 'StoryOpened', data: { storyId: TARGET, title: 'Again', summary: 'x', topics: [] } }] }),
  )
  .map((json) => ({ family: 'rule broken', kind: 'rule broken', valid: false, body: { json } }));

const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { arbitrary: wrongTypes, weight: 6 },
  { arbitrary: missingFields, weight: 3 },
  { arbitrary: unknownTypes, weight: 2 },
  { arbitrary: mismatchedData, weight: 1 },
  { arbitrary: pollution, weight: 3 },
  { arbitrary: hugeStrings, weight: 2 },
  { arbitrary: tooManyEvents, weight: 1 },
  { arbitrary: deepNesting, weight: 2 },
  { arbitrary: invalidUtf8, weight: 2 },
  { arbitrary: notJson, weight: 2 },
  { arbitrary: wrongContentType, weight: 1 },
  { arbitrary: badPaths, weight: 1 },
  { arbitrary: ruleViolations, weight: 1 },
  { arbitrary: hostileValid, weight: 2 },
);

// --- sending and judging --------------------------------------------------------------------------

/** A stack trace or a path of the server's in a response. */
const LEAK = /\n\s+at |\bat .+\.(ts|js):\d+|node_modules|\/work\//;

const accepted: string[] = [];
let sent = 0;
const kinds = new Map<string, number>();

/** Why the answer to `c` is wrong, or undefined. */
const judge = async (c: FuzzCase): Promise<string | undefined> => {
  sent++;
  kinds.set(c.family, (kinds.get(c.family) ?? 0) + 1);
  const contentType = c.contentType === undefined ? 'application/json' : c.contentType;
  const body = 'json' in c.body ? JSON.stringify(c.body.json) : c.body.raw;
  const res = await fetch(`${app.baseUrl}${c.path ?? `/stories/${TARGET}/events`}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${app.token}`, ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  });
  const text = await res.text();
  const describe = `${c.kind}: ${res.status} ${text.slice(0, 300)}`;
  if (c.valid) {
    if (res.status !== 201) return `expected 201 for ${describe}`;
    accepted.push(...(JSON.parse(text).events as { id: string }[]).map((e) => e.id));
    return undefined;
  }
  if (res.status < 400 || res.status > 499) return `expected a 4xx for ${describe}`;
  if (res.headers.get('content-type') !== 'application/problem+json') return `not a problem document (${res.headers.get('content-type')}) for ${describe}`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return `unparseable problem document for ${describe}`;
  }
  if (typeof problem.type !== 'string' || typeof problem.title !== 'string' || typeof problem.detail !== 'string' || problem.status !== res.status) {
    return `incomplete problem document for ${describe}`;
  }
  if (LEAK.test(text)) return `the server's internals leak in ${describe}`;
  return undefined;
};

beforeAll(async () => {
  app = await startStoryline();
  api = apiClient(app);
  const opened = await api.openStory(TARGET, { title: 'Fuzzed', summary: 'A story that receives hostile input.', topics: ['diplomacy'] });
  expect(opened.status).toBe(201);
  const actors = ['russia', 'pakistan', ...PROTO_SLUGS].map((actorId) => ({ type: 'ActorIdentified', data: { actorId, name: `<b>${actorId}</b> ]]> \u0000`, aliases: ['__proto__'], kind: 'organisation' } }));
  const identified = await api.append(TARGET, { expectedVersion: 1, events: actors });
  expect(identified.status).toBe(201);
});
afterAll(() => app?.stop());

it(`${RUNS * CONCURRENCY} fuzzed append bodies, ${CONCURRENCY} at a time: a 4xx problem document for each bad one, never a 5xx; 201 for the valid ones (seed ${SEED})`, async () => {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  await fc.assert(
    fc.asyncProperty(fc.array(fuzzCase, { minLength: CONCURRENCY, maxLength: CONCURRENCY }), async (cases) => {
      const wrong = (await Promise.all(cases.map(judge))).filter((problem) => problem !== undefined);
      if (wrong.length) throw new Error(wrong.join('\n'));
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  report(`fuzz: ${sent} bodies sent, ${accepted.length} valid ones accepted; by kind ${JSON.stringify(Object.fromEntries([...kinds].sort((a, b) => b[1] - a[1])))}`);
  expect(sent).toBeGreaterThanOrEqual(2000);
  expect(accepted.length).toBeGreaterThan(0);
  // the server runs in this process: nothing reached Object.prototype
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
}, 300_000);

it('hostile text appended successfully never breaks a feed: each one that carries it still parses strictly', async () => {
  const log = await readLog(api, TARGET);
  expect(log.map((e) => e.id)).toEqual(expect.arrayContaining(accepted));
  // refused bodies wrote nothing: the log is the opening, the actors and the accepted appends
  expect(log).toHaveLength(1 + 2 + PROTO_SLUGS.length + accepted.length);
  await eventually(async () => (await api.get(`/stories/${TARGET}/timeline`)).json?.version === log.length, { timeoutMs: 60_000, intervalMs: 200 });

  const newest = accepted[accepted.length - 1] ?? '';
  const feeds = [`/stories/${TARGET}`, '', '/topics/diplomacy', ...PROTO_SLUGS.flatMap((slug) => [`/topics/${slug}`, `/actors/${slug}`])];
  for (const feed of feeds) {
    for (const format of ['rss', 'atom'] as const) {
      const res = await api.get(`${feed}/feed.${format}`);
      expect({ feed, format, status: res.status }).toEqual({ feed, format, status: 200 });
      expect({ feed, format, problem: xmlProblems(res.text) }).toEqual({ feed, format, problem: undefined });
    }
    const json = await api.get(`${feed}/feed.json`);
    expect({ feed, status: json.status, parsed: json.json !== undefined }).toEqual({ feed, status: 200, parsed: true });
    for (const item of json.json.items as { content_html?: string }[]) expect(unsafeHtml(item.content_html ?? '')).toEqual([]);
  }
  // the story's feed carries the latest hostile development
  expect((await api.get(`/stories/${TARGET}/feed.json`)).json.items.map((i: { id: string }) => i.id)).toContain(`urn:uuid:${newest}`);
  // and the read API still answers for prototype-named actors
  for (const slug of PROTO_SLUGS) expect((await api.get(`/actors/${slug}`)).status).toBe(200);
});
