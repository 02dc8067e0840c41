/** Stream ids: one stream per story, one per digest period. */
export const storyStreamId = (storyId: string): string => `story/${storyId}`;
export const digestStreamId = (period: string): string => `digest/${period}`;

export const streamCategory = (streamId: string): string => streamId.slice(0, Math.max(0, streamId.indexOf('/')));

export const storyIdOf = (streamId: string): string | undefined =>
  streamId.startsWith('story/') ? streamId.slice('story/'.length) : undefined;
