/**
 * Log messages that something outside the code counts: the alarms' metric filters
 * (infra/constructs/operations.ts) match them in the functions' structured logs.
 */

/** The projector passed over an event it cannot read (events/projections/unreadable.ts). */
export const UNREADABLE_EVENT = 'unreadable event passed over';
