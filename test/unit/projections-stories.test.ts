import { STORIES_KEY } from '../../events/projections/keys';
import { storyList } from '../../events/projections/queries';
import { initialStories, storiesProjection, type StoriesModel } from '../../events/projections/stories';
import { digestEvent, fold, StoryLog, summitStory } from '../support/projection-fixtures';

describe('the stories projection', () => {
  const summit = summitStory();
  const other = new StoryLog('other', 5000).open(['energy']);

  it('lists each story with its title, topics, last version and when it last changed, most recent first', () => {
    const model = fold([...summit.events, ...other.events, digestEvent('daily', 1)])<StoriesModel>(STORIES_KEY);
    expect(storyList(model)).toEqual([
      { storyId: 'summit', title: 'The summit story', summary: 'All about summit.', topics: ['diplomacy', 'summit'], version: summit.events.length, updatedAt: summit.retraction.recordedAt },
      { storyId: 'other', title: 'The other story', summary: 'All about other.', topics: ['energy'], version: 1, updatedAt: other.events[0]!.recordedAt },
    ]);
    expect(model.applied).toEqual({ 'story/other': 1, 'story/summit': summit.events.length });
  });

  it('shows a story as last revised: the fields the revision names, the others as opened', () => {
    const revised = new StoryLog('revised').open(['energy']);
    revised.record('StoryRevised', { title: 'A revised title', topics: ['energy', 'steel'] });
    revised.record('StoryRevised', { summary: 'Now about steel.' });
    expect(storyList(fold(revised.events)<StoriesModel>(STORIES_KEY))).toEqual([
      { storyId: 'revised', title: 'A revised title', summary: 'Now about steel.', topics: ['energy', 'steel'], version: 3, updatedAt: revised.events[2]!.recordedAt },
    ]);
  });

  it('is the same whichever story is applied first', () => {
    expect(fold([...other.events, ...summit.events])<StoriesModel>(STORIES_KEY)).toEqual(fold([...summit.events, ...other.events])<StoriesModel>(STORIES_KEY));
  });

  it('is changed by every story event and by no digest', () => {
    expect(storiesProjection.keysOf(summit.pledge, undefined)).toEqual([STORIES_KEY]);
    expect(storiesProjection.keysOf(digestEvent('weekly', 1), undefined)).toEqual([]);
    expect(storiesProjection.initial(STORIES_KEY)).toEqual(initialStories());
  });
});
