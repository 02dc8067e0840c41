import { StoryLog, dev } from './projection-fixtures';

/**
 * A story of `developments` commentaries, one a day from 1 January 2012 (so its timeline order is
 * the order recorded), each with its number in its headline: "Development 7".
 */
export const longStory = (storyId: string, developments: number): StoryLog => {
  const log = new StoryLog(storyId).open().actor('dawn', 'Dawn', [], 'outlet');
  for (let i = 1; i <= developments; i++) {
    const day = new Date(Date.UTC(2012, 0, i)).toISOString().slice(0, 10);
    log.record('CommentaryPublished', { ...dev({ headline: `Development ${i}`, occurred: { start: day, precision: 'day' } }), outlet: 'dawn', quote: `Quote ${i}.` });
  }
  return log;
};
