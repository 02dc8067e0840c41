import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import type { DateSpan } from '../../events/catalog/development';
import type { EventData, EventType, RecordedEvent } from '../../events/catalog/events';
import { storyStreamId } from '../../events/streams';
import type { EventStore, NewEvent } from '../../functions/adapters/event-store';
import { at, dev, metadata, StoryLog } from './projection-fixtures';

/**
 * Random valid stories for the projection property and fault tests. A story is generated as a list
 * of abstract steps; each step becomes the command it names when the story allows it (a visit can be
 * cancelled only while planned, a correction needs an unretracted development...), otherwise an
 * actor identification or a commentary; the story is revised now and then. Every event is decided by the real decider (StoryLog), so
 * the log is one the system would accept. Actors and topics come from small pools, so that stories
 * share `actor/<id>`, `feed/actor/<id>` and `feed/topic/<t>` documents.
 */

export interface Step {
  action: number;
  a: number;
  b: number;
  c: number;
}

export const stepArb: fc.Arbitrary<Step> = fc.record({ action: fc.nat(99), a: fc.nat(999), b: fc.nat(999), c: fc.nat(999) });
export const storyStepsArb = (maxLength = 14): fc.Arbitrary<Step[]> => fc.array(stepArb, { minLength: Math.min(4, maxLength), maxLength, size: 'max' });

/** Actor id, the names it may be identified by (a story picks one), kind. */
const ACTORS: readonly [string, readonly string[], EventData<'ActorIdentified'>['kind']][] = [
  ['putin', ['Vladimir Putin', 'President Putin'], 'person'],
  ['lavrov', ['Sergey Lavrov'], 'person'],
  ['kayani', ['General Kayani', 'General Kiani'], 'person'],
  ['gazprom', ['Gazprom'], 'organisation'],
  ['russia', ['Russia', 'Russian Federation'], 'country'],
  ['pakistan', ['Pakistan'], 'country'],
  ['dawn', ['Dawn'], 'outlet'],
];
const TOPICS = ['diplomacy', 'defense', 'energy', 'steel', 'pipeline'] as const;
const SPANS: readonly DateSpan[] = [
  { start: '2012', precision: 'year' },
  { start: '2012-09', precision: 'month' },
  { start: '2012-10', precision: 'month' },
  { start: '2012-09-10', precision: 'day' },
  { start: '2012-10-02', end: '2012-10-03', precision: 'day' },
  { start: '2012-10-04', precision: 'day' },
];

