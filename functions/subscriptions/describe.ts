import { followsEverything, type Preferences } from './preferences';

/** What a subscription covers, in words, for mails and pages. */
export const describePreferences = (p: Preferences): string => {
  const what = followsEverything(p)
    ? 'every story'
    : [p.stories.length ? `the stories ${p.stories.join(', ')}` : '', p.topics.length ? `the topics ${p.topics.join(', ')}` : ''].filter(Boolean).join(' and ');
  return `the ${p.period} digest of ${what}`;
};
