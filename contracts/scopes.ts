/** The OAuth scope a JWT needs to write (append, open a story); reads are public. */
export const WRITE_SCOPE = 'storyline/write';
