import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The .eml files the local mailer writes, read back: headers, and the text and HTML parts decoded. */
export interface Eml {
  file: string;
  headers: Record<string, string>;
  text: string;
  html: string;
}

const part = (raw: string, type: string): string => {
  const match = new RegExp(`Content-Type: ${type}; charset=utf-8\\r\\nContent-Transfer-Encoding: base64\\r\\n\\r\\n([A-Za-z0-9+/=\\r\\n]+)`).exec(raw);
  return match?.[1] ? Buffer.from(match[1].replace(/\r\n/g, ''), 'base64').toString('utf8') : '';
};

export const readEml = (dir: string, file: string): Eml => {
  const raw = readFileSync(join(dir, file), 'utf8');
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n\s+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return { file, headers, text: part(raw, 'text/plain'), html: part(raw, 'text/html') };
};

export const outboxMails = (dir: string): Eml[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).sort().map((f) => readEml(dir, f)) : [];
