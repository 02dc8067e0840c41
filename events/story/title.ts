/** What a story is called wherever it is shown: its title, or its id until it has one. */
export const storyTitle = (story: { readonly storyId: string; readonly title?: string | undefined }): string => story.title || story.storyId;
