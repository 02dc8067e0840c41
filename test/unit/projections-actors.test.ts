import { actorsProjection, initialActor, initialStoryActors, type ActorModel, type StoryActorsModel } from '../../events/projections/actors';
import { actorKey, storyActorsKey, timelineKey } from '../../events/projections/keys';
import { actorDevelopments } from '../support/queries';
import type { TimelineModel } from '../../events/projections/timeline';
import { dev, fold, StoryLog, summitStory } from '../support/projection-fixtures';

describe('the actors projection', () => {
  const story = summitStory();
  const docs = fold(story.events);

  it('keeps each actor with its name, aliases, kind and the stories it appears in', () => {
    expect(docs<ActorModel>(actorKey('putin'))).toMatchObject({ doc: 'actor', actorId: 'putin', name: 'Vladimir Putin', aliases: ['Putin'], kind: 'person', stories: ['summit'] });
    expect(docs<ActorModel>(actorKey('russia'))).toMatchObject({ kind: 'country' });
  });

  it('lists the developments that involve an actor (its actors, visitors, parties...) in the order they occurred', () => {
    const putin = docs<ActorModel>(actorKey('putin'));
    expect(putin.developments.map((d) => [d.eventId, d.headline])).toEqual([
      [story.planned.id, 'Putin to attend the summit in Islamabad'],
      [story.cancelled.id, 'Putin cancels his visit'],
      // the correction added Putin to the pledge
      [story.pledge.id, 'Russia pledges $300-500 million for Pakistan Steel Mills'],
    ]);
    expect(putin.developments[0]).toMatchObject({ storyId: 'summit', type: 'VisitPlanned', occurred: { start: '2012-08', precision: 'month' }, retracted: false });
    expect(docs<ActorModel>(actorKey('russia')).developments.map((d) => d.eventId)).toEqual([story.stalled.id, story.mou.id, story.pledge.id]);
  });

  it('flags a retracted development', () => {
    expect(docs<ActorModel>(actorKey('gazprom')).developments).toEqual([expect.objectContaining({ eventId: story.interest.id, retracted: true })]);
  });

  it('lists the actors of a story in the order identified, each with its developments in the story', () => {
    const list = docs<StoryActorsModel>(storyActorsKey('summit'));
    expect(list.actors.map((actor) => actor.actorId)).toEqual(['putin', 'lavrov', 'russia', 'pakistan', 'gazprom']);
    expect(list.actors[0]?.developments).toEqual(docs<ActorModel>(actorKey('putin')).developments);
  });

  it('removes a development from an actor a correction removes from it, and adds it to the one it now involves', () => {
    const log = new StoryLog('swap').open().actor('a', 'A').actor('b', 'B');
    const meeting = log.record('CommentaryPublished', { ...dev({ actors: ['a'] }), outlet: 'b', quote: 'q' });
    log.record('DevelopmentCorrected', { eventId: meeting.id, changes: { actors: [] }, note: 'A was not there.' });
    const swapped = fold(log.events);
    expect(swapped<ActorModel>(actorKey('a')).developments).toEqual([]);
    expect(actorDevelopments(swapped<ActorModel>(actorKey('b')), 'swap').map((d) => d.eventId)).toEqual([meeting.id]);
  });

  describe('across stories', () => {
    const first = new StoryLog('first', 1000).open().actor('kayani', 'Ashfaq Kayani', ['General Kayani']);
    first.record('MeetingHeld', { ...dev({ headline: 'Kayani meets Makarov', occurred: { start: '2012-10-05', precision: 'day' } }), meetingId: 'm', participants: ['kayani'], place: 'Moscow', outcome: 'Consensus' });
    const second = new StoryLog('second', 2000).open();
    second.record('ActorIdentified', { actorId: 'kayani', name: 'Ashfaq Pervez Kiani', aliases: ['Kiani'], kind: 'person', role: 'COAS' }, { recordedAt: 0 });
    second.record('CommentaryPublished', { ...dev({ headline: 'Kiani flies to Russia', occurred: { start: '2012-10', precision: 'month' }, actors: ['kayani'] }), outlet: 'kayani', quote: 'q' });

    it('merges every spelling into one actor, named by its earliest identification', () => {
      const kayani = fold([...first.events, ...second.events])<ActorModel>(actorKey('kayani'));
      expect(kayani).toMatchObject({ name: 'Ashfaq Pervez Kiani', role: 'COAS', stories: ['first', 'second'] });
      expect([kayani.name, ...kayani.aliases]).toEqual(expect.arrayContaining(['Ashfaq Kayani', 'General Kayani', 'Ashfaq Pervez Kiani', 'Kiani']));
      expect(kayani.developments.map((d) => d.headline)).toEqual(['Kiani flies to Russia', 'Kayani meets Makarov']);
    });

    it('is the same document whichever story is applied first', () => {
      const key = actorKey('kayani');
      const interleaved = [first.events[0]!, second.events[0]!, second.events[1]!, first.events[1]!, second.events[2]!, first.events[2]!];
      const expected = fold([...first.events, ...second.events])<ActorModel>(key);
      expect(fold([...second.events, ...first.events])<ActorModel>(key)).toEqual(expected);
      expect(fold(interleaved)<ActorModel>(key)).toEqual(expected);
      expect(JSON.stringify(fold([...second.events, ...first.events])<ActorModel>(key))).toBe(JSON.stringify(expected));
    });
  });

  it('asks for the story list and each actor an event refers to', () => {
    const before = (version: number) => fold(story.events.slice(0, version - 1))<TimelineModel>(timelineKey('summit'));
    expect(actorsProjection.keysOf(story.events[1]!, undefined)).toEqual([storyActorsKey('summit'), actorKey('putin')]);
    expect(actorsProjection.keysOf(story.mou, undefined)).toEqual([storyActorsKey('summit'), actorKey('russia'), actorKey('pakistan')]);
    // a correction reaches the actors of the original and those it adds
    expect(actorsProjection.keysOf(story.correction, before(story.correction.version))).toEqual([
      storyActorsKey('summit'),
      actorKey('russia'),
      actorKey('pakistan'),
      actorKey('putin'),
    ]);
    expect(actorsProjection.keysOf(story.events[0]!, undefined)).toEqual([]);
    expect(actorsProjection.initial(actorKey('putin'))).toEqual(initialActor('putin'));
    expect(actorsProjection.initial(storyActorsKey('summit'))).toEqual(initialStoryActors('summit'));
  });
});
