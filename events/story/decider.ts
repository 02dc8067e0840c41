import { actorRefs } from '../catalog/actor-refs';
import { isDevelopment, type DomainEvent, type EventData, type EventType } from '../catalog/events';
import { VISIT_STATUS_AFTER, isUpcoming, type VisitStatus } from '../catalog/visit-status';
import { RuleViolationError } from '../errors';
import { eventFingerprint } from '../fingerprint';
import { storyStreamId } from '../streams';
import { hashKey, idKey, mayHave, type EventFilter } from './event-filter';

/**
 * The story decider: decide(command, state) -> events, evolve(state, event) -> state, initialState.
 * A command proposes one event of the story (with its id); a repeated command returns [].
 */

export type StoryEvent = DomainEvent & { id: string };
export interface RecordCommand {
  type: 'Record';
  storyId: string;
  event: StoryEvent;
}
export type StoryCommand = RecordCommand;

interface KnownEvent {
  type: EventType;
  hash: string;
  retracted: boolean;
}

export type StoryState =
  | { status: 'unopened' }
  | {
      status: 'open';
      storyId: string;
      /** what the story is called and about, as last opened or revised */
      title: string;
      summary: string;
      topics: readonly string[];
      /** every event of the story by id (a Map: it grows with the story, and appends add to it in place) */
      events: ReadonlyMap<string, KnownEvent>;
      /** event ids by fingerprint: a repeat without an id (an open included) is recognised */
      byContent: ReadonlyMap<string, string>;
      actors: Readonly<Record<string, string>>;
      visits: Readonly<Record<string, VisitStatus>>;
      /** agreement, pledge, meeting and interest ids, by kind */
      ids: Readonly<Record<string, string>>;
      /**
       * Absent when `events` holds every event of the story. A state restored from a snapshot's head
       * holds the events after its segments alone, and this in place of the first `count`: a filter of
       * their ids and hashes, and which of them are retracted.
       */
      older?: OlderEvents;
    };

/** What a state knows of the events it does not hold. */
export interface OlderEvents {
  readonly count: number;
  readonly filter: EventFilter;
  readonly retracted: readonly string[];
}

/**
 * Deciding needed an event this state does not hold: its filter says an id or content hash may be
 * one of the older events. The caller decides again on the whole state (the answer is never guessed).
 */
export class OlderEventsNeeded extends Error {
  override readonly name = 'OlderEventsNeeded';
}

export const initialState: StoryState = { status: 'unopened' };

/**
 * The version of `evolve` and of the state's shape. Stored snapshots of a state are tagged with it and
 * ignored once it changes: bump it with any change to what evolve computes.
 */
export const deciderVersion = 5;

/** What makes two commands "the same": the event fingerprint of what they propose (type and data) in the story. */
export const fingerprintOf = (storyId: string, event: DomainEvent): string => eventFingerprint(storyStreamId(storyId), { type: event.type, data: event.data });

/** A record lookup that ignores inherited keys: an actor or visit id such as `constructor` is a valid slug. */
const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

const violation = (rule: string, message: string): never => {
  throw new RuleViolationError(rule, message);
};


/** The key under which an event claims a unique id (agreement, pledge, meeting, interest), if any. */
const claimedId = (event: DomainEvent): string | undefined => {
  switch (event.type) {
    case 'AgreementSigned':
      return `agreement:${event.data.agreementId}`;
    case 'AssistancePledged':
      return `pledge:${event.data.pledgeId}`;
    case 'MeetingHeld':
      return `meeting:${event.data.meetingId}`;
    case 'InterestExpressed':
      return `interest:${event.data.interestId}`;
    default:
      return undefined;
  }
};

