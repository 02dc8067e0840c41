import type * as z from 'zod/mini';
import type { CorrectableFields, EventData, EventType } from '../../events/catalog/events';
import type { StoryEvent } from '../../events/story/decider';

/**
 * Small valid events of every type in the catalog, for codec and decider tests.
 * They form one consistent story: opened, then its actors, then developments that refer to them.
 */

export const storyId = 'fixture-story';

/** Fixed event ids, so that a test can name the event it corrects or retracts. */
export const ids = {
  opened: '0b7f4f5e-7a51-4c39-9d0a-1c2f3e4d5a60',
  putin: '1c8a5a6f-8b62-4d4a-8e1b-2d304f5e6b71',
  russia: '2d9b6b70-9c73-4e5b-9f2c-3e41506f7c82',
  pakistan: '3eac7c81-ad84-4f6c-a03d-4f5261708d93',
  dawn: '4fbd8d92-be95-407d-b14e-506372819ea4',
  visitPlanned: '50ce9ea3-cfa6-418e-825f-617483920fb5',
  visitRescheduled: '61dfafb4-d0b7-429f-9360-728594a310c6',
  visitCancelled: '72e0b0c5-e1c8-43a0-a471-8396a5b421d7',
  visitTookPlace: '83f1c1d6-f2d9-44b1-b582-94a7b6c532e8',
  meetingHeld: '9402d2e7-03ea-45c2-8693-a5b8c7d643f9',
  agreementSigned: 'a513e3f8-14fb-46d3-97a4-b6c9d8e7540a',
  assistancePledged: 'b624f409-250c-47e4-a8b5-c7dae9f8651b',
  interestExpressed: 'c735051a-361d-48f5-b9c6-d8ebfa09762c',
  negotiationStalled: 'd846162b-472e-4906-8ad7-e9fc0b1a873d',
  commentaryPublished: 'e957273c-583f-4a17-9be8-fa0d1c2b984e',
  developmentCorrected: 'fa68384d-6940-4b28-acf9-0b1e2d3ca95f',
  developmentRetracted: '0b79495e-7a51-4c39-8d0a-1c2f3e4dba60',
  digestPublished: '1c8a5a6f-8b62-4d4a-9e1b-2d304f5ecb71',
} as const;

type DevelopmentFields = Required<z.infer<typeof CorrectableFields>>;

/** What every development carries; spread it and override what a test is about. */
export const development: DevelopmentFields = {
  headline: 'A development',
  summary: 'What happened, in plain text.',
  occurred: { start: '2012-10-04', precision: 'day' },
  actors: ['russia', 'pakistan'],
  places: ['Islamabad'],
  topics: ['diplomacy'],
  sources: [{ outlet: 'Dawn', quote: 'A quote from the source.', url: 'https://www.dawn.com/news/1' }],
  confidence: 'confirmed',
};

export const visitId = 'putin-islamabad';

