/** A CLI failure that deserves one line to the user, not a stack trace. */
export class CliError extends Error {}
