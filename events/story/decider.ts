import { actorRefs } from '../catalog/actor-refs';
import { isDevelopment, type DomainEvent, type EventData, type EventType } from '../catalog/events';
import { VISIT_STATUS_AFTER, isUpcoming, type VisitStatus } from '../catalog/visit-status';
import { RuleViolationError } from '../errors';
import { eventFingerprint } from '../fingerprint';
import { storyStreamId } from '../streams';

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
      /** every event of the story by id (a Map: it grows with the story, and a copy of a Map is cheap) */
      events: ReadonlyMap<string, KnownEvent>;
      /** event ids by fingerprint: a repeat without an id (an open included) is recognised */
      byContent: ReadonlyMap<string, string>;
      actors: Readonly<Record<string, string>>;
      visits: Readonly<Record<string, VisitStatus>>;
      /** agreement, pledge, meeting and interest ids, by kind */
      ids: Readonly<Record<string, string>>;
    };

export const initialState: StoryState = { status: 'unopened' };

/**
 * The version of `evolve` and of the state's shape. Stored snapshots of a state are tagged with it and
 * ignored once it changes: bump it with any change to what evolve computes.
 */
export const deciderVersion = 4;

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

export const decide = (command: StoryCommand, state: StoryState): StoryEvent[] => {
  const { event, storyId } = command;
  if (state.status === 'unopened') {
    if (event.type !== 'StoryOpened') return violation('story-not-opened', `story ${storyId} must be opened before ${event.type}`);
    if (event.data.storyId !== storyId) return violation('story-id-mismatch', `StoryOpened names ${event.data.storyId}, not ${storyId}`);
    return [event];
  }
  if (storyId !== state.storyId) return violation('story-id-mismatch', `the command is for story ${storyId}, not ${state.storyId}`);
  const hash = fingerprintOf(storyId, event);
  const known = state.events.get(event.id);
  if (known) {
    if (known.hash === hash) return [];
    return violation('event-id-unique', `event ${event.id} already exists in story ${storyId} with other content`);
  }
  // a revision is judged by what it would change, not by its content: a title changed back is a change
  if (event.type === 'StoryRevised') return revises(event.data, state) ? [event] : [];
  if (state.byContent.has(hash)) return [];

  for (const actorId of actorRefs(event)) {
    if (own(state.actors, actorId) === undefined) return violation('actor-not-identified', `actor ${actorId} must be identified before it is referenced`);
  }
  const claim = claimedId(event);
  if (claim !== undefined && own(state.ids, claim) !== undefined) return violation('id-unique', `${claim.replace(':', ' ')} already exists`);

  switch (event.type) {
    case 'StoryOpened':
      // the same open again was recognised by its fingerprint above
      return violation('story-already-opened', `story ${storyId} is already open`);
    case 'ActorIdentified':
      return own(state.actors, event.data.actorId) === undefined
        ? [event]
        : violation('actor-id-unique', `actor ${event.data.actorId} is already identified`);
    case 'VisitPlanned':
      return own(state.visits, event.data.visitId) === undefined ? [event] : violation('visit-id-unique', `visit ${event.data.visitId} already exists`);
    case 'VisitRescheduled':
    case 'VisitCancelled': {
      const status = own(state.visits, event.data.visitId);
      if (isUpcoming(status)) return [event];
      return violation(
        'visit-must-be-planned',
        `visit ${event.data.visitId} can be ${event.type === 'VisitCancelled' ? 'cancelled' : 'rescheduled'} only while planned (it is ${status ?? 'unknown'})`,
      );
    }
    case 'VisitTookPlace': {
      const status = own(state.visits, event.data.visitId);
      if (status === 'cancelled') return violation('cancelled-visit-cannot-take-place', `visit ${event.data.visitId} was cancelled`);
      if (status === 'took-place') return violation('visit-already-took-place', `visit ${event.data.visitId} already took place`);
      if (status === undefined && (event.data.visitors === undefined || event.data.destination === undefined)) {
        return violation('unplanned-visit-needs-visitors', `visit ${event.data.visitId} was not planned: visitors and destination are required`);
      }
      return [event];
    }
    case 'DevelopmentCorrected':
    case 'DevelopmentRetracted': {
      const target = state.events.get(event.data.eventId);
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
const revises = (revision: EventData<'StoryRevised'>, story: OpenState): boolean =>
  (revision.title !== undefined && revision.title !== story.title) ||
  (revision.summary !== undefined && revision.summary !== story.summary) ||
  (revision.topics !== undefined && revision.topics.join(' ') !== story.topics.join(' '));

const isDevelopmentType = (type: EventType): boolean => isDevelopment({ type } as DomainEvent);

type OpenState = Extract<StoryState, { status: 'open' }>;
type Draft = { -readonly [K in keyof OpenState]: OpenState[K] } & {
  events: Map<string, KnownEvent>;
  byContent: Map<string, string>;
  actors: Record<string, string>;
  visits: Record<string, VisitStatus>;
  ids: Record<string, string>;
};

/** Writes one event into a draft that belongs to the fold in progress (never a state handed in). */
const apply = (draft: Draft, event: StoryEvent): void => {
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
      const target = draft.events.get(event.data.eventId);
      if (target) draft.events.set(event.data.eventId, { ...target, retracted: true });
      return;
    }
    default:
      return;
  }
};

/**
 * The state after these events. The state handed in is copied once, and the copy takes every event:
 * folding a story of n events costs O(n), not O(n^2) as copying the state for each event would.
 */
export const fold = (state: StoryState, events: readonly StoryEvent[]): StoryState => {
  let draft: Draft | undefined;
  let current = state;
  for (const event of events) {
    if (current.status === 'unopened') {
      if (event.type !== 'StoryOpened') continue;
      current = draft = { status: 'open', storyId: event.data.storyId, title: '', summary: '', topics: [], events: new Map(), byContent: new Map(), actors: {}, visits: {}, ids: {} };
    } else if (!draft) {
      current = draft = { ...current, events: new Map(current.events), byContent: new Map(current.byContent), actors: { ...current.actors }, visits: { ...current.visits }, ids: { ...current.ids } };
    }
    apply(draft, event);
  }
  return current;
};

export const evolve = (state: StoryState, event: StoryEvent): StoryState => fold(state, [event]);

/** Decides a batch of commands against a state, each seeing the events the previous ones produced (one copy of the state in all). */
export const decideAll = (commands: StoryCommand[], state: StoryState): { events: StoryEvent[]; state: StoryState } => {
  let current = state;
  let owned = false;
  const events: StoryEvent[] = [];
  for (const command of commands) {
    for (const event of decide(command, current)) {
      events.push(event);
      if (owned) apply(current as Draft, event);
      else {
        current = fold(current, [event]);
        owned = current !== state;
      }
    }
  }
  return { events, state: current };
};
