import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeEvent, encodeEvent, parseEvent } from '../../events/catalog/codec';
import { isDevelopment, type DevelopmentEvent, type DomainEvent, type EventOf } from '../../events/catalog/events';
import { ARTICLE_OUTLET, seedCommands, seedStory } from '../../events/seed/russia-pakistan-2012';
import { decideAll, initialState } from '../../events/story/decider';

/** The article the seed story is taken from lives outside the repository: STORYLINE_ARTICLE, or ../shared/source/article.txt. */
const articlePath = process.env.STORYLINE_ARTICLE ?? path.resolve(__dirname, '../../../shared/source/article.txt');
const article = existsSync(articlePath) ? readFileSync(articlePath, 'utf8') : undefined;
const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const developments = seedStory.events.filter(isDevelopment) as (DevelopmentEvent & { id: string })[];
const ofType = <K extends DevelopmentEvent['type']>(type: K) => developments.filter((event): event is EventOf<K> & { id: string } => event.type === type);
const actor = (actorId: string) => seedStory.events.find((event) => event.type === 'ActorIdentified' && event.data.actorId === actorId);

describe('the seed story (Russia and Pakistan, 2012)', () => {
  it('decides cleanly from the initial state, every event accepted as it is', () => {
    const { events } = decideAll(seedCommands(), initialState);
    expect(events).toEqual(seedStory.events);
  });

  it('adds nothing when it is seeded twice', () => {
    const { state } = decideAll(seedCommands(), initialState);
    expect(decideAll(seedCommands(), state).events).toEqual([]);
  });

  it('opens the story first, and identifies every actor before the developments', () => {
    expect(seedStory.events[0]).toMatchObject({ type: 'StoryOpened', data: { storyId: seedStory.storyId } });
    const firstDevelopment = seedStory.events.findIndex(isDevelopment);
    const lastActor = seedStory.events.map((event) => event.type).lastIndexOf('ActorIdentified');
    expect(lastActor).toBeLessThan(firstDevelopment);
  });

  it('passes every schema of the catalog, unchanged, and round-trips through the codec', () => {
    for (const event of seedStory.events) {
      const domainEvent = { type: event.type, data: event.data } as DomainEvent;
      expect(parseEvent(domainEvent)).toEqual(domainEvent);
      expect(decodeEvent(JSON.parse(JSON.stringify(encodeEvent(domainEvent))))).toEqual(domainEvent);
    }
  });

  it('gives every event a fixed, unique, version-4 UUID', () => {
    const ids = seedStory.events.map((event) => event.id);
    for (const id of ids) expect(id).toMatch(uuidV4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  // without the article the check cannot run: it is reported as skipped, with the reason in its name
  const withArticle = article === undefined ? it.skip : it;
  const skipReason = article === undefined ? ` (SKIPPED: no article at ${articlePath}; set STORYLINE_ARTICLE to its path)` : '';
  withArticle(`quotes the article verbatim in every source and commentary${skipReason}`, () => {
    const quotes = developments.flatMap((event) => [
      ...event.data.sources.map((source) => source.quote),
      ...(event.type === 'CommentaryPublished' ? [event.data.quote] : []),
    ]);
    expect(quotes.length).toBeGreaterThan(developments.length);
    const missing = quotes.filter((quote) => !article?.includes(quote));
    expect(missing).toEqual([]);
  });

  it('cites Dawn, The Nation and Pakistan Observer, and the article itself', () => {
    const outlets = new Set(developments.flatMap((event) => event.data.sources.map((source) => source.outlet)));
    expect([...outlets]).toEqual(expect.arrayContaining(['Dawn', 'The Nation', 'Pakistan Observer', ARTICLE_OUTLET]));
    const commentators = new Set(ofType('CommentaryPublished').map((event) => event.data.outlet));
    expect([...commentators].sort()).toEqual(['dawn', 'pakistan-observer', 'the-nation']);
  });

  it('dates nothing after it was reported', () => {
    const reported = seedStory.reportedAt.slice(0, 10);
    expect(seedStory.reportedAt).toMatch(/^2012-10-\d{2}T/);
    for (const event of developments) {
      const { start, end } = event.data.occurred;
      expect(reported >= (end ?? start).slice(0, reported.length)).toBe(true);
    }
  });

  it('knows the army chief under both spellings, Kayani and Kiani', () => {
    const kayani = actor('kayani');
    expect(kayani?.type).toBe('ActorIdentified');
    const names = kayani?.type === 'ActorIdentified' ? [kayani.data.name, ...kayani.data.aliases] : [];
    expect(names.some((name) => name.includes('Kayani'))).toBe(true);
    expect(names.some((name) => name.includes('Kiani'))).toBe(true);
    expect(names).toEqual(expect.arrayContaining(['Ashfaq Pervez Kiani', 'General Ashfaq Kayani']));
  });

  it("plans, then cancels, President Putin's visit to the Quadrilateral Summit on 2-3 October 2012", () => {
    const planned = ofType('VisitPlanned').find((event) => event.data.visitors.includes('putin'));
    expect(planned?.data).toMatchObject({ destination: 'Islamabad', scheduled: { start: '2012-10-02', end: '2012-10-03', precision: 'day' } });
    const cancelled = ofType('VisitCancelled').filter((event) => event.data.visitId === planned?.data.visitId);
    expect(cancelled).toHaveLength(1);
    expect(ofType('VisitTookPlace').some((event) => event.data.visitId === planned?.data.visitId)).toBe(false);
  });

  it("records Lavrov's visit as invited, brought forward, then made", () => {
    const lavrov = developments.filter((event) => 'visitId' in event.data && event.data.visitId === 'lavrov-islamabad-2012').map((event) => event.type);
    expect(lavrov).toEqual(['VisitPlanned', 'VisitRescheduled', 'VisitTookPlace']);
  });

  it("dates General Kayani's arrival in Moscow and his meeting with General Makarov to the day", () => {
    const visit = ofType('VisitTookPlace').find((event) => event.data.visitors?.includes('kayani'));
    expect(visit?.data.occurred).toEqual({ start: '2012-10-04', precision: 'day' });
    const meeting = ofType('MeetingHeld').find((event) => event.data.participants.includes('makarov'));
    expect(meeting?.data.occurred).toEqual({ start: '2012-10-05', precision: 'day' });
  });

  it('pledges USD 300-500 million for Pakistan Steel Mills and 500 MW for New Jamshoro', () => {
    const pledges = ofType('AssistancePledged').map((event) => event.data);
    expect(pledges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'russia', amount: { currency: 'USD', min: 300_000_000, max: 500_000_000 } }),
        expect.objectContaining({ from: 'russia', capacity: { value: 500, unit: 'MW' } }),
      ]),
    );
  });

  it('signs MoUs in the three sectors the article names', () => {
    expect(ofType('AgreementSigned').map((event) => event.data.sector).sort()).toEqual(['energy', 'railways', 'steel']);
  });

  it('marks speculation as speculation', () => {
    const speculation = developments.filter((event) => event.data.confidence === 'speculation');
    expect(speculation.length).toBeGreaterThan(0);
    for (const event of speculation) {
      expect(event.data.sources.some((source) => /speculation|believe/i.test(source.quote))).toBe(true);
    }
  });

  it('records the stalled Iran-Pakistan pipeline talks', () => {
    expect(ofType('NegotiationStalled').map((event) => event.data.project)).toEqual(['Iran-Pakistan gas pipeline']);
  });

  it('dates the Inter-Governmental Commission to 10 September 2012', () => {
    const igc = ofType('MeetingHeld').find((event) => event.data.meetingId === 'pak-russia-igc-2012-09-10');
    expect(igc?.data.occurred).toEqual({ start: '2012-09-10', precision: 'day' });
  });
});
