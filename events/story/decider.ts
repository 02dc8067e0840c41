import { actorRefs } from '../catalog/actor-refs';
import { isDevelopment, type DomainEvent, type EventType } from '../catalog/events';
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
      /** every event of the story by id */
      events: Readonly<Record<string, KnownEvent>>;
      /** event ids by fingerprint: a repeat without an id (an open included) is recognised */
      byContent: Readonly<Record<string, string>>;
      actors: Readonly<Record<string, string>>;
      visits: Readonly<Record<string, VisitStatus>>;
      /** agreement, pledge, meeting and interest ids, by kind */
      ids: Readonly<Record<string, string>>;
    };

export const initialState: StoryState = { status: 'unopened' };

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
  const known = own(state.events, event.id);
  if (known) {
    if (known.hash === hash) return [];
    return violation('event-id-unique', `event ${event.id} already exists in story ${storyId} with other content`);
  }
  if (own(state.byContent, hash) !== undefined) return [];

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
      const target = own(state.events, event.data.eventId);
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

const isDevelopmentType = (type: EventType): boolean => isDevelopment({ type } as DomainEvent);

export const evolve = (state: StoryState, event: StoryEvent): StoryState => {
  if (state.status === 'unopened') {
    if (event.type !== 'StoryOpened') return state;
    const hash = fingerprintOf(event.data.storyId, event);
    return {
      status: 'open',
      storyId: event.data.storyId,
      events: { [event.id]: { type: event.type, hash, retracted: false } },
      byContent: { [hash]: event.id },
      actors: {},
      visits: {},
      ids: {},
    };
  }
  const hash = fingerprintOf(state.storyId, event);
  const next = {
    ...state,
    events: { ...state.events, [event.id]: { type: event.type, hash, retracted: false } },
    byContent: { ...state.byContent, [hash]: event.id },
  };
  const claim = claimedId(event);
  if (claim !== undefined) next.ids = { ...state.ids, [claim]: event.id };
  switch (event.type) {
    case 'ActorIdentified':
      return { ...next, actors: { ...state.actors, [event.data.actorId]: event.id } };
    case 'VisitPlanned':
    case 'VisitRescheduled':
    case 'VisitCancelled':
    case 'VisitTookPlace':
      return { ...next, visits: { ...state.visits, [event.data.visitId]: VISIT_STATUS_AFTER[event.type] } };
    case 'DevelopmentRetracted': {
      const target = next.events[event.data.eventId];
      return target ? { ...next, events: { ...next.events, [event.data.eventId]: { ...target, retracted: true } } } : next;
    }
    default:
      return next;
  }
};

/** Decides a batch of commands against a state, each seeing the events the previous ones produced. */
export const decideAll = (commands: StoryCommand[], state: StoryState): { events: StoryEvent[]; state: StoryState } => {
  let current = state;
  const events: StoryEvent[] = [];
  for (const command of commands) {
    for (const event of decide(command, current)) {
      events.push(event);
      current = evolve(current, event);
    }
  }
  return { events, state: current };
};
