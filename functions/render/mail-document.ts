import { escapeHtml } from './text';

/** What a mail's body looks like: mail clients keep no stylesheet, so the style is inline. */
const BODY_STYLE = 'font-family: Georgia, serif; max-width: 42em; margin: 1em auto; line-height: 1.45; color: #222';

/**
 * The one HTML document every mail is sent in (digests, the subscription's confirmation): a title,
 * inline styles only, no script. `title` is text (escaped here); `body` is HTML its caller escaped.
 */
export const mailDocument = (title: string, body: string): string =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="${BODY_STYLE}">${body}</body></html>`;