const pick = <T>(items: readonly T[], n: number): T => {
  const item = items[n % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};
/** The items whose bit is set in n (possibly none). */
const subset = <T>(items: readonly T[], n: number): T[] => items.filter((_, i) => (n >> i) & 1);
const nonEmptySubset = <T>(items: readonly T[], n: number): T[] => {
  const chosen = subset(items, n);
  return chosen.length ? chosen : [pick(items, n)];
};

type VisitStatus = 'planned' | 'cancelled' | 'took-place';

/** The events of one story, from its steps, each decided against the story so far. */
export const buildStory = (storyId: string, steps: readonly Step[], newId: () => string = randomUUID): NewEvent[] => {
  const log = new StoryLog(storyId);
  const out: NewEvent[] = [];
  const record = <K extends EventType>(type: K, data: EventData<K>): RecordedEvent => {
    const event = log.record(type, data, { id: newId() });
    out.push({ id: event.id, type: event.type, data: event.data } as NewEvent);
    return event;
  };
  const actors: string[] = [];
  const visits = new Map<string, VisitStatus>();
  const developments: { id: string; retracted: boolean }[] = [];
  const agreements: string[] = [];
  let n = 0;

  const fields = (type: string, s: Step) => {
    n++;
    return dev({
      headline: `${type} #${n} of ${storyId}`,
      summary: `What happened (${n}).`,
      occurred: pick(SPANS, s.a + n),
      actors: subset(actors, s.b),
      topics: nonEmptySubset(TOPICS, s.c),
      confidence: pick(['confirmed', 'reported', 'speculation'] as const, s.c >> 5),
    });
  };
  const development = <K extends EventType>(type: K, data: EventData<K>) => developments.push({ id: record(type, data).id, retracted: false });

  const identify = (s: Step): boolean => {
    const candidates = ACTORS.filter(([id]) => !actors.includes(id));
    if (candidates.length === 0) return false;
    const [actorId, names, kind] = pick(candidates, s.a);
    const name = pick(names, s.b);
    record('ActorIdentified', { actorId, name, aliases: names.filter((other) => other !== name), kind });
    actors.push(actorId);
    return true;
  };
  const commentary = (s: Step): boolean => {
    if (actors.length === 0) return false;
    development('CommentaryPublished', { ...fields('CommentaryPublished', s), outlet: pick(actors, s.a), quote: `A comment (${n}).` });
    return true;
  };
  const visitsIn = (...statuses: VisitStatus[]) => [...visits].filter(([, status]) => statuses.includes(status)).map(([id]) => id);
  const open = () => developments.filter((d) => !d.retracted);

  const actions: ((s: Step) => boolean)[] = [
    identify,
    (s) => {
      if (actors.length === 0) return false;
      const visitId = `visit-${n + 1}`;
      development('VisitPlanned', {
        ...fields('VisitPlanned', s),
        visitId,
        visitors: nonEmptySubset(actors, s.a),
        destination: pick(['Islamabad', 'Moscow', 'Rawalpindi'], s.b),
        scheduled: pick(SPANS, s.c),
      });
      visits.set(visitId, 'planned');
      return true;
    },
    (s) => {
      const planned = visitsIn('planned');
      if (planned.length === 0) return false;
      development('VisitRescheduled', { ...fields('VisitRescheduled', s), visitId: pick(planned, s.a), scheduled: pick(SPANS, s.c + 1) });
      return true;
    },
    (s) => {
      const planned = visitsIn('planned');
      if (planned.length === 0) return false;
      const visitId = pick(planned, s.a);
      development('VisitCancelled', { ...fields('VisitCancelled', s), visitId, ...(s.c % 2 ? { reason: 'Not given' } : {}) });
      visits.set(visitId, 'cancelled');
      return true;
    },
    (s) => {
      const planned = visitsIn('planned');
      if (planned.length > 0 && s.c % 3 !== 0) {
        const visitId = pick(planned, s.a);
        development('VisitTookPlace', { ...fields('VisitTookPlace', s), visitId });
        visits.set(visitId, 'took-place');
        return true;
      }
      if (actors.length === 0) return false;
      const visitId = `visit-${n + 1}`;
      development('VisitTookPlace', { ...fields('VisitTookPlace', s), visitId, visitors: nonEmptySubset(actors, s.a), destination: 'Islamabad' });
      visits.set(visitId, 'took-place');
      return true;
    },
    (s) => {
      if (actors.length === 0) return false;
      development('MeetingHeld', { ...fields('MeetingHeld', s), meetingId: `meeting-${n + 1}`, participants: nonEmptySubset(actors, s.a), place: 'Rawalpindi', outcome: 'Talks.' });
      return true;
    },
    (s) => {
      if (actors.length < 2) return false;
      const agreementId = `agreement-${n + 1}`;
      const first = pick(actors, s.a);
      const second = pick(actors.filter((a) => a !== first), s.b);
      development('AgreementSigned', {
        ...fields('AgreementSigned', s),
        agreementId,
        kind: s.c % 2 ? 'mou' : 'agreement',
        title: `Agreement ${n}`,
        parties: [first, second],
        sector: pick(TOPICS, s.c),
      });
      agreements.push(agreementId);
      return true;
    },
    (s) => {
      if (actors.length === 0) return false;
      const amount = { currency: 'USD', min: (s.a % 5) * 100_000_000, max: (s.a % 5) * 100_000_000 + (s.b % 3) * 100_000_000 };
      development('AssistancePledged', {
        ...fields('AssistancePledged', s),
        pledgeId: `pledge-${n + 1}`,
        from: pick(actors, s.a),
        to: pick(actors, s.b),
        purpose: `Purpose ${n}`,
        ...(s.c % 3 === 0 ? { capacity: { value: 500, unit: 'MW' } } : { amount }),
        ...(agreements.length && s.c % 2 ? { agreementId: pick(agreements, s.a) } : {}),
      });
      return true;
    },
    (s) => {
      if (actors.length === 0) return false;
      development('InterestExpressed', {
        ...fields('InterestExpressed', s),
        interestId: `interest-${n + 1}`,
        party: pick(actors, s.a),
        project: 'Iran-Pakistan gas pipeline',
        ...(s.c % 2 ? { terms: 'Without bidding' } : {}),
      });
      return true;
    },
    (s) => {
      if (actors.length === 0) return false;
      development('NegotiationStalled', { ...fields('NegotiationStalled', s), project: `Project ${s.a % 3}`, parties: nonEmptySubset(actors, s.b) });
      return true;
    },
    commentary,
    (s) => {
      const targets = open();
      if (targets.length === 0) return false;
      const target = pick(targets, s.a);
      const which = (s.c % 15) + 1;
      const changes = {
        ...(which & 1 ? { headline: `Corrected headline ${n}` } : {}),
        ...(which & 2 ? { topics: subset(TOPICS, s.b) } : {}),
        ...(which & 4 ? { actors: subset(actors, s.b >> 3) } : {}),
        ...(which & 8 ? { occurred: pick(SPANS, s.b) } : {}),
      };
      n++;
      record('DevelopmentCorrected', { eventId: target.id, changes, note: `Correction ${n}.` });
      return true;
    },
    (s) => {
      const targets = open();
      if (targets.length === 0) return false;
      const target = pick(targets, s.a);
      n++;
      record('DevelopmentRetracted', { eventId: target.id, reason: `Not confirmed (${n}).` });
      target.retracted = true;
      return true;
    },
    // the story revised: its title, summary or topics (the story feed's title follows; topics alone rename nothing)
    (s) => {
      const which = (s.c % 7) + 1;
      const topics = nonEmptySubset(TOPICS, s.b);
      n++;
      const revision = {
        ...(which & 1 ? { title: `The ${storyId} story, revised (${n})` } : {}),
        ...(which & 2 ? { summary: `All about ${storyId}, revised (${n}).` } : {}),
        ...(which & 4 && topics.join(' ') !== storyTopics.join(' ') ? { topics } : {}),
      };
      if (Object.keys(revision).length === 0) return false;
      record('StoryRevised', revision);
      if (revision.topics) storyTopics = revision.topics;
      return true;
    },
  ];

  let storyTopics = nonEmptySubset(TOPICS, steps[0]?.c ?? 1);
  record('StoryOpened', { storyId, title: `The ${storyId} story`, summary: `All about ${storyId}.`, topics: storyTopics });
  for (const step of steps) {
    // corrections and retractions a bit more often than their share: they are what makes projections hard
    const index = step.action < 80 ? step.action % actions.length : step.action % 2 ? 11 : 12;
    const act = actions[index] ?? identify;
    if (!act(step) && !identify(step)) commentary(step);
  }
  return out;
};

/** A source of choices: an integer in 0..max. */
export type Choose = (max: number) => number;

/** A small seeded generator (mulberry32), for tests that want reproducible randomness outside fast-check. */
export const seededChoose = (seed: number): Choose => {
  let state = seed >>> 0;
  return (max) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(unit * (max + 1));
  };
};

/**
 * Appends the stories' events through the event store in chunks of 1-4 events, the stories'
 * chunks interleaved at random, each append recorded one minute after the one before (from
 * `firstMinute`); some events say they were reported earlier than recorded.
 */
export const appendInterleaved = async (
  store: EventStore,
  stories: { storyId: string; events: NewEvent[] }[],
  choose: Choose,
  firstMinute = 0,
): Promise<number> => {
  const pending = stories.map(({ storyId, events }) => ({ streamId: storyStreamId(storyId), events: [...events], version: 0 }));
  let minute = firstMinute;
  for (;;) {
    const open = pending.filter((p) => p.events.length > 0);
    if (open.length === 0) return minute;
    const stream = pick(open, choose(open.length - 1));
    const chunk = stream.events.splice(0, 1 + choose(3)).map((event) => (choose(3) === 0 ? { ...event, reportedAt: at(minute - 30 - choose(600)) } : event));
    minute++;
    await store.append({ streamId: stream.streamId, expectedVersion: stream.version, events: chunk, metadata, recordedAt: at(minute) });
    stream.version += chunk.length;
  }
};
