import { randomUUID } from 'node:crypto';
import { developmentData, fixtureActors, type ApiClient, type ApiResponse } from './api';

/**
 * The client side of the reliability tests: appends that carry what is needed to find them in the
 * log again (a unique headline per development), a record of every answer, and the checks that
 * nothing answered 201/200 was lost or duplicated and nothing else was written.
 */

export interface Answered {
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  json: any;
}

export interface SentAppend {
  storyId: string;
  /** One signature per event sent (see `signatureOf`): how the event is found in the log. */
  signatures: string[];
  body: { expectedVersion?: number; events: { id?: string; type: string; data: Record<string, unknown> }[] };
  key?: string;
  /** Every answer, in order (a 503 is re-sent, the same request, after its Retry-After). */
  answers: Answered[];
}

/** How an event is recognised in a story's log: developments by their (unique) headline. */
export const signatureOf = (storyId: string, event: { type: string; data: any }): string => {
  switch (event.type) {
    case 'StoryOpened':
      return `open:${storyId}`;
    case 'ActorIdentified':
      return `actor:${storyId}:${event.data.actorId}`;
    default:
      return `headline:${event.data.headline}`;
  }
};

let counter = 0;
/** A MeetingHeld development with a headline no other event has. */
export const uniqueMeeting = (tag: string) => {
  const n = ++counter;
  return {
    type: 'MeetingHeld',
    data: developmentData(`${tag} development ${n} ${randomUUID().slice(0, 8)}`, {
      meetingId: `meeting-${n}`,
      participants: ['russia', 'pakistan'],
      place: 'Moscow',
      outcome: 'Talks were held.',
    }),
  };
};

/** The events that open a story with the fixture actors, in one append. */
export const openingEvents = (storyId: string) => [
  { type: 'StoryOpened', data: { storyId, title: `Story ${storyId}`, summary: `What ${storyId} is about.`, topics: ['diplomacy'] } },
  ...fixtureActors,
];

const answerOf = (res: ApiResponse): Answered => ({ status: res.status, retryAfter: res.headers.get('retry-after'), contentType: res.headers.get('content-type'), json: res.json });

export const finalAnswer = (sent: SentAppend): Answered | undefined => sent.answers[sent.answers.length - 1];
export const succeeded = (sent: SentAppend): boolean => [200, 201].includes(finalAnswer(sent)?.status ?? 0);

/**
 * Sends an append; a 503 is re-sent unchanged (same ids or Idempotency-Key) after its Retry-After,
 * at most `maxSends` times in all. `after503` runs after each 503, before the re-send.
 */
export const sendAppend = async (
  api: ApiClient,
  sent: SentAppend,
  { maxSends = 30, after503 }: { maxSends?: number; after503?: (sent: SentAppend) => Promise<void> } = {},
): Promise<SentAppend> => {
  for (let i = 0; i < maxSends; i++) {
    const res = await api.append(sent.storyId, sent.body, sent.key ? { headers: { 'idempotency-key': sent.key } } : {});
    const answer = answerOf(res);
    sent.answers.push(answer);
    if (answer.status !== 503) return sent;
    await after503?.(sent);
    const seconds = Number(answer.retryAfter);
    await new Promise((r) => setTimeout(r, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000));
  }
  return sent;
};

export type AppendMode = 'head' | 'ids' | 'key' | 'expected';

/** An append of `events` in one of the ways a client can send it. */
export const prepareAppend = (storyId: string, events: { type: string; data: Record<string, unknown> }[], mode: AppendMode, expectedVersion?: number): SentAppend => {
  const withIds = mode === 'ids' || mode === 'expected';
  return {
    storyId,
    signatures: events.map((e) => signatureOf(storyId, e)),
    body: {
      ...(mode === 'expected' && expectedVersion !== undefined ? { expectedVersion } : {}),
      events: events.map((e) => (withIds ? { id: randomUUID(), ...e } : e)),
    },
    ...(mode === 'key' ? { key: `reliability-${randomUUID()}` } : {}),
    answers: [],
  };
};

export interface LoggedEvent {
  version: number;
  id: string;
  type: string;
  data: any;
}

