/** The one error taxonomy of Storyline. functions/http/problem.ts maps each to an HTTP status. */

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `events.0.data.occurred.start`. */
  field: string;
  message: string;
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(issues.length ? `${message}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}` : message);
  }
}

/** An append at an expected version that is no longer the head of the stream; `currentVersion` is the head, when the one who says so read it. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(
    message: string,
    readonly currentVersion?: number,
  ) {
    super(message);
  }
}

/** A rule of the story is broken (cancelling an unknown visit, correcting an unknown event...). */
export class RuleViolationError extends Error {
  override readonly name = 'RuleViolationError';
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** An event id or idempotency key already used with different content. */
export class DuplicateError extends Error {
  override readonly name = 'DuplicateError';
  constructor(message: string) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super(message);
  }
}
