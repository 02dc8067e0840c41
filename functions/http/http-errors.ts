/** Failures that only exist at the HTTP edge (the domain's errors are in events/errors.ts). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: 401 | 403 | 404 | 405 | 413 | 415 | 400 | 429 | 503,
    readonly title: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
