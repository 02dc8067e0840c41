import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { composeDigest, type DigestContent, type DigestWindow } from '../../events/digest/compose';
import { timelineKey } from '../../events/projections/keys';
import type { TimelineModel } from '../../events/projections/timeline';
import { seedStory } from '../../events/seed/russia-pakistan-2012';
import { renderDigestHtml, renderDigestText } from '../../functions/render/digest';
import { formatDateSpan } from '../../functions/render/human-dates';
import { buildMime, type MimeMessage } from '../../functions/render/mime';
import { SYSTEM_PYTHON, SYSTEM_PYTHON_ENV } from '../support/feedparser';
import { unsafeHtml } from '../support/feed-fixtures';
import { dev, fold, seedLog, StoryLog } from '../support/projection-fixtures';

const FIRST_WEEK: DigestWindow = { start: '2012-10-01T06:00:00.000Z', end: '2012-10-08T06:00:00.000Z', timezone: 'UTC' };
const SECOND_WEEK: DigestWindow = { start: '2012-10-08T06:00:00.000Z', end: '2012-10-15T06:00:00.000Z', timezone: 'UTC' };
const FEED_URL = 'https://news.example.org/digests/weekly/feed.rss';
const DAY = 24 * 60;

const compose = (log: StoryLog, window: DigestWindow, carried: ReadonlySet<string> = new Set()): DigestContent => {
  const content = composeDigest({ period: 'weekly', window, timelines: [fold(log.events)<TimelineModel>(timelineKey(log.storyId))], carried });
  if (!content) throw new Error('no digest');
  return content;
};

/** The seed story's weekly digest of 1-8 October 2012, and the next one, with a correction and a retraction. */
const seedDigests = () => {
  const log = seedLog();
  const first = compose(log, FIRST_WEEK);
  const carried = new Set(first.stories.flatMap((s) => s.topics.flatMap((t) => t.developments.map((d) => d.eventId))));
  const pledge = seedStory.events.find((e) => e.type === 'AssistancePledged')!;
  const interest = seedStory.events.find((e) => e.type === 'InterestExpressed')!;
  log.record('DevelopmentCorrected', { eventId: pledge.id, changes: { confidence: 'confirmed' }, note: 'Confirmed by the ministry & the mills.' }, { recordedAt: 2 * DAY, reportedAt: DAY });
  log.record('DevelopmentRetracted', { eventId: interest.id, reason: 'Not confirmed.' }, { recordedAt: 2 * DAY, reportedAt: 2 * DAY });
  return { first, second: compose(log, SECOND_WEEK, carried) };
};
const { first, second } = seedDigests();
const headlines = first.stories.flatMap((s) => s.topics.flatMap((t) => t.developments.map((d) => d.headline)));
const lavrov = first.stories[0]?.topics.flatMap((t) => t.developments).find((d) => d.type === 'VisitTookPlace' && d.headline.includes('Lavrov'));
const kayani = first.stories[0]?.topics.flatMap((t) => t.developments).find((d) => d.type === 'VisitTookPlace' && d.headline.includes('Kayani'));

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A story whose every text is hostile, recorded through the real codec and decider. */
const hostileDigest = (): DigestContent => {
  const log = new StoryLog('hostile').open(['hostile-topic']);
  log.actor('dawn', 'Dawn', [], 'outlet');
  log.record(
    'CommentaryPublished',
    {
      ...dev({
        headline: '<script>alert("headline")</script> & <img src=x onerror=alert(1)>',
        summary: 'Line one <b>bold</b>\n\n<script>alert(2)</script> \u0007bell \u202eevil',
        topics: ['hostile-topic'],
        sources: [{ outlet: '<a href="javascript:alert(3)">Outlet</a>', quote: '"]]></blockquote><script>alert(4)</script>', url: 'https://example.com/?q=<script>&x="y"' }],
      }),
      outlet: 'dawn',
      quote: 'q',
    },
    { reportedAt: DAY },
  );
  const content = compose(log, SECOND_WEEK);
  // what the catalog would refuse (a topic that is not a slug, a javascript: URL) may still be in stored content
  const story = content.stories[0];
  const topic = story?.topics[0];
  const development = topic?.developments[0];
  const source = development?.sources[0];
  if (!story || !topic || !development || !source) throw new Error('no hostile development');
  story.title = '</title><script>alert(6)</script>';
  topic.topic = '<script>topic';
  development.sources.push({ ...source, url: 'javascript:alert(5)' });
  return content;
};

