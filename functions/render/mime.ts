/**
 * A MIME message (RFC 5322 / 2045-2047) with a plain-text and an HTML part
 * (multipart/alternative), as SES SendRawEmail takes it and as an .eml file stores it.
 */

const encodeHeader = (value: string): string =>
  // RFC 2047 encoded word when the header is not plain ASCII
  /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;

const base64Lines = (text: string): string => (Buffer.from(text, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');

export interface MimeMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** RFC 5322 date of the message. */
  date: Date;
  /** Stable message id (e.g. derived from the digest id), so a re-send is recognisable. */
  messageId: string;
}

export const buildMime = (message: MimeMessage): string => {
  const boundary = `storyline-${Buffer.from(message.messageId).toString('hex').slice(0, 24)}`;
  const headers = [
    `From: ${encodeHeader(message.from)}`,
    `To: ${message.to.map(encodeHeader).join(', ')}`,
    `Subject: ${encodeHeader(message.subject.replace(/[\r\n]+/g, ' '))}`,
    `Date: ${message.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${message.messageId}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
  ];
  const part = (type: string, body: string) => [`--${boundary}`, `Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', base64Lines(body)].join('\r\n');
  return [...headers, '', 'This is a multipart message in MIME format.', part('text/plain', message.text), part('text/html', message.html), `--${boundary}--`, ''].join('\r\n');
};