/** Decides one command against what a state says (a state, or a batch's own events laid over one); `undefined` is an unopened story. */
const decideOn = (command: StoryCommand, state: Lookups | undefined): StoryEvent[] => {
  const { event, storyId } = command;
  if (state === undefined) {
    if (event.type !== 'StoryOpened') return violation('story-not-opened', `story ${storyId} must be opened before ${event.type}`);
    if (event.data.storyId !== storyId) return violation('story-id-mismatch', `StoryOpened names ${event.data.storyId}, not ${storyId}`);
    return [event];
  }
  if (storyId !== state.storyId) return violation('story-id-mismatch', `the command is for story ${storyId}, not ${state.storyId}`);
  const hash = fingerprintOf(storyId, event);
  const known = state.event(event.id);
  if (known) {
    if (known.hash === hash) return [];
    return violation('event-id-unique', `event ${event.id} already exists in story ${storyId} with other content`);
  }
  // a revision is judged by what it would change, not by its content: a title changed back is a change
  if (event.type === 'StoryRevised') return revises(event.data, state.head()) ? [event] : [];
  if (state.contentId(hash) !== undefined) return [];

  for (const actorId of actorRefs(event)) {
    if (state.actor(actorId) === undefined) return violation('actor-not-identified', `actor ${actorId} must be identified before it is referenced`);
  }
  const claim = claimedId(event);
  if (claim !== undefined && state.claimed(claim) !== undefined) return violation('id-unique', `${claim.replace(':', ' ')} already exists`);

  switch (event.type) {
    case 'StoryOpened':
      // the same open again was recognised by its fingerprint above
      return violation('story-already-opened', `story ${storyId} is already open`);
    case 'ActorIdentified':
      return state.actor(event.data.actorId) === undefined
        ? [event]
        : violation('actor-id-unique', `actor ${event.data.actorId} is already identified`);
    case 'VisitPlanned':
      return state.visit(event.data.visitId) === undefined ? [event] : violation('visit-id-unique', `visit ${event.data.visitId} already exists`);
    case 'VisitRescheduled':
    case 'VisitCancelled': {
      const status = state.visit(event.data.visitId);
      if (isUpcoming(status)) return [event];
      return violation(
        'visit-must-be-planned',
        `visit ${event.data.visitId} can be ${event.type === 'VisitCancelled' ? 'cancelled' : 'rescheduled'} only while planned (it is ${status ?? 'unknown'})`,
      );
    }
    case 'VisitTookPlace': {
      const status = state.visit(event.data.visitId);
      if (status === 'cancelled') return violation('cancelled-visit-cannot-take-place', `visit ${event.data.visitId} was cancelled`);
      if (status === 'took-place') return violation('visit-already-took-place', `visit ${event.data.visitId} already took place`);
      if (status === undefined && (event.data.visitors === undefined || event.data.destination === undefined)) {
        return violation('unplanned-visit-needs-visitors', `visit ${event.data.visitId} was not planned: visitors and destination are required`);
      }
      return [event];
    }
    case 'DevelopmentCorrected':
    case 'DevelopmentRetracted': {
      const target = state.event(event.data.eventId);
      const verb = event.type === 'DevelopmentCorrected' ? 'corrected' : 'retracted';
      if (!target) return violation('target-must-exist', `event ${event.data.eventId} is not an event of story ${storyId}`);
      if (!isDevelopmentType(target.type)) return violation('target-must-be-development', `a ${target.type} cannot be ${verb}`);
      if (target.retracted) return violation('target-retracted', `event ${event.data.eventId} is retracted and cannot be ${verb}`);
      return [event];
    }
    case 'DigestPublished':
      return violation('digest-not-in-story', 'digests are published in digest streams, not in a story');
    case 'MeetingHeld':
    case 'AgreementSigned':
    case 'AssistancePledged':
    case 'InterestExpressed':
    case 'NegotiationStalled':
    case 'CommentaryPublished':
      return [event];
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

/** Whether a revision changes anything the story says of itself (a repeat changes nothing: it is a no-op). */
const revises = (revision: EventData<'StoryRevised'>, story: StoryHead): boolean =>
  (revision.title !== undefined && revision.title !== story.title) ||
  (revision.summary !== undefined && revision.summary !== story.summary) ||
  (revision.topics !== undefined && revision.topics.join(' ') !== story.topics.join(' '));

const isDevelopmentType = (type: EventType): boolean => isDevelopment({ type } as DomainEvent);

type OpenState = Extract<StoryState, { status: 'open' }>;
type Draft = { -readonly [K in keyof OpenState]: OpenState[K] } & {
  older?: OlderEvents & { retracted: string[] };
  events: Map<string, KnownEvent>;
  byContent: Map<string, string>;
  actors: Record<string, string>;
  visits: Record<string, VisitStatus>;
  ids: Record<string, string>;
};

/** What the story says of itself. */
type StoryHead = Pick<OpenState, 'title' | 'summary' | 'topics'>;
const headOf = ({ title, summary, topics }: StoryHead): StoryHead => ({ title, summary, topics });

/** What deciding reads of a state: lookups by key, never the whole of it. */
interface Lookups {
  storyId: string;
  head: () => StoryHead;
  event(id: string): KnownEvent | undefined;
  contentId(hash: string): string | undefined;
  actor(actorId: string): string | undefined;
  visit(visitId: string): VisitStatus | undefined;
  claimed(key: string): string | undefined;
}

/** A key the state does not hold: absent for certain, or (the older events' filter says maybe) not known here. */
const notHeld = (state: OpenState, key: string): undefined => {
  if (state.older && mayHave(state.older.filter, key)) throw new OlderEventsNeeded(`story ${state.storyId} may hold ${key} among its first ${state.older.count} events`);
  return undefined;
};

const lookupsOf = (state: OpenState): Lookups => ({
  storyId: state.storyId,
  head: () => headOf(state),
  event: (id) => state.events.get(id) ?? notHeld(state, idKey(id)),
  contentId: (hash) => state.byContent.get(hash) ?? notHeld(state, hashKey(hash)),
  actor: (id) => own(state.actors, id),
  visit: (id) => own(state.visits, id),
  claimed: (key) => own(state.ids, key),
});

/** A batch's own events (`top`) laid over a state: what the batch says first, the state otherwise. */
const layered = (top: Draft, base: OpenState): Lookups => {
  const upper = lookupsOf(top);
  const lower = lookupsOf(base);
  return {
    storyId: base.storyId,
    // the overlay starts from the base's head (emptyDraft in decideAll), so it holds the newest
    head: upper.head,
    event: (id) => upper.event(id) ?? lower.event(id),
    contentId: (hash) => upper.contentId(hash) ?? lower.contentId(hash),
    actor: (id) => upper.actor(id) ?? lower.actor(id),
    visit: (id) => upper.visit(id) ?? lower.visit(id),
    claimed: (key) => upper.claimed(key) ?? lower.claimed(key),
  };
};

const NO_HEAD: StoryHead = { title: '', summary: '', topics: [] };
const emptyDraft = (storyId: string, head: StoryHead = NO_HEAD): Draft => ({ status: 'open', storyId, ...head, events: new Map(), byContent: new Map(), actors: {}, visits: {}, ids: {} });

/** Writes one event into a draft; what it needs of the state before it (a retraction's target) is read through `seen`. */
const apply = (draft: Draft, event: StoryEvent, seen: Pick<Lookups, 'event'> = { event: (id) => draft.events.get(id) }): void => {
  const hash = fingerprintOf(draft.storyId, event);
  draft.events.set(event.id, { type: event.type, hash, retracted: false });
  draft.byContent.set(hash, event.id);
  const claim = claimedId(event);
  if (claim !== undefined) draft.ids[claim] = event.id;
  switch (event.type) {
    case 'StoryOpened':
      draft.title = event.data.title;
      draft.summary = event.data.summary;
      draft.topics = event.data.topics;
      return;
    case 'StoryRevised':
      if (event.data.title !== undefined) draft.title = event.data.title;
      if (event.data.summary !== undefined) draft.summary = event.data.summary;
      if (event.data.topics !== undefined) draft.topics = event.data.topics;
      return;
    case 'ActorIdentified':
      draft.actors[event.data.actorId] = event.id;
      return;
    case 'VisitPlanned':
    case 'VisitRescheduled':
    case 'VisitCancelled':
    case 'VisitTookPlace':
      draft.visits[event.data.visitId] = VISIT_STATUS_AFTER[event.type];
      return;
    case 'DevelopmentRetracted': {
      const target = seen.event(event.data.eventId);
      if (target) draft.events.set(event.data.eventId, { ...target, retracted: true });
      // stored, so decided on the whole state: one of the events this state holds only as a filter
      else if (draft.older) draft.older.retracted.push(event.data.eventId);
      return;
    }
    default:
      return;
  }
};

/** The state after these events: written into a copy of the state handed in, or (`inPlace`) into that state itself. */
const foldEvents = (state: StoryState, events: readonly StoryEvent[], inPlace: boolean): StoryState => {
  let draft: Draft | undefined = inPlace && state.status === 'open' ? (state as Draft) : undefined;
  let current = state;
  for (const event of events) {
    if (current.status === 'unopened') {
      if (event.type !== 'StoryOpened') continue;
      current = draft = emptyDraft(event.data.storyId);
    } else if (!draft) {
      const { older, ...rest } = current;
      current = draft = {
        ...rest,
        events: new Map(current.events),
        byContent: new Map(current.byContent),
        actors: { ...current.actors },
        visits: { ...current.visits },
        ids: { ...current.ids },
        ...(older ? { older: { ...older, retracted: [...older.retracted] } } : {}),
      };
    }
    apply(draft, event);
  }
  return current;
};

/**
 * The state after these events. The state handed in is copied once, and the copy takes every event:
 * folding a story of n events costs O(n), not O(n^2) as copying the state for each event would.
 */
export const fold = (state: StoryState, events: readonly StoryEvent[]): StoryState => foldEvents(state, events, false);

/**
 * Applies stored events to a state its caller owns (a cache's), changing that state in place: it costs
 * what the events hold, whatever the story's length. Returns the state after them, which is the state
 * handed in unless the events open the story.
 */
export const advance = (state: StoryState, events: readonly StoryEvent[]): StoryState => foldEvents(state, events, true);

export const evolve = (state: StoryState, event: StoryEvent): StoryState => fold(state, [event]);

/** Whether the story holds an event of this id (OlderEventsNeeded when the state cannot tell). */
export const holdsEvent = (state: StoryState, id: string): boolean => state.status === 'open' && lookupsOf(state).event(id) !== undefined;

/** The id of the story's event that says what this one says, if any (OlderEventsNeeded when the state cannot tell). */
export const sameContentAs = (state: StoryState, storyId: string, event: DomainEvent): string | undefined =>
  state.status === 'open' ? lookupsOf(state).contentId(fingerprintOf(storyId, event)) : undefined;

/** Decides a command against a state. */
export const decide = (command: StoryCommand, state: StoryState): StoryEvent[] => decideOn(command, state.status === 'open' ? lookupsOf(state) : undefined);

/**
 * Decides a batch of commands against a state, each command seeing the events the previous ones
 * produced. Those are laid over the state (an overlay holding this batch's ids, hashes and claims
 * alone), never copied into it: deciding costs what the batch holds, whatever the story's length, and
 * leaves the state as it was. Once the events are stored, `advance` applies them to the state; `state`
 * here is the state after them, folded into a copy when asked for.
 */
export const decideAll = (commands: readonly StoryCommand[], state: StoryState): { events: StoryEvent[]; readonly state: StoryState } => {
  const base = state.status === 'open' ? state : undefined;
  let top: Draft | undefined;
  let seen = base && lookupsOf(base);
  const events: StoryEvent[] = [];
  for (const command of commands) {
    for (const event of decideOn(command, seen)) {
      events.push(event);
      if (!top) {
        // the first event of an unopened story is its StoryOpened: decideOn allows nothing else there
        top = emptyDraft(base?.storyId ?? (event.data as { storyId: string }).storyId, base && headOf(base));
        seen = base ? layered(top, base) : lookupsOf(top);
      }
      apply(top, event, seen);
    }
  }
  return {
    events,
    get state() {
      return fold(state, events);
    },
  };
};