export const fixtures: { [K in EventType]: EventData<K> } = {
  StoryOpened: { storyId, title: 'A story', summary: 'What the story is about.', topics: ['diplomacy'] },
  StoryRevised: { title: 'A story, retitled', topics: ['diplomacy', 'energy'] },
  ActorIdentified: {
    actorId: 'putin',
    name: 'Vladimir Putin',
    aliases: ['Putin', 'President Putin'],
    kind: 'person',
    role: 'President of Russia',
    country: 'Russia',
  },
  VisitPlanned: {
    ...development,
    visitId,
    visitors: ['putin'],
    destination: 'Islamabad',
    scheduled: { start: '2012-10-02', end: '2012-10-03', precision: 'day' },
    purpose: 'The Quadrilateral Summit',
  },
  VisitRescheduled: { ...development, visitId, scheduled: { start: '2012-11', precision: 'month' } },
  VisitCancelled: { ...development, visitId, reason: 'Not given' },
  VisitTookPlace: { ...development, visitId, visitors: ['putin'], destination: 'Islamabad' },
  MeetingHeld: { ...development, meetingId: 'a-meeting', participants: ['russia', 'pakistan'], place: 'Moscow', outcome: 'Consensus.' },
  AgreementSigned: { ...development, agreementId: 'an-mou', kind: 'mou', title: 'An MoU', parties: ['russia', 'pakistan'], sector: 'steel' },
  AssistancePledged: {
    ...development,
    pledgeId: 'a-pledge',
    from: 'russia',
    to: 'pakistan',
    purpose: 'Modernization of a steel mill',
    amount: { currency: 'USD', min: 300_000_000, max: 500_000_000 },
    capacity: { value: 500, unit: 'MW' },
    agreementId: 'an-mou',
  },
  InterestExpressed: { ...development, interestId: 'an-interest', party: 'russia', project: 'A pipeline', terms: 'Without bidding' },
  NegotiationStalled: { ...development, project: 'A pipeline', parties: ['russia', 'pakistan'] },
  CommentaryPublished: { ...development, outlet: 'dawn', quote: 'A comment.', speaker: 'An official' },
  DevelopmentCorrected: {
    eventId: ids.meetingHeld,
    changes: { headline: 'A corrected headline', actors: ['putin'], occurred: { start: '2012-10', precision: 'month' } },
    note: 'The date was less precise than first reported.',
  },
  DevelopmentRetracted: { eventId: ids.negotiationStalled, reason: 'The source withdrew the report.' },
  DigestPublished: {
    digestId: 'daily-2012-10-05',
    period: 'daily',
    window: { start: '2012-10-04T00:00:00Z', end: '2012-10-05T00:00:00Z', timezone: 'Asia/Karachi' },
    developments: [{ storyId, eventId: ids.meetingHeld }],
    corrections: [{ storyId, eventId: ids.developmentCorrected, correctedEventId: ids.meetingHeld }],
    content: { title: 'Daily digest', items: 1 },
  },
};

/** An event of the story with an id; `data` overrides the fixture's fields. */
export const storyEvent = <K extends EventType>(type: K, id: string, data: Partial<EventData<K>> = {}): StoryEvent =>
  ({ id, type, data: { ...fixtures[type], ...data } }) as StoryEvent;

const actor = (id: string, data: EventData<'ActorIdentified'>): StoryEvent => ({ id, type: 'ActorIdentified', data });

export const opened = storyEvent('StoryOpened', ids.opened);
export const putinIdentified = storyEvent('ActorIdentified', ids.putin);
export const russiaIdentified = actor(ids.russia, { actorId: 'russia', name: 'Russia', aliases: ['Russian Federation'], kind: 'country' });
export const pakistanIdentified = actor(ids.pakistan, { actorId: 'pakistan', name: 'Pakistan', aliases: [], kind: 'country' });
export const dawnIdentified = actor(ids.dawn, { actorId: 'dawn', name: 'Dawn', aliases: ['the daily Dawn'], kind: 'outlet', role: 'Newspaper', country: 'Pakistan' });

/** A story opened with the actors every fixture refers to. */
export const openStory: StoryEvent[] = [opened, putinIdentified, russiaIdentified, pakistanIdentified, dawnIdentified];

export const visitPlanned = storyEvent('VisitPlanned', ids.visitPlanned);
export const visitRescheduled = storyEvent('VisitRescheduled', ids.visitRescheduled);
export const visitCancelled = storyEvent('VisitCancelled', ids.visitCancelled);
export const visitTookPlace = storyEvent('VisitTookPlace', ids.visitTookPlace);
export const meetingHeld = storyEvent('MeetingHeld', ids.meetingHeld);
export const agreementSigned = storyEvent('AgreementSigned', ids.agreementSigned);
export const assistancePledged = storyEvent('AssistancePledged', ids.assistancePledged);
export const interestExpressed = storyEvent('InterestExpressed', ids.interestExpressed);
export const negotiationStalled = storyEvent('NegotiationStalled', ids.negotiationStalled);
export const commentaryPublished = storyEvent('CommentaryPublished', ids.commentaryPublished);
export const developmentCorrected = storyEvent('DevelopmentCorrected', ids.developmentCorrected);
export const developmentRetracted = storyEvent('DevelopmentRetracted', ids.developmentRetracted);
export const digestPublished = storyEvent('DigestPublished', ids.digestPublished);
