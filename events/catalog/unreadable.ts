import type { RecordedEvent } from './events';

/**
 * An event in the log that this code cannot read: a type it does not know, or data its schema
 * refuses (written by a newer version, or damaged). The log keeps it, as it keeps everything;
 * reads that can do without its content get it in its place instead of an error
 * (events/projections/unreadable.ts says how projections pass over it).
 */
export interface UnreadableEvent {
  unreadable: true;
  streamId: string;
  version: number;
  id: string;
  type: string;
  recordedAt: string;
  /** Why it cannot be read, naming the field. */
  reason: string;
}

/** An event as read from the log: decoded, or unreadable in its place. */
export type ProjectableEvent = RecordedEvent | UnreadableEvent;

export const isUnreadable = (event: ProjectableEvent): event is UnreadableEvent => 'unreadable' in event;
