import type { EventData, EventType } from '../../events/catalog/events';
import { RuleViolationError } from '../../events/errors';
import { decide, decideAll, evolve, initialState, type StoryEvent, type StoryState } from '../../events/story/decider';
import {
  agreementSigned,
  assistancePledged,
  commentaryPublished,
  developmentCorrected,
  developmentRetracted,
  digestPublished,
  fixtures,
  ids,
  interestExpressed,
  meetingHeld,
  negotiationStalled,
  opened,
  openStory,
  putinIdentified,
  storyEvent,
  storyId,
  visitCancelled,
  visitPlanned,
  visitRescheduled,
  visitTookPlace,
} from '../support/fixtures';

/** given(history).when(event).then(events) or .then(ErrorClass, rule) */
interface Outcome {
  then(expected: StoryEvent[]): void;
  then(error: new (...args: never[]) => Error, rule: string): void;
}

const given = (history: StoryEvent[]) => {
  const state = history.reduce<StoryState>(evolve, initialState);
  return {
    when: (event: StoryEvent, commandStoryId: string = storyId): Outcome => {
      const run = () => decide({ type: 'Record', storyId: commandStoryId, event }, state);
      return {
        then(expected: StoryEvent[] | (new (...args: never[]) => Error), rule?: string) {
          if (Array.isArray(expected)) {
            expect(run()).toEqual(expected);
            return;
          }
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(expected);
          expect(thrown).toMatchObject({ rule });
        },
      };
    },
  };
};

/** Deterministic, version-4 shaped ids for events a test makes up. */
const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const withId = (event: StoryEvent, id: string): StoryEvent => ({ ...event, id });
const changed = <K extends EventType>(type: K, id: string, data: Partial<EventData<K>>): StoryEvent => storyEvent(type, id, data);

