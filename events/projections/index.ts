/** The read models of Storyline: pure projections of the event log, and the reads on them. */
export * from './actors';
export * from './agreements';
export { asOf } from './as-of';
export * from './digests';
export * from './entry';
export * from './feed-entries';
export * from './feeds';
export { foldAll } from './fold';
export * from './keys';
export * from './projection';
export * from './queries';
export { projections, READ_MODEL_SCHEMA } from './registry';
export * from './stories';
export * from './timeline';
export * from './visits';
export * from './unreadable';
export * from './progress';
