import { parseEvent } from '../../events/catalog/codec';
import type { DomainEvent, EventData, EventType, RecordedEvent } from '../../events/catalog/events';
import type { UnreadableEvent } from '../../events/catalog/unreadable';
import type { DevelopmentFields } from '../../events/projections/entry';
import { foldAll } from '../../events/projections/fold';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { decideAll, initialState, type StoryCommand, type StoryEvent, type StoryState } from '../../events/story/decider';
import { digestStreamId, storyStreamId } from '../../events/streams';

/**
 * Recorded events for projection tests: small stories built through the real codec and decider
 * (so every fixture is an event the system would accept), and the seed story as recorded.
 */

/** Deterministic, version-4 shaped ids. */
export const uuid = (n: number): string => `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;

export const T0 = Date.parse('2012-10-08T00:00:00.000Z');
/** An instant `minutes` after T0. */
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

export const metadata = { subject: 'test-editor', correlationId: 'test' };

/** What every development carries; spread it and override what a test is about. */
export const dev = (overrides: Partial<DevelopmentFields> = {}): DevelopmentFields => ({
  headline: 'A development',
  summary: 'What happened.',
  occurred: { start: '2012-10-04', precision: 'day' },
  actors: [],
  places: ['Islamabad'],
  topics: ['diplomacy'],
  sources: [{ outlet: 'Dawn', quote: 'A quote.' }],
  confidence: 'reported',
  ...overrides,
});

export interface RecordOptions {
  id?: string;
  /** Minutes after T0; defaults to the event's version. */
  recordedAt?: number;
  reportedAt?: number;
}

/**
 * A story stream being recorded: each `record` is decided against the story so far (and
 * refused when the decider refuses it), then stamped with the next version.
 */
export class StoryLog {
  readonly events: RecordedEvent[] = [];
  private state: StoryState = initialState;
  private counter: number;

  constructor(
    readonly storyId: string,
    idBase = 0,
  ) {
    this.counter = idBase;
  }

  record<K extends EventType>(type: K, data: EventData<K>, options: RecordOptions = {}): RecordedEvent {
    const event = { id: options.id ?? uuid(++this.counter), ...parseEvent({ type, data }) };
    const command: StoryCommand = { type: 'Record', storyId: this.storyId, event };
    const { events, state } = decideAll([command], this.state);
    if (events.length !== 1) throw new Error(`fixture ${type} was not recorded`);
    this.state = state;
    return this.push(event, options);
  }

  private push(event: StoryEvent, options: RecordOptions): RecordedEvent {
    const version = this.events.length + 1;
    const recordedAt = at(options.recordedAt ?? version);
    const recorded = {
      ...(event as DomainEvent),
      id: event.id,
      streamId: storyStreamId(this.storyId),
      version,
      schemaVersion: 1,
      recordedAt,
      reportedAt: options.reportedAt === undefined ? recordedAt : at(options.reportedAt),
      metadata,
    };
    this.events.push(recorded);
    return recorded;
  }

  open(topics: string[] = ['diplomacy']): this {
    this.record('StoryOpened', { storyId: this.storyId, title: `The ${this.storyId} story`, summary: `All about ${this.storyId}.`, topics });
    return this;
  }

  actor(actorId: string, name: string, aliases: string[] = [], kind: EventData<'ActorIdentified'>['kind'] = 'person'): this {
    this.record('ActorIdentified', { actorId, name, aliases, kind });
    return this;
  }
}

/**
 * The small story most tests use: Putin's planned summit visit, cancelled; Lavrov's unplanned
 * visit; an MoU, a pledge, an interest, a stalled negotiation; then a correction of the pledge
 * (new headline, topic and actor) and a retraction of the interest.
 */
export const summitStory = () => {
  const log = new StoryLog('summit').open(['diplomacy', 'summit']);
  log.actor('putin', 'Vladimir Putin', ['Putin']).actor('lavrov', 'Sergey Lavrov').actor('russia', 'Russia', [], 'country').actor('pakistan', 'Pakistan', [], 'country');
  log.actor('gazprom', 'Gazprom', [], 'organisation');
  const planned = log.record('VisitPlanned', {
    ...dev({ headline: 'Putin to attend the summit in Islamabad', occurred: { start: '2012-08', precision: 'month' }, actors: ['putin'], topics: ['diplomacy', 'summit'] }),
    visitId: 'putin-summit',
    visitors: ['putin'],
    destination: 'Islamabad',
    scheduled: { start: '2012-10-02', end: '2012-10-03', precision: 'day' },
    purpose: 'The Quadrilateral Summit',
  });
  const rescheduled = log.record('VisitRescheduled', {
    ...dev({ headline: 'Putin visit moved', occurred: { start: '2012-09', precision: 'month' } }),
    visitId: 'putin-summit',
    scheduled: { start: '2012-10-05', precision: 'day' },
  });
  const cancelled = log.record('VisitCancelled', {
    ...dev({ headline: 'Putin cancels his visit', occurred: { start: '2012-10', precision: 'month' }, actors: ['putin'] }),
    visitId: 'putin-summit',
    reason: 'Not given',
  });
  const lavrov = log.record('VisitTookPlace', {
    ...dev({ headline: 'Lavrov visits Islamabad', occurred: { start: '2012-10-04', precision: 'day' }, actors: ['lavrov'] }),
    visitId: 'lavrov-islamabad',
    visitors: ['lavrov'],
    destination: 'Islamabad',
  });
  const mou = log.record('AgreementSigned', {
    ...dev({ headline: 'MoU on steel signed', occurred: { start: '2012-10', precision: 'month' }, topics: ['steel'] }),
    agreementId: 'steel-mou',
    kind: 'mou',
    title: 'MoU on Pakistan Steel Mills',
    parties: ['russia', 'pakistan'],
    sector: 'steel',
  });
  const pledge = log.record('AssistancePledged', {
    ...dev({ headline: 'Russia pledges money for steel', occurred: { start: '2012-10', precision: 'month' }, topics: ['steel'] }),
    pledgeId: 'steel-pledge',
    from: 'russia',
    to: 'pakistan',
    purpose: 'Modernization of Pakistan Steel Mills',
    amount: { currency: 'USD', min: 300_000_000, max: 500_000_000 },
    agreementId: 'steel-mou',
  });
  const interest = log.record('InterestExpressed', {
    ...dev({ headline: 'Gazprom wants the pipeline', occurred: { start: '2012-09-10', precision: 'day' }, topics: ['pipeline'] }),
    interestId: 'gazprom-pipeline',
    party: 'gazprom',
    project: 'Iran-Pakistan gas pipeline',
    terms: 'Without bidding',
  });
  const stalled = log.record('NegotiationStalled', {
    ...dev({ headline: 'No progress on the pipeline', occurred: { start: '2012', precision: 'year' }, topics: ['pipeline'] }),
    project: 'Iran-Pakistan gas pipeline',
    parties: ['russia', 'pakistan'],
  });
  const correction = log.record(
    'DevelopmentCorrected',
    {
      eventId: pledge.id,
      changes: { headline: 'Russia pledges $300-500 million for Pakistan Steel Mills', topics: ['steel', 'energy'], actors: ['putin'] },
      note: 'The amount and who announced it were missing.',
    },
    { recordedAt: 100 },
  );
  const retraction = log.record('DevelopmentRetracted', { eventId: interest.id, reason: 'The report was not confirmed.' }, { recordedAt: 200 });
  return { log, events: log.events, planned, rescheduled, cancelled, lavrov, mou, pledge, interest, stalled, correction, retraction };
};

/** A digest stream's event. */
export const digestEvent = (period: 'daily' | 'weekly', version: number, options: { id?: string; minutes?: number; developments?: { storyId: string; eventId: string }[] } = {}): RecordedEvent => {
  const recordedAt = at(options.minutes ?? 1000 + version);
  const data: EventData<'DigestPublished'> = {
    digestId: `${period}-${version}`,
    period,
    window: { start: at(0), end: recordedAt, timezone: 'Europe/London' },
    developments: options.developments ?? [],
    corrections: [],
    content: { title: `The ${period} digest ${version}`, sections: [] },
  };
  return {
    ...parseEvent({ type: 'DigestPublished', data }),
    id: options.id ?? uuid(900_000 + version),
    streamId: digestStreamId(period),
    version,
    schemaVersion: 1,
    recordedAt,
    reportedAt: recordedAt,
    metadata,
  };
};

/** The seed story as the event store would record it: versions from 1, all recorded in one append, reported when the article was. */
export const seedEvents = (recordedAt = '2024-01-01T00:00:00.000Z'): RecordedEvent[] =>
  seedStory.events.map(
    (event, i) =>
      ({
        ...(event as DomainEvent),
        id: event.id,
        streamId: storyStreamId(seedStory.storyId),
        version: i + 1,
        schemaVersion: 1,
        recordedAt,
        reportedAt: seedStory.reportedAt,
        metadata,
      }),
  );

/** The seed story recorded through a StoryLog (all at T0, reported when the article was), so a test can append corrections to it. */
export const seedLog = (): StoryLog => {
  const log = new StoryLog(seedStory.storyId);
  const reportedAt = (Date.parse(seedStory.reportedAt) - T0) / 60_000;
  for (const event of seedStory.events) log.record(event.type, event.data, { id: event.id, recordedAt: 0, reportedAt });
  return log;
};

/** Freezes a value and everything in it, so that a mutation throws (in strict mode). */
export const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
};

/** The documents of a log, by key, typed for reading in tests. */
export const fold = (events: RecordedEvent[]) => {
  const docs = foldAll(events);
  return <T>(key: string): T => {
    if (!docs.has(key)) throw new Error(`no document ${key}; have ${[...docs.keys()].join(', ')}`);
    return docs.get(key) as T;
  };
};

/** The event as this code would pass it over: a type it does not know (an event written by a newer version). */
export const unreadable = (event: RecordedEvent, reason = 'type: unknown event type "MartiansLanded"'): UnreadableEvent => ({
  unreadable: true,
  streamId: event.streamId,
  version: event.version,
  id: event.id,
  type: 'MartiansLanded',
  recordedAt: event.recordedAt,
  reason,
});
