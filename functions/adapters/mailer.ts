import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { buildMime, type MimeMessage } from '../render/mime';

/** Where digests are sent: SES in AWS (when configured), an outbox folder of .eml files locally. */
export interface Mailer {
  describe: string;
  /** `to` replaces the configured recipients (a subscriber's own mail). */
  send(message: Omit<MimeMessage, 'from' | 'to'> & { to?: string[] }): Promise<void>;
}

export const createOutboxMailer = (dir: string, from = 'Storyline <digest@storyline.local>', to = ['reader@storyline.local']): Mailer => ({
  describe: `outbox ${dir}`,
  async send(message) {
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${message.messageId.split('@')[0]}.eml`);
    await writeFile(file, buildMime({ ...message, from, to: message.to ?? to }));
  },
});

export const createSesMailer = (from: string, to: string[], client = new SESv2Client({}), configurationSetName?: string): Mailer => ({
  describe: `SES from ${from} to ${to.length} recipient(s)`,
  async send(message) {
    const recipients = message.to ?? to;
    const raw = buildMime({ ...message, from, to: recipients });
    await client.send(
      new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: recipients },
        Content: { Raw: { Data: Buffer.from(raw, 'utf8') } },
        ...(configurationSetName ? { ConfigurationSetName: configurationSetName } : {}),
      }),
    );
  },
});

export const noMailer: Mailer = { describe: 'no e-mail (not configured)', send: () => Promise.resolve() };
