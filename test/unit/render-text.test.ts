import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import {
  clampDate,
  cleanLabel,
  cleanText,
  escapeHtml,
  escapeXml,
  escapeXmlAttr,
  joinUrl,
  rfc3339,
  rfc822,
  safeHttpUrl,
  stripBidiControls,
  stripUnsafeChars,
  truncate,
  xmlAttr,
  xmlText,
} from '../../functions/render/text';
import { CONTROL_CHARS, parseXml, xmlProblems } from '../support/feed-fixtures';

describe('stripUnsafeChars', () => {
  it('removes C0 controls except tab, LF and CR', () => {
    expect(stripUnsafeChars(`a${CONTROL_CHARS}b`)).toBe('a\t\n\rb');
  });

  it('removes lone surrogates but keeps surrogate pairs', () => {
    expect(stripUnsafeChars('x\ud800y\udc00z 😀')).toBe('xyz 😀');
    expect(stripUnsafeChars('\udc00\ud800')).toBe('');
  });

  it('removes U+FFFE, U+FFFF, DEL and C1 controls', () => {
    expect(stripUnsafeChars('a\uFFFEb\uFFFFc\u007Fd\u0085e\u009Ff')).toBe('abcdef');
  });

  it('returns clean text unchanged', () => {
    const text = 'Un café à Paris, 東京, مرحبا — “quoted”';
    expect(stripUnsafeChars(text)).toBe(text);
  });
});

describe('bidi controls', () => {
  it('removes overrides, embeddings and isolates', () => {
    expect(stripBidiControls('a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j')).toBe('abcdefghij');
  });

  it('keeps right-to-left letters and marks', () => {
    expect(stripBidiControls('שלום\u200Fabc')).toBe('שלום\u200Fabc');
  });

  it('cleanLabel removes them and collapses whitespace to one line', () => {
    expect(cleanLabel('  invoice\u202Egpj.exe \n\t next\u0000 ')).toBe('invoicegpj.exe next');
  });

  it('cleanText keeps paragraphs and normalises line endings', () => {
    expect(cleanText('a\r\nb\rc\n\nd\u0001')).toBe('a\nb\nc\n\nd');
  });
});

describe('escaping', () => {
  it('escapes XML text, so `]]>` cannot appear', () => {
    expect(escapeXml('a & b < c > d ]]> "q" \'s\'')).toBe('a &amp; b &lt; c &gt; d ]]&gt; "q" \'s\'');
  });

  it('escapes XML attributes, including quotes and whitespace that parsers would normalise', () => {
    expect(escapeXmlAttr('a&b<c>"d\'e\tf\ng\rh')).toBe('a&amp;b&lt;c&gt;&quot;d&apos;e&#9;f&#10;g&#13;h');
  });

  it('escapes HTML', () => {
    expect(escapeHtml(`<script>alert("x" + 'y') && 1</script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;) &amp;&amp; 1&lt;/script&gt;',
    );
  });

  it('xmlText and xmlAttr strip forbidden characters before escaping', () => {
    expect(xmlText('a\u0000<\ud800')).toBe('a&lt;');
    expect(xmlAttr('a\u0001"')).toBe('a&quot;');
  });

  it('round-trips any string through an XML parser as the text minus forbidden characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const document = `<r a="${xmlAttr(text)}">${xmlText(text)}</r>`;
        expect(xmlProblems(document)).toBeUndefined();
        expect(XMLValidator.validate(document)).toBe(true);
        const parsed = parseXml(document) as { r: { '#text'?: string; '@_a'?: string } };
        const expected = stripUnsafeChars(text);
        // The parser keeps the references for CR and whitespace in attributes undecoded; compare escaped forms.
        expect(escapeXml(parsed.r['#text'] ?? '')).toBe(escapeXml(expected).replace(/&#13;/g, '&amp;#13;'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('safeHttpUrl', () => {
  it.each([
    ['https://example.com/a?b=c#d', 'https://example.com/a?b=c#d'],
    ['http://example.com', 'http://example.com/'],
    ['HTTPS://Example.COM/x', 'https://example.com/x'],
    ['https://example.com/a b"<c>', 'https://example.com/a%20b%22%3Cc%3E'],
  ])('keeps %s as %s', (input, expected) => {
    expect(safeHttpUrl(input)).toBe(expected);
  });

  it.each([
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'ftp://example.com/file',
    'mailto:someone@example.com',
    '//example.com/protocol-relative',
    '/relative/path',
    'not a url',
    '',
    undefined,
  ])('rejects %p', (input) => {
    expect(safeHttpUrl(input)).toBeUndefined();
  });

  it('joins a base URL (with a path prefix) and an absolute path', () => {
    expect(joinUrl('https://api.example.com/prod/', '/stories/a/timeline#x')).toBe('https://api.example.com/prod/stories/a/timeline#x');
    expect(joinUrl('https://api.example.com', '//evil.example.com/')).toBeUndefined();
    expect(joinUrl('javascript:', '/x')).toBeUndefined();
  });
});

describe('dates', () => {
  it('formats RFC 822 with a four-digit year', () => {
    expect(rfc822(new Date('2012-10-06T00:00:00Z'))).toBe('Sat, 06 Oct 2012 00:00:00 GMT');
    expect(rfc822(new Date('2026-01-31T23:59:59.999Z'))).toBe('Sat, 31 Jan 2026 23:59:59 GMT');
  });

  it('formats RFC 3339 in UTC, with fractional seconds only when present', () => {
    expect(rfc3339(new Date('2012-10-06T02:00:00+02:00'))).toBe('2012-10-06T00:00:00Z');
    expect(rfc3339(new Date('2012-10-06T00:00:00.250Z'))).toBe('2012-10-06T00:00:00.250Z');
  });

  it('clamps future dates to now', () => {
    const now = new Date('2012-10-10T12:00:00Z');
    expect(clampDate('2030-01-01T00:00:00Z', now)).toEqual(now);
    expect(clampDate('2012-10-01T00:00:00Z', now)).toEqual(new Date('2012-10-01T00:00:00Z'));
  });

  it('falls back for invalid dates, never after now', () => {
    const now = new Date('2012-10-10T12:00:00Z');
    const fallback = new Date('2012-10-01T00:00:00Z');
    expect(clampDate('not a date', now, fallback)).toEqual(fallback);
    expect(clampDate(undefined, now)).toEqual(now);
    expect(clampDate('', now, new Date('2099-01-01T00:00:00Z'))).toEqual(now);
  });
});

describe('truncate', () => {
  it('cuts at a word boundary with an ellipsis', () => {
    expect(truncate('one two three four five', 14)).toBe('one two three…');
    expect(truncate('short', 14)).toBe('short');
  });

  it('never splits a surrogate pair', () => {
    const cut = truncate('😀'.repeat(10), 6);
    expect(stripUnsafeChars(cut)).toBe(cut);
  });
});