describe('the story decider', () => {
  describe('when the story is not opened', () => {
    it('opens it', () => given([]).when(opened).then([opened]));

    it.each([putinIdentified, meetingHeld, developmentCorrected])('refuses a $type before the story is opened', (event) =>
      given([]).when(event).then(RuleViolationError, 'story-not-opened'),
    );

    it('refuses a StoryOpened that names another story', () =>
      given([]).when(opened, 'another-story').then(RuleViolationError, 'story-id-mismatch'));
  });

  describe('when the story is open', () => {
    it('refuses a command addressed to another story', () =>
      given(openStory).when(meetingHeld, 'another-story').then(RuleViolationError, 'story-id-mismatch'));

    it('refuses to open it again with other content', () =>
      given([opened]).when(changed('StoryOpened', uuid(1), { title: 'Another title' })).then(RuleViolationError, 'story-already-opened'));

    it('refuses an event id already used with other content', () =>
      given([...openStory, meetingHeld]).when(changed('InterestExpressed', ids.meetingHeld, {})).then(RuleViolationError, 'event-id-unique'));

    it('accepts a development of every kind', () => {
      for (const event of [meetingHeld, agreementSigned, assistancePledged, interestExpressed, negotiationStalled, commentaryPublished]) {
        given(openStory).when(event).then([event]);
      }
    });

    it('refuses a digest: digests have streams of their own', () =>
      given(openStory).when(digestPublished).then(RuleViolationError, 'digest-not-in-story'));
  });

  describe('when the story is revised', () => {
    const retitled = (id: string, title: string): StoryEvent => ({ id, type: 'StoryRevised', data: { title } });

    it('refuses a revision before the story is opened', () => given([]).when(retitled(uuid(1), 'A title')).then(RuleViolationError, 'story-not-opened'));

    it('changes the title', () => given([opened]).when(retitled(uuid(1), 'A new title')).then([retitled(uuid(1), 'A new title')]));

    it('is a no-op when it changes nothing', () =>
      given([opened]).when({ id: uuid(1), type: 'StoryRevised', data: { title: fixtures.StoryOpened.title, topics: fixtures.StoryOpened.topics } }).then([]));

    it('is a no-op twice', () => given([opened, retitled(uuid(1), 'A new title')]).when(retitled(uuid(1), 'A new title')).then([]));

    it('changes a title back to what it was: a change, not a repeat', () =>
      given([opened, retitled(uuid(1), 'B'), retitled(uuid(2), 'A')]).when(retitled(uuid(3), 'B')).then([retitled(uuid(3), 'B')]));

    it('changes the topics, in order', () =>
      given([opened]).when({ id: uuid(1), type: 'StoryRevised', data: { topics: ['energy'] } }).then([{ id: uuid(1), type: 'StoryRevised', data: { topics: ['energy'] } }]));
  });

  describe('when an actor is not identified', () => {
    const kayani = 'kayani';
    it.each<[string, StoryEvent]>([
      ['an actor of a development', changed('MeetingHeld', uuid(1), { actors: ['russia', kayani] })],
      ['a visitor of a planned visit', changed('VisitPlanned', uuid(2), { visitors: [kayani] })],
      ['a visitor of an unplanned visit', changed('VisitTookPlace', uuid(3), { visitId: 'kayani-moscow', visitors: [kayani] })],
      ['a participant of a meeting', changed('MeetingHeld', uuid(4), { participants: ['russia', kayani] })],
      ['a party to an agreement', changed('AgreementSigned', uuid(5), { parties: ['russia', 'tajikistan'] })],
      ['the giver of a pledge', changed('AssistancePledged', uuid(6), { from: 'gazprom' })],
      ['the receiver of a pledge', changed('AssistancePledged', uuid(7), { to: 'pakistan-steel-mills' })],
      ['the party of an interest', changed('InterestExpressed', uuid(8), { party: 'gazprom' })],
      ['a party to a stalled negotiation', changed('NegotiationStalled', uuid(9), { parties: ['iran'] })],
      ['the outlet of a commentary', changed('CommentaryPublished', uuid(10), { outlet: 'the-nation' })],
    ])('refuses %s', (_case, event) => given(openStory).when(event).then(RuleViolationError, 'actor-not-identified'));

    it("refuses a correction whose changes name it", () =>
      given([...openStory, meetingHeld])
        .when(changed('DevelopmentCorrected', uuid(11), { changes: { actors: ['russia', kayani] } }))
        .then(RuleViolationError, 'actor-not-identified'));

    it('accepts the development once the actor is identified', () => {
      const identified = changed('ActorIdentified', uuid(12), { actorId: kayani, name: 'Ashfaq Kayani', aliases: ['Kiani'] });
      const meeting = changed('MeetingHeld', uuid(13), { participants: ['russia', kayani] });
      given([...openStory, identified]).when(meeting).then([meeting]);
    });

    it('is not fooled by an id that names a property of every object', () =>
      given(openStory).when(changed('MeetingHeld', uuid(14), { participants: ['constructor'] })).then(RuleViolationError, 'actor-not-identified'));
  });

  describe('when an actor is identified', () => {
    it('refuses another actor with the same id', () =>
      given(openStory).when(changed('ActorIdentified', uuid(1), { name: 'V. Putin' })).then(RuleViolationError, 'actor-id-unique'));

    it('accepts an actor whose id names a property of every object', () => {
      const actor = changed('ActorIdentified', uuid(2), { actorId: 'constructor', name: 'A constructor', aliases: [] });
      given(openStory).when(actor).then([actor]);
    });
  });

  describe('when ids are taken', () => {
    it.each<[string, StoryEvent, StoryEvent]>([
      ['agreement', agreementSigned, changed('AgreementSigned', uuid(1), { title: 'Another MoU' })],
      ['pledge', assistancePledged, changed('AssistancePledged', uuid(2), { purpose: 'Another purpose' })],
      ['meeting', meetingHeld, changed('MeetingHeld', uuid(3), { outcome: 'Another outcome.' })],
      ['interest', interestExpressed, changed('InterestExpressed', uuid(4), { project: 'Another project' })],
    ])('refuses a second %s with the same id', (_kind, first, second) =>
      given([...openStory, first]).when(second).then(RuleViolationError, 'id-unique'));

    it('lets different kinds share an id', () => {
      const pledge = changed('AssistancePledged', uuid(5), { pledgeId: 'a-meeting' });
      given([...openStory, meetingHeld]).when(pledge).then([pledge]);
    });
  });

  describe('when the visit is not known', () => {
    it('plans it', () => given(openStory).when(visitPlanned).then([visitPlanned]));

    it('refuses to cancel it', () => given(openStory).when(visitCancelled).then(RuleViolationError, 'visit-must-be-planned'));

    it('refuses to reschedule it', () => given(openStory).when(visitRescheduled).then(RuleViolationError, 'visit-must-be-planned'));

    it('records an unscheduled visit that names its visitors and destination', () =>
      given(openStory).when(visitTookPlace).then([visitTookPlace]));

    it('refuses an unscheduled visit without visitors', () =>
      given(openStory)
        .when(storyEvent('VisitTookPlace', uuid(1), { visitors: undefined }))
        .then(RuleViolationError, 'unplanned-visit-needs-visitors'));

    it('refuses an unscheduled visit without a destination', () =>
      given(openStory)
        .when(storyEvent('VisitTookPlace', uuid(2), { destination: undefined }))
        .then(RuleViolationError, 'unplanned-visit-needs-visitors'));

    it('is not fooled by a visit id that names a property of every object', () => {
      const planned = changed('VisitPlanned', uuid(3), { visitId: 'constructor' });
      given(openStory).when(planned).then([planned]);
      given(openStory).when(changed('VisitCancelled', uuid(4), { visitId: 'constructor' })).then(RuleViolationError, 'visit-must-be-planned');
    });
  });

  describe('when the visit is planned', () => {
    const history = [...openStory, visitPlanned];

    it('reschedules it', () => given(history).when(visitRescheduled).then([visitRescheduled]));

    it('cancels it', () => given(history).when(visitCancelled).then([visitCancelled]));

    it('records that it took place, without repeating visitors and destination', () => {
      const tookPlace = storyEvent('VisitTookPlace', uuid(1), { visitors: undefined, destination: undefined });
      given(history).when(tookPlace).then([tookPlace]);
    });

    it('refuses to plan another visit with its id', () =>
      given(history).when(changed('VisitPlanned', uuid(2), { destination: 'Moscow' })).then(RuleViolationError, 'visit-id-unique'));
  });

  describe('when the visit is rescheduled', () => {
    const history = [...openStory, visitPlanned, visitRescheduled];

    it('reschedules it again', () => {
      const again = changed('VisitRescheduled', uuid(1), { scheduled: { start: '2012-12', precision: 'month' } });
      given(history).when(again).then([again]);
    });

    it('cancels it', () => given(history).when(visitCancelled).then([visitCancelled]));

    it('records that it took place', () => given(history).when(visitTookPlace).then([visitTookPlace]));
  });

  describe('when the visit is cancelled', () => {
    const history = [...openStory, visitPlanned, visitCancelled];

    it('refuses to record that it took place', () =>
      given(history).when(visitTookPlace).then(RuleViolationError, 'cancelled-visit-cannot-take-place'));

    it('refuses to reschedule it', () => given(history).when(visitRescheduled).then(RuleViolationError, 'visit-must-be-planned'));

    it('refuses to cancel it again with other content', () =>
      given(history).when(changed('VisitCancelled', uuid(1), { reason: 'Another reason' })).then(RuleViolationError, 'visit-must-be-planned'));

    it('refuses to plan it again', () =>
      given(history).when(changed('VisitPlanned', uuid(2), { destination: 'Dushanbe' })).then(RuleViolationError, 'visit-id-unique'));
  });

  describe('when the visit took place', () => {
    const history = [...openStory, visitTookPlace];

    it('refuses to record it a second time', () =>
      given(history).when(changed('VisitTookPlace', uuid(1), { headline: 'Again' })).then(RuleViolationError, 'visit-already-took-place'));

    it('refuses to cancel it', () => given(history).when(visitCancelled).then(RuleViolationError, 'visit-must-be-planned'));

    it('refuses to reschedule it', () => given(history).when(visitRescheduled).then(RuleViolationError, 'visit-must-be-planned'));

    it('refuses to plan it afterwards', () => given(history).when(visitPlanned).then(RuleViolationError, 'visit-id-unique'));
  });

  describe('when a development is recorded', () => {
    const history = [...openStory, meetingHeld];

    it('corrects it', () => given(history).when(developmentCorrected).then([developmentCorrected]));

    it('retracts it', () => {
      const retraction = changed('DevelopmentRetracted', uuid(1), { eventId: ids.meetingHeld });
      given(history).when(retraction).then([retraction]);
    });

    it.each<[string, StoryEvent]>([
      ['a correction', changed('DevelopmentCorrected', uuid(2), { eventId: uuid(99) })],
      ['a retraction', changed('DevelopmentRetracted', uuid(3), { eventId: uuid(99) })],
    ])('refuses %s of an event that is not in this story', (_case, event) =>
      given(history).when(event).then(RuleViolationError, 'target-must-exist'));

    it.each<[string, StoryEvent]>([
      ['a correction of an ActorIdentified', changed('DevelopmentCorrected', uuid(4), { eventId: ids.putin })],
      ['a retraction of the StoryOpened', changed('DevelopmentRetracted', uuid(5), { eventId: ids.opened })],
    ])('refuses %s', (_case, event) => given(history).when(event).then(RuleViolationError, 'target-must-be-development'));
  });

  describe('when a development is corrected', () => {
    const history = [...openStory, meetingHeld, developmentCorrected];

    it('corrects it again', () => {
      const again = changed('DevelopmentCorrected', uuid(1), { note: 'A second correction.' });
      given(history).when(again).then([again]);
    });

    it('refuses to correct the correction', () =>
      given(history)
        .when(changed('DevelopmentCorrected', uuid(2), { eventId: ids.developmentCorrected }))
        .then(RuleViolationError, 'target-must-be-development'));

    it('refuses to retract the correction', () =>
      given(history)
        .when(changed('DevelopmentRetracted', uuid(3), { eventId: ids.developmentCorrected }))
        .then(RuleViolationError, 'target-must-be-development'));
  });

  describe('when a development is retracted', () => {
    const history = [...openStory, negotiationStalled, developmentRetracted];

    it('refuses to correct it', () =>
      given(history)
        .when(changed('DevelopmentCorrected', uuid(1), { eventId: ids.negotiationStalled, changes: { headline: 'Too late' } }))
        .then(RuleViolationError, 'target-retracted'));

    it('refuses to retract it again with another reason', () =>
      given(history)
        .when(changed('DevelopmentRetracted', uuid(2), { reason: 'Another reason.' }))
        .then(RuleViolationError, 'target-retracted'));

    it('refuses to retract the retraction', () =>
      given(history)
        .when(changed('DevelopmentRetracted', uuid(3), { eventId: ids.developmentRetracted }))
        .then(RuleViolationError, 'target-must-be-development'));
  });

  describe('when a command is repeated', () => {
    /** Each event after the history that makes it acceptable. */
    const cases: [string, StoryEvent[], StoryEvent][] = [
      ['StoryOpened', [], opened],
      ['ActorIdentified', [opened], putinIdentified],
      ['StoryRevised', [opened], storyEvent('StoryRevised', uuid(2))],
      ['VisitPlanned', openStory, visitPlanned],
      ['VisitRescheduled', [...openStory, visitPlanned], visitRescheduled],
      ['VisitCancelled', [...openStory, visitPlanned], visitCancelled],
      ['VisitTookPlace (planned)', [...openStory, visitPlanned], storyEvent('VisitTookPlace', uuid(1), { visitors: undefined, destination: undefined })],
      ['VisitTookPlace (unscheduled)', openStory, visitTookPlace],
      ['MeetingHeld', openStory, meetingHeld],
      ['AgreementSigned', openStory, agreementSigned],
      ['AssistancePledged', openStory, assistancePledged],
      ['InterestExpressed', openStory, interestExpressed],
      ['NegotiationStalled', openStory, negotiationStalled],
      ['CommentaryPublished', openStory, commentaryPublished],
      ['DevelopmentCorrected', [...openStory, meetingHeld], developmentCorrected],
      ['DevelopmentRetracted', [...openStory, negotiationStalled], developmentRetracted],
    ];

    it('covers every type a story records', () => {
      const covered = new Set(cases.map(([, , event]) => event.type));
      const recordable = (Object.keys(fixtures) as EventType[]).filter((type) => type !== 'DigestPublished');
      expect([...covered].sort()).toEqual(recordable.sort());
    });

    describe.each(cases)('a %s', (_type, history, event) => {
      it('is recorded the first time', () => given(history).when(event).then([event]));

      it('is a no-op the second time', () => given([...history, event]).when(event).then([]));

      it('is a no-op the second time under a new id', () => given([...history, event]).when(withId(event, uuid(50))).then([]));

      it('is recorded once when a batch repeats it', () => {
        const command = { type: 'Record' as const, storyId, event };
        expect(decideAll([command, command], history.reduce<StoryState>(evolve, initialState)).events).toEqual([event]);
      });
    });
  });

  describe('evolve', () => {
    it('never mutates the state it is given', () => {
      const deepFreeze = <T>(value: T): T => {
        if (value !== null && typeof value === 'object') for (const inner of Object.values(value)) deepFreeze(inner);
        return Object.freeze(value);
      };
      let state: StoryState = deepFreeze(initialState);
      for (const event of [...openStory, visitPlanned, visitCancelled, meetingHeld, developmentCorrected, agreementSigned]) {
        state = deepFreeze(evolve(state, event));
      }
      const retracted = evolve(state, changed('DevelopmentRetracted', uuid(1), { eventId: ids.meetingHeld }));
      expect(retracted).not.toBe(state);
    });

    it('ignores everything but a StoryOpened before the story is opened', () => {
      expect(evolve(initialState, meetingHeld)).toBe(initialState);
    });
  });
});
