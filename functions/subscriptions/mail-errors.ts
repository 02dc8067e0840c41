import type { Mailer } from '../adapters/mailer';

/**
 * Mail errors name the recipient (SES `MessageRejected: Email address is not verified: a@b`), so
 * none leaves this module with its message: a failed send becomes a MailNotSentError that carries the
 * error's name and code only, and logs say `{ errorName, errorCode }` of any error, never its message.
 */

export interface ErrorFields {
  errorName: string;
  errorCode?: string;
}

/** The name and code of an error (an AWS SDK error's `Code`/`code`, else its HTTP status), never its message. */
export const errorFields = (error: unknown): ErrorFields => {
  if (!(error instanceof Error)) return { errorName: typeof error };
  const fields = error as Error & { Code?: string; code?: string | number; $metadata?: { httpStatusCode?: number } };
  const code = fields.Code ?? fields.code ?? fields.$metadata?.httpStatusCode;
  return { errorName: error.name, ...(code === undefined ? {} : { errorCode: String(code) }) };
};

export class MailNotSentError extends Error {
  override readonly name = 'MailNotSentError';
  constructor(readonly fields: ErrorFields) {
    super(`the mail was not sent (${fields.errorName}${fields.errorCode ? ` ${fields.errorCode}` : ''})`);
  }
}

/** Sends through `mailer`; a failure is thrown as a MailNotSentError, without the original message. */
export const sendMail = async (mailer: Mailer, message: Parameters<Mailer['send']>[0]): Promise<void> => {
  try {
    await mailer.send(message);
  } catch (error) {
    throw new MailNotSentError(errorFields(error));
  }
};