describe('a digest as HTML', () => {
  const html = renderDigestHtml(first, { feedUrl: FEED_URL });

  it('is one HTML document titled by the digest, with every development of the week', () => {
    expect(html.startsWith('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">')).toBe(true);
    expect(html).toContain(`<title>${escaped(first.title)}</title>`);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html.match(/<h2[ >]/g)).toHaveLength(1);
    expect(html.match(/<h3[ >]/g)).toHaveLength(5);
    expect(html.match(/<li[ >]/g)).toHaveLength(28);
    for (const headline of headlines) expect(html).toContain(`<strong>${escaped(headline)}</strong>`);
    expect(html).toContain(escaped(seedStory.events[0]?.type === 'StoryOpened' ? seedStory.events[0].data.title : '?'));
  });

  it('dates each development at its precision and quotes its sources', () => {
    expect(kayani && formatDateSpan(kayani.occurred)).toBe('4 October 2012');
    expect(html).toContain(`<strong>${escaped(kayani?.headline ?? '?')}</strong> <em>4 October 2012`);
    for (const source of lavrov?.sources ?? []) expect(html).toContain(escaped(source.quote));
    expect(html).toContain('&mdash; Dawn</blockquote>');
  });

  it('links the feed, and says which window it covers', () => {
    expect(html).toContain(`Subscribe: <a href="${FEED_URL}">${FEED_URL}</a>`);
    expect(html).toContain('Reported 1–8 October 2012 (06:00 to 06:00, UTC).');
    expect(html).toContain('28 developments in 1 story, reported 1–8 October 2012.');
    expect(renderDigestHtml(first)).not.toContain('Subscribe');
    expect(renderDigestHtml(first, { feedUrl: 'javascript:alert(1)' })).not.toContain('Subscribe');
  });

  it('writes dates as a person does: no ISO instant anywhere, in HTML or in text', () => {
    for (const rendered of [html, renderDigestHtml(second), renderDigestText(first), renderDigestText(second)]) expect(rendered).not.toMatch(/\d{4}-\d{2}-\d{2}T\d/);
    expect(renderDigestText(first).replace(/\s+/g, ' ')).toContain('Reported 1–8 October 2012 (06:00 to 06:00, UTC).');
  });

  it("shows the window's days and times in the window's time zone", () => {
    const karachi = { ...first, window: { start: '2012-09-30T19:00:00.000Z', end: '2012-10-07T19:00:00.000Z', timezone: 'Asia/Karachi' } };
    expect(renderDigestHtml(karachi)).toContain('Reported 1–8 October 2012 (00:00 to 00:00, Asia/Karachi).');
  });

  it('has a corrections and retractions section when something it carried changed', () => {
    const next = renderDigestHtml(second);
    expect(next).toContain('Corrections and retractions');
    expect(next).toContain('<strong>Corrected:</strong>');
    expect(next).toContain('<strong>Retracted:</strong>');
    expect(next).toContain('Confirmed by the ministry &amp; the mills.');
    expect(next).toContain('Not confirmed.');
    expect(html).not.toContain('Corrections and retractions');
  });

  it('says of a development reported before the window when it was reported, in HTML and in text', () => {
    const log = new StoryLog('late-story').open(['steel']).actor('dawn', 'Dawn', [], 'outlet');
    log.record('CommentaryPublished', { ...dev({ headline: 'A report found later', topics: ['steel'] }), outlet: 'dawn', quote: 'Late.' }, { reportedAt: -20 * DAY, recordedAt: 3 * DAY });
    const late = compose(log, SECOND_WEEK);
    expect(late.counts.reportedEarlier).toBe(1);
    expect(renderDigestHtml(late)).toContain('reported 18 September 2012, added since the last digest');
    expect(renderDigestText(late).replace(/\s+/g, ' ')).toContain('reported 18 September 2012, added since the last digest');
    expect(html).not.toContain('added since the last digest');
  });

  it('escapes everything: a hostile headline, summary, topic, outlet, quote or URL makes no markup', () => {
    const hostile = renderDigestHtml(hostileDigest(), { feedUrl: FEED_URL });
    expect(unsafeHtml(hostile)).toEqual([]);
    expect(hostile).not.toMatch(/<script/i);
    expect(hostile).not.toMatch(/<img/i);
    expect(hostile).not.toMatch(/<b>/);
    expect(hostile).not.toContain('javascript:alert(5)');
    expect(hostile).not.toMatch(/href="(?!https:)/);
    expect(hostile).toContain('&lt;script&gt;alert(&quot;headline&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(hostile).toContain('&lt;script&gt;topic');
    expect(hostile).toContain('&lt;/title&gt;&lt;script&gt;alert(6)&lt;/script&gt;');
    expect(hostile).toContain('<a href="https://example.com/?q=%3Cscript%3E&amp;x=%22y%22">&lt;a href=&quot;javascript');
    expect(hostile).not.toContain('\u0007');
    // every tag is one of ours
    const tags = new Set([...hostile.matchAll(/<\/?([a-zA-Z0-9!]+)/g)].map((m) => m[1]?.toLowerCase()));
    expect([...tags].sort()).toEqual(['!doctype', 'a', 'blockquote', 'body', 'em', 'h1', 'h2', 'h3', 'head', 'html', 'li', 'meta', 'p', 'strong', 'title', 'ul']);
  });
});

describe('a digest as plain text', () => {
  const text = renderDigestText(first, { feedUrl: FEED_URL });
  const lines = text.split('\n');

  it('starts with the title, underlined, and the summary', () => {
    expect(lines[0]).toBe(first.title);
    expect(lines[1]).toMatch(/^=+$/);
    expect(text).toContain('28 developments in 1 story');
  });

  it('lists every development under its story and topic, with its date and sources', () => {
    for (const topic of ['[DEFENSE]', '[DIPLOMACY]', '[ENERGY]', '[RAILWAYS]', '[STEEL]']) expect(lines).toContain(topic);
    const unwrapped = text.replace(/\n {2,}/g, ' ').replace(/\n(?![*\[\n])/g, ' ');
    for (const headline of headlines) expect(unwrapped).toContain(`* ${headline}`);
    expect(unwrapped).toContain(`* ${kayani?.headline} (4 October 2012)`);
    expect(unwrapped).toContain('- Dawn');
    expect(lines.filter((line) => line.startsWith('* '))).toHaveLength(28);
  });

  it('is readable: no markup, lines wrapped at 76 characters, a subscribe link at the end', () => {
    expect(text).not.toMatch(/<\/?(p|li|ul|strong|em|h\d|blockquote)>/);
    expect(text).not.toContain('&amp;');
    // only headings (underlined on the next line) and unbreakable words run past 76
    lines.forEach((line, i) => {
      if (line.length > 76 && !/^[=-]+$/.test(lines[i + 1] ?? '')) expect(line.trim()).not.toContain(' ');
    });
    expect(lines.at(-2)).toBe(`Subscribe: ${FEED_URL}`);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('has the corrections and retractions section, and keeps hostile text as plain text', () => {
    const next = renderDigestText(second);
    expect(next).toContain('Corrections and retractions\n---------------------------');
    expect(next).toMatch(/\* Corrected: .*Steel Mills/);
    expect(next).toMatch(/\* Retracted: /);
    expect(next).toContain('Confirmed by the ministry & the mills.');
    const hostile = renderDigestText(hostileDigest());
    expect(hostile).toContain('<script>alert("headline")</script>');
    expect(hostile).not.toContain('\u0007');
    expect(hostile).not.toContain('javascript:alert(5)');
  });
});

interface ParsedMail {
  defects: string[];
  headers: Record<string, string>;
  raw_header_lines: string[];
  from: { display_name: string; addr_spec: string }[];
  to: { display_name: string; addr_spec: string }[];
  date: string;
  content_type: string;
  is_multipart: boolean;
  parts: { content_type: string; charset: string | null; transfer_encoding: string | null; body: string; defects: string[] }[];
}

/** What Python's email package (policy.default, RFC 5322/6532 aware) makes of a message. */
const PARSE = String.raw`
import email, email.policy, json, sys
raw = sys.stdin.buffer.read()
m = email.message_from_bytes(raw, policy=email.policy.default)
header_block = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
out = {
    "defects": [type(d).__name__ for d in m.defects],
    "headers": {k: str(v) for k, v in m.items()},
    "raw_header_lines": header_block.split("\r\n"),
    "from": [{"display_name": a.display_name, "addr_spec": a.addr_spec} for a in m["From"].addresses],
    "to": [{"display_name": a.display_name, "addr_spec": a.addr_spec} for a in m["To"].addresses],
    "date": m["Date"].datetime.isoformat(),
    "content_type": m.get_content_type(),
    "is_multipart": m.is_multipart(),
    "parts": [{
        "content_type": p.get_content_type(),
        "charset": p.get_content_charset(),
        "transfer_encoding": p.get("Content-Transfer-Encoding"),
        "body": p.get_content(),
        "defects": [type(d).__name__ for d in p.defects],
    } for p in m.iter_parts()],
}
for name in ("From", "To", "Subject", "Date"):
    out["defects"] += [type(d).__name__ for d in m[name].defects]
json.dump(out, sys.stdout)
`;

const parseMail = (eml: string): ParsedMail => {
  if (!existsSync(SYSTEM_PYTHON)) throw new Error(`${SYSTEM_PYTHON} is needed to parse the .eml`);
  const result = spawnSync(SYSTEM_PYTHON, ['-c', PARSE], { input: Buffer.from(eml, 'utf8'), env: SYSTEM_PYTHON_ENV, timeout: 30_000 });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr.toString('utf8')}`);
  return JSON.parse(result.stdout.toString('utf8')) as ParsedMail;
};

const message = (overrides: Partial<MimeMessage> = {}): MimeMessage => ({
  from: 'Storyline <digest@storyline.local>',
  to: ['reader@storyline.local'],
  subject: first.title,
  text: renderDigestText(first, { feedUrl: FEED_URL }),
  html: renderDigestHtml(first, { feedUrl: FEED_URL }),
  date: new Date(FIRST_WEEK.end),
  messageId: 'weekly-2012-10-08t06-00-00z@storyline',
  ...overrides,
});

describe('the digest as an e-mail (.eml)', () => {
  const eml = buildMime(message());
  const mail = parseMail(eml);

  it('has the headers a mail client needs', () => {
    expect(mail.defects).toEqual([]);
    expect(mail.headers).toMatchObject({
      From: 'Storyline <digest@storyline.local>',
      To: 'reader@storyline.local',
      Subject: first.title,
      'Message-ID': '<weekly-2012-10-08t06-00-00z@storyline>',
      'MIME-Version': '1.0',
    });
    expect(mail.headers.Date).toBe('Mon, 08 Oct 2012 06:00:00 +0000');
    expect(mail.date).toBe('2012-10-08T06:00:00+00:00');
    expect(mail.from).toEqual([{ display_name: 'Storyline', addr_spec: 'digest@storyline.local' }]);
  });

  it('is multipart/alternative with a text/plain part and then a text/html part, both UTF-8, both with the headlines', () => {
    expect(mail.is_multipart).toBe(true);
    expect(mail.content_type).toBe('multipart/alternative');
    expect(mail.parts.map((p) => [p.content_type, p.charset, p.transfer_encoding])).toEqual([
      ['text/plain', 'utf-8', 'base64'],
      ['text/html', 'utf-8', 'base64'],
    ]);
    for (const part of mail.parts) expect(part.defects).toEqual([]);
    const [text, html] = mail.parts;
    expect(text?.body).toBe(message().text);
    expect(html?.body).toBe(message().html);
    expect(text?.body).toContain(lavrov?.headline);
    expect(html?.body).toContain(escaped(lavrov?.headline ?? '?'));
  });

  it('uses CRLF line endings and lines of at most 78 characters', () => {
    expect(eml).not.toMatch(/[^\r]\n/);
    const overlong = eml.split('\r\n').filter((line) => line.length > 78 && !line.startsWith('Subject: '));
    expect(overlong).toEqual([]);
  });

  it('encodes a non-ASCII subject and display name as RFC 2047 encoded words of at most 75 characters', () => {
    const subject = 'Wöchentlicher Überblick: Россия и Пакистан — «Путин» остаётся дома, Лавров и Каяни едут 🇵🇰 '.repeat(2).trim();
    const raw = buildMime(message({ subject, from: 'Stóryline Digest <digest@storyline.local>', to: ['Lëser <reader@storyline.local>', 'plain@storyline.local'] }));
    const parsed = parseMail(raw);
    expect(parsed.defects).toEqual([]);
    expect(parsed.headers.Subject).toBe(subject);
    expect(parsed.from).toEqual([{ display_name: 'Stóryline Digest', addr_spec: 'digest@storyline.local' }]);
    expect(parsed.to).toEqual([
      { display_name: 'Lëser', addr_spec: 'reader@storyline.local' },
      { display_name: '', addr_spec: 'plain@storyline.local' },
    ]);
    expect(raw).not.toMatch(/[^\x00-\x7f]/);
    const words = raw.match(/=\?UTF-8\?B\?[A-Za-z0-9+/=]*\?=/g) ?? [];
    expect(words.length).toBeGreaterThan(2);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    for (const line of parsed.raw_header_lines) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('keeps a subject on one header even when it had line breaks', () => {
    const parsed = parseMail(buildMime(message({ subject: 'Weekly digest\r\nBcc: victim@example.com' })));
    expect(parsed.headers.Subject).toBe('Weekly digest Bcc: victim@example.com');
    expect(parsed.headers.Bcc).toBeUndefined();
  });
});
