import { isDevelopment, type DomainEvent } from './events';

/**
 * What an event says about actors, read by the decider (actors are identified before they are
 * referenced) and by the projections (an actor's developments and feed): a fact of the catalog.
 */

/** The actor ids an event refers to. */
export const actorRefs = (event: DomainEvent): string[] => {
  if (!isDevelopment(event)) {
    if (event.type === 'DevelopmentCorrected') return event.data.changes.actors ?? [];
    return [];
  }
  const refs = [...event.data.actors];
  switch (event.type) {
    case 'VisitPlanned':
      refs.push(...event.data.visitors);
      break;
    case 'VisitTookPlace':
      refs.push(...(event.data.visitors ?? []));
      break;
    case 'MeetingHeld':
      refs.push(...event.data.participants);
      break;
    case 'AgreementSigned':
      refs.push(...event.data.parties);
      break;
    case 'AssistancePledged':
      refs.push(event.data.from, event.data.to);
      break;
    case 'InterestExpressed':
      refs.push(event.data.party);
      break;
    case 'NegotiationStalled':
      refs.push(...event.data.parties);
      break;
    case 'CommentaryPublished':
      refs.push(event.data.outlet);
      break;
    case 'VisitRescheduled':
    case 'VisitCancelled':
      break;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
  return refs;
};
