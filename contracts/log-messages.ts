/**
 * Log messages that something outside the code counts: the alarms' metric filters
 * (infra/constructs/operations.ts) match them in the functions' structured logs.
 */

/** The projector passed over an event it cannot read (events/projections/unreadable.ts). */
export const UNREADABLE_EVENT = 'unreadable event passed over';

/** A projection failed on an event, which the documents it would change passed over. */
export const PROJECTION_FAILED = 'event passed over: a projection failed on it';

/** Every message the passed-over alarm counts. */
export const PASSED_OVER_MESSAGES = [UNREADABLE_EVENT, PROJECTION_FAILED] as const;

/** A digest could not be sent to one subscriber (logged with the subscriber's opaque id, never the address). */
export const SUBSCRIBER_SEND_FAILED = 'digest not sent to a subscriber';

/** A stream record of the events table that is not an INSERT: an event or bookkeeping item overwritten or removed, which nothing may do. */
export const EVENT_NOT_INSERTED = 'events table changed by something other than an insert: the log is append-only';