/** The whole log of a story, page by page. */
export const readLog = async (api: ApiClient, storyId: string): Promise<LoggedEvent[]> => {
  const events: LoggedEvent[] = [];
  let path: string | undefined = `/stories/${storyId}/events?limit=1000`;
  while (path) {
    const res = await api.get(path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text.slice(0, 200)}`);
    events.push(...(res.json.events as LoggedEvent[]));
    path = res.json.next;
  }
  return events;
};

/** Runs `work` over `items`, at most `limit` at a time. */
export const inBatches = async <T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i] as T, i);
      }
    }),
  );
  return results;
};

/** Signatures of a batch found in a log: how many of them are there (an atomic append: none or all). */
export const presentIn = (log: LoggedEvent[], storyId: string, signatures: string[]): number => {
  const inLog = new Set(log.map((e) => signatureOf(storyId, e)));
  return signatures.filter((s) => inLog.has(s)).length;
};

/**
 * What must hold of the event table after the run, as a list of problems (empty when all is well):
 * each story's versions run 1..n without a gap; every event id is stored once; every event of every
 * append answered 201/200 is stored once, with the id and version the answer gave (and the id the
 * client chose, when it chose one); nothing of an append that was refused is stored; and nothing is
 * stored that no append sent (`preexisting` signatures excepted).
 */
export const ledgerProblems = (logs: Map<string, LoggedEvent[]>, sent: SentAppend[], preexisting: Set<string> = new Set()): string[] => {
  const problems: string[] = [];
  const idCount = new Map<string, number>();
  const bySignature = new Map<string, LoggedEvent[]>();
  for (const [storyId, log] of logs) {
    log.forEach((event, i) => {
      if (event.version !== i + 1) problems.push(`${storyId}: the event at position ${i + 1} has version ${event.version}`);
      idCount.set(event.id, (idCount.get(event.id) ?? 0) + 1);
      const signature = `${storyId}|${signatureOf(storyId, event)}`;
      bySignature.set(signature, [...(bySignature.get(signature) ?? []), event]);
    });
  }
  for (const [id, count] of idCount) if (count > 1) problems.push(`event id ${id} is stored ${count} times`);
  const claimed = new Set<string>();
  for (const request of sent) {
    const answer = finalAnswer(request);
    const keys = request.signatures.map((s) => `${request.storyId}|${s}`);
    if (answer && (answer.status === 201 || answer.status === 200)) {
      const events = (answer.json?.events ?? []) as { id: string; version: number }[];
      if (events.length !== keys.length) problems.push(`${request.storyId}: an append of ${keys.length} events was answered ${answer.status} with ${events.length}`);
      keys.forEach((key, i) => {
        claimed.add(key);
        const stored = bySignature.get(key) ?? [];
        const said = events[i];
        if (stored.length !== 1) problems.push(`${key}: answered ${answer.status} but stored ${stored.length} times`);
        else if (said && (stored[0]?.id !== said.id || stored[0]?.version !== said.version)) {
          problems.push(`${key}: answered as ${said.id}@${said.version}, stored as ${stored[0]?.id}@${stored[0]?.version}`);
        }
        const chosen = request.body.events[i]?.id;
        if (chosen !== undefined && said && said.id !== chosen) problems.push(`${key}: sent with id ${chosen}, answered with ${said.id}`);
      });
    } else {
      for (const key of keys) {
        if ((bySignature.get(key) ?? []).length > 0) problems.push(`${key}: its append was answered ${answer?.status ?? 'nothing'} but it is stored`);
        claimed.add(key);
      }
    }
  }
  for (const [key, events] of bySignature) {
    if (!claimed.has(key) && !preexisting.has(key)) problems.push(`${key}: stored (${events.map((e) => e.id).join(', ')}) but no append sent it`);
  }
  return problems;
};

/**
 * How far the read models are from the logs, as a list of problems: each story's timeline at the
 * log's head with every development and actor of the log, and the story list at the same version.
 */
export const readModelProblems = async (api: ApiClient, logs: Map<string, LoggedEvent[]>, concurrency = 16): Promise<string[]> => {
  const problems: string[] = [];
  const listed = await api.get('/stories');
  const versions = new Map<string, number>(((listed.json?.stories ?? []) as { storyId: string; version: number }[]).map((s) => [s.storyId, s.version]));
  await inBatches([...logs], concurrency, async ([storyId, log]) => {
    if (log.length === 0) return;
    if (versions.get(storyId) !== log.length) problems.push(`${storyId}: listed at version ${versions.get(storyId)}, its log is at ${log.length}`);
    const res = await api.get(`/stories/${storyId}/timeline`);
    if (res.status !== 200) {
      problems.push(`${storyId}: timeline ${res.status}`);
      return;
    }
    const timeline = res.json as { version: number; entries: { id: string; version: number }[]; actors: { eventId: string }[] };
    if (timeline.version !== log.length) problems.push(`${storyId}: timeline at version ${timeline.version}, its log is at ${log.length}`);
    const entries = new Map(timeline.entries.map((e) => [e.id, e.version]));
    const actors = new Set(timeline.actors.map((a) => a.eventId));
    for (const event of log) {
      if (event.type === 'ActorIdentified' && !actors.has(event.id)) problems.push(`${storyId}: actor event ${event.id} missing from the timeline`);
      if (event.type === 'MeetingHeld' && entries.get(event.id) !== event.version) problems.push(`${storyId}: development ${event.id}@${event.version} missing from the timeline`);
    }
  });
  return problems;
};
