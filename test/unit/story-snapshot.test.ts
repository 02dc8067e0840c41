import { randomUUID } from 'node:crypto';
import { fingerprint as contentFingerprint } from '../../events/fingerprint';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { advance, decideAll, deciderVersion, evolve, fold, initialState, OlderEventsNeeded, type StoryEvent, type StoryState } from '../../events/story/decider';
import { addKey, emptyFilter, mayHave } from '../../events/story/event-filter';
import { HEAD_EVENTS, restoreHead, restoreState, SEGMENT_EVENTS, snapshotParts } from '../../events/story/snapshot';

/** Snapshots of the decider's state: what is stored is what was folded, and a changed fold changes the version. */

const seedEvents = seedStory.events;
const developmentId = seedEvents.find((e) => e.type === 'MeetingHeld' || e.type === 'CommentaryPublished')?.id as string;
const retraction: StoryEvent = { id: randomUUID(), type: 'DevelopmentRetracted', data: { eventId: developmentId, reason: 'withdrawn by the outlet' } };

const fingerprint = (state: StoryState): string =>
  contentFingerprint(state.status === 'open' ? { ...state, events: [...state.events].map(([id, e]) => [id.length, e]), byContent: [...state.byContent.keys()] } : state);

describe('a snapshot of a story state', () => {
  it('reads back as the state it was taken of, retractions included, from its segments and head', () => {
    const state = fold(initialState, [...seedEvents, retraction]) as Extract<StoryState, { status: 'open' }>;
    const { head, segments } = snapshotParts(state, 42, 0);
    expect(head).toMatchObject({ version: 42, segments: Math.floor(state.events.size / SEGMENT_EVENTS) });
    expect(restoreState(head, segments.map((s) => s.events))).toEqual(state);
  });

  it('has no size cliff: full segments are written once, the head holds fewer than a segment of events', () => {
    const storyId = seedStory.storyId;
    const comments = Array.from({ length: 3 * SEGMENT_EVENTS + 7 }, (_, i) => ({ ...seedEvents.find((e) => e.type === 'CommentaryPublished')!, id: `c-${i}`, data: { ...(seedEvents.find((e) => e.type === 'CommentaryPublished')!.data as object), quote: `quote ${i}` } }) as StoryEvent);
    const state = fold(initialState, [...seedEvents, ...comments]) as Extract<StoryState, { status: 'open' }>;
    const all = snapshotParts(state, 1000, 0);
    const later = snapshotParts(state, 1000, 2);
    expect(all.segments.map((s) => s.index)).toEqual([0, 1, 2].slice(0, all.head.segments));
    expect(later.segments.map((s) => s.index)).toEqual(all.segments.slice(2).map((s) => s.index));
    expect(all.head.tail.length).toBeLessThan(SEGMENT_EVENTS);
    expect(all.segments.every((s) => s.events.length === SEGMENT_EVENTS)).toBe(true);
    expect(restoreState(all.head, all.segments.map((s) => s.events))).toEqual(state);
    expect(() => restoreState(all.head, all.segments.slice(1).map((s) => s.events))).toThrow();
    expect(state.storyId).toBe(storyId);
  });

  it('folding a batch at once gives the state of evolving event by event, and leaves the state handed in as it was', () => {
    const half = fold(initialState, seedEvents.slice(0, 5));
    const before = structuredClone(half);
    const stepwise = seedEvents.slice(5).reduce(evolve, half);
    expect(fold(half, seedEvents.slice(5))).toEqual(stepwise);
    expect(half).toEqual(before);
  });

  it('is tagged with a decider version that changes when the fold does', () => {
    // when this fails, evolve or the shape of the state changed: bump deciderVersion (stored snapshots of
    // the old version are then ignored) and record the new fingerprint here
    const ids = new Map(seedEvents.map((e, i) => [e.id, `id-${i}`]));
    const renamed = seedEvents.map((e) => ({ ...e, id: ids.get(e.id) as string }));
    expect({ deciderVersion, fingerprint: fingerprint(fold(initialState, renamed)) }).toEqual({ deciderVersion: 5, fingerprint: '92bc24c6daf6c66a7b0d482ad441bbc563c7f2f8724778fd45691449aa9b7eb2' });
  });

  describe('read from its head alone', () => {
    const commentary = seedEvents.find((e) => e.type === 'CommentaryPublished')!;
    const comments = Array.from({ length: 2 * SEGMENT_EVENTS + 7 }, (_, i) => ({ ...commentary, id: `c-${i}`, data: { ...(commentary.data as object), quote: `quote ${i}` } }) as StoryEvent);
    const whole = fold(initialState, [...seedEvents, ...comments]) as Extract<StoryState, { status: 'open' }>;
    const parts = snapshotParts(whole, 1000, 0);
    const filter = parts.filter!;
    const record = (event: StoryEvent) => decideAll([{ type: 'Record', storyId: whole.storyId, event }], restoreHead(parts.head, filter)).events;
    const fresh = (i: number) => ({ ...commentary, id: `new-${i}`, data: { ...(commentary.data as object), quote: `new quote ${i}` } }) as StoryEvent;

    it('decides a new event as the whole state does, holding a filter in place of the older events', () => {
      const head = restoreHead(parts.head, filter);
      expect(head).toMatchObject({ older: { count: parts.head.segments * SEGMENT_EVENTS }, actors: whole.actors, visits: whole.visits });
      expect(head.status === 'open' && head.events.size).toBe(parts.head.tail.length);
      expect(record(fresh(1))).toEqual([fresh(1)]);
      // a rule on the story's own facts is decided there and then
      expect(() => record({ ...fresh(2), data: { ...fresh(2).data, actors: ['nobody'] } } as StoryEvent)).toThrow('must be identified');
    });

    it('asks for the whole state when an id or a content hash may be an older event, and never answers wrongly', () => {
      const old = comments[0]!;
      expect(() => record(old)).toThrow(OlderEventsNeeded);
      expect(() => record({ ...old, id: 'another-id' })).toThrow(OlderEventsNeeded);
      expect(() => record({ id: 'fix', type: 'DevelopmentCorrected', data: { eventId: old.id, changes: { headline: 'h' }, note: 'n' } })).toThrow(OlderEventsNeeded);
      // an id the filter has never seen: no older event has it, for certain
      expect(() => record({ id: 'fix', type: 'DevelopmentRetracted', data: { eventId: 'no-such-event', reason: 'r' } })).toThrow('is not an event of story');
    });

    it('gives the same later segments as the whole state, retractions of older events included', () => {
      const retraction = { id: 'withdrawn', type: 'DevelopmentRetracted', data: { eventId: comments[0]!.id, reason: 'r' } } as StoryEvent;
      const later = Array.from({ length: SEGMENT_EVENTS }, (_, i) => fresh(i));
      const head = advance(restoreHead(parts.head, filter), [retraction, ...later]) as Extract<StoryState, { status: 'open' }>;
      const all = advance(fold(whole, []), [retraction, ...later]) as Extract<StoryState, { status: 'open' }>;
      const fromHead = snapshotParts(head, 2000, parts.head.segments, filter);
      const fromWhole = snapshotParts(all, 2000, parts.head.segments, filter);
      expect(fromHead.head).toEqual(fromWhole.head);
      expect(fromHead.segments).toEqual(fromWhole.segments);
      expect(fromHead.filter!.bits).toEqual(snapshotParts(all, 2000, 0).filter!.bits);
      expect(restoreState(fromHead.head, [...parts.segments, ...fromHead.segments].map((s) => s.events))).toEqual(all);
    });
  });

  it('takes a head between segments without a filter (the stored one covers its segments), holding the events after the last segment', () => {
    const commentary = seedEvents.find((e) => e.type === 'CommentaryPublished')!;
    const comments = Array.from({ length: SEGMENT_EVENTS + HEAD_EVENTS }, (_, i) => ({ ...commentary, id: `h-${i}`, data: { ...(commentary.data as object), quote: `head quote ${i}` } }) as StoryEvent);
    const state = fold(initialState, [...seedEvents, ...comments]) as Extract<StoryState, { status: 'open' }>;
    const first = snapshotParts(state, 1000, 0);
    const between = snapshotParts(state, 1001, first.head.segments, first.filter);
    expect(between).toEqual({ head: { ...first.head, version: 1001 }, segments: [] });
    expect(between.head.tail.length).toBe(state.events.size - first.head.segments * SEGMENT_EVENTS);
    expect(restoreState(between.head, first.segments.map((s) => s.events))).toEqual(state);
  });

  it("keeps an event filter that never says no to a key it was given", () => {
    const filter = emptyFilter();
    const keys = Array.from({ length: 40_000 }, () => randomUUID());
    keys.forEach((key) => addKey(filter, key));
    expect(keys.every((key) => mayHave(filter, key))).toBe(true);
    const strangers = Array.from({ length: 10_000 }, () => randomUUID()).filter((key) => mayHave(filter, key)).length;
    // about 1 in 300 at 40,000 keys (a 20,000-event story's ids and hashes)
    expect(strangers).toBeLessThan(100);
  });
});
