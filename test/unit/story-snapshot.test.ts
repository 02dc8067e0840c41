import { randomUUID } from 'node:crypto';
import { fingerprint as contentFingerprint } from '../../events/fingerprint';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { deciderVersion, evolve, fold, initialState, type StoryEvent, type StoryState } from '../../events/story/decider';
import { restoreState, SEGMENT_EVENTS, snapshotParts } from '../../events/story/snapshot';

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
    expect({ deciderVersion, fingerprint: fingerprint(fold(initialState, renamed)) }).toEqual({ deciderVersion: 4, fingerprint: '92bc24c6daf6c66a7b0d482ad441bbc563c7f2f8724778fd45691449aa9b7eb2' });
  });
});
