import fc from 'fast-check';
import type { RecordedEvent } from '../../events/catalog/events';
import { foldAll } from '../../events/projections/fold';
import { timelineKey } from '../../events/projections/keys';
import { projections } from '../../events/projections/registry';
import type { TimelineModel } from '../../events/projections/timeline';
import { storyIdOf } from '../../events/streams';
import { deepFreeze, dev, digestEvent, seedLog, StoryLog, summitStory } from '../support/projection-fixtures';

/** Two stories that share an actor and topics, corrected and retracted, and two digest periods. */
const smallLog = (): RecordedEvent[] => {
  const other = new StoryLog('other', 5000).open(['steel']).actor('putin', 'Putin', ['V. Putin']).actor('o', 'O', [], 'outlet');
  const comment = other.record('CommentaryPublished', { ...dev({ headline: 'Putin on steel', topics: ['steel'], actors: ['putin'] }), outlet: 'o', quote: 'q' }, { reportedAt: 3 });
  other.record('DevelopmentCorrected', { eventId: comment.id, changes: { topics: ['energy'], actors: [] }, note: 'Topic.' }, { recordedAt: 50 });
  other.record('DevelopmentRetracted', { eventId: comment.id, reason: 'Wrong.' }, { recordedAt: 60 });
  return [...summitStory().events, ...other.events, digestEvent('daily', 1), digestEvent('daily', 2), digestEvent('weekly', 1)];
};

/** The projector's loop: the story as currently stored, then every projection's documents; any delivery order. */
const project = (deliveries: readonly RecordedEvent[], freeze = false): Map<string, unknown> => {
  const docs = new Map<string, unknown>();
  for (const delivered of deliveries) {
    const event = freeze ? deepFreeze(structuredClone(delivered)) : delivered;
    const storyId = storyIdOf(event.streamId);
    const story = storyId === undefined ? undefined : (docs.get(timelineKey(storyId)) as TimelineModel | undefined);
    if (freeze) deepFreeze(story);
    for (const projection of projections) {
      for (const key of projection.keysOf(event, story)) {
        const model = docs.get(key) ?? projection.initial(key);
        docs.set(key, projection.evolve(freeze ? deepFreeze(model) : model, event, story));
      }
    }
  }
  return docs;
};

const asObject = (docs: Map<string, unknown>) => Object.fromEntries([...docs.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));

/** Streams kept in version order, interleaved as `order` says (one stream index per slot). */
const interleave = (events: readonly RecordedEvent[], order: number[]): RecordedEvent[] => {
  const streams = [...new Set(events.map((event) => event.streamId))].map((streamId) => events.filter((event) => event.streamId === streamId));
  const next = streams.map(() => 0);
  const out: RecordedEvent[] = [];
  for (const pick of [...order, ...events.map((_, i) => i)]) {
    const candidates = streams.map((_, i) => i).filter((i) => next[i]! < streams[i]!.length);
    if (candidates.length === 0) break;
    const stream = candidates[pick % candidates.length]!;
    out.push(streams[stream]![next[stream]!]!);
    next[stream]! += 1;
  }
  return out;
};

describe('the reference fold', () => {
  const events = smallLog();
  const expected = foldAll(events);

  it('makes every document of every projection', () => {
    expect([...expected.keys()].sort()).toEqual(
      expect.arrayContaining([
        'actor/putin',
        'feed/actor/putin',
        'feed/all',
        'feed/digest/daily',
        'feed/digest/weekly',
        'feed/story/other',
        'feed/story/summit',
        'feed/topic/energy',
        'feed/topic/steel',
        'stories',
        'story/other/actors',
        'story/summit/agreements',
        'story/summit/timeline',
        'story/summit/visits',
      ]),
    );
    expect(new Set(projections.map((projection) => projection.name))).toEqual(new Set(['timeline', 'visits', 'agreements', 'actors', 'feeds', 'stories', 'digests']));
  });

  it('never mutates a model, the story or the event it is given (all deep-frozen)', () => {
    expect(asObject(project(events, true))).toEqual(asObject(expected));
    const seed = seedLog();
    seed.record('DevelopmentRetracted', { eventId: seed.events.at(-1)!.id, reason: 'Withdrawn.' });
    expect(asObject(project(seed.events, true))).toEqual(asObject(foldAll(seed.events)));
  });

  it('applies each stream in version order, once, whatever order and repeats it is given', () => {
    const shuffled = [...events].reverse();
    const repeated = [...events, ...events.slice(0, 10)];
    expect(asObject(foldAll(shuffled))).toEqual(asObject(expected));
    expect(asObject(foldAll(repeated))).toEqual(asObject(expected));
  });

  it('leaves a document as it is when an event is applied again', () => {
    const docs = new Map<string, unknown>();
    for (const event of events) {
      const storyId = storyIdOf(event.streamId);
      const story = storyId === undefined ? undefined : (docs.get(timelineKey(storyId)) as TimelineModel | undefined);
      for (const projection of projections) {
        for (const key of projection.keysOf(event, story)) {
          const once = projection.evolve(docs.get(key) ?? projection.initial(key), event, story);
          expect(projection.evolve(once, event, story)).toBe(once);
          docs.set(key, once);
        }
      }
    }
  });

  it('equals what a projector makes of any interleaving of the streams, with redeliveries of earlier records', () => {
    const expectedJson = JSON.stringify(asObject(expected));
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { maxLength: events.length }),
        fc.array(fc.record({ at: fc.nat(), of: fc.nat() }), { maxLength: 15 }),
        (order, redeliveries) => {
          const deliveries = interleave(events, order);
          // at-least-once: an already delivered record comes again, later
          for (const { at, of } of redeliveries) {
            const position = at % (deliveries.length + 1);
            if (position === 0) continue;
            deliveries.splice(position, 0, deliveries[of % position]!);
          }
          expect(JSON.stringify(asObject(project(deliveries)))).toBe(expectedJson);
        },
      ),
      { numRuns: 60, seed: 20121004 },
    );
  });
});
