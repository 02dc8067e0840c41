import { entryHtml, entrySummary, entryText, entryTitle } from '../../functions/render/entry-html';
import { correctedEntry, correctionItem, hostileEntry, makeEntry, unsafeHtml, withdrawnEntry } from '../support/feed-fixtures';

describe('entryTitle', () => {
  it('is the plain title of a development', () => {
    expect(entryTitle(makeEntry({ title: 'Talks <b>begin</b>' }))).toBe('Talks <b>begin</b>');
  });

  it('marks a withdrawn entry', () => {
    expect(entryTitle(withdrawnEntry())).toBe('[Withdrawn] The president will visit Lyon');
  });

  it('marks a correction item, once', () => {
    expect(entryTitle(correctionItem())).toBe('Correction: The president met the prime minister');
    expect(entryTitle(makeEntry({ kind: 'correction', title: 'Correction: already marked' }))).toBe('Correction: already marked');
  });

  it('neutralises bidi overrides and control characters', () => {
    expect(entryTitle(makeEntry({ title: 'Report\u202Efdp.exe\u0007' }))).toBe('Reportfdp.exe');
  });
});

describe('entryHtml', () => {
  it('renders summary paragraphs, the occurred date and sources', () => {
    const html = entryHtml(makeEntry());
    expect(html).toContain('<p>The president will travel to Paris for a two-day state visit.</p><p>Talks are expected to cover trade.</p>');
    expect(html).toContain('<time datetime="2012-10-04">4 October 2012</time>');
    expect(html).toContain('<strong>Confidence:</strong> Confirmed');
    expect(html).toContain('<blockquote cite="https://times.example.com/a"><p>The visit is confirmed.</p></blockquote>');
    expect(html).toContain('<a href="https://times.example.com/a">Example Times</a>');
  });

  it('shows a date at its precision', () => {
    expect(entryHtml(makeEntry({ occurred: { start: '2012', precision: 'year' } }))).toContain('<time datetime="2012">2012</time>');
    expect(entryHtml(makeEntry({ occurred: { start: '2012-10-02', end: '2012-10-03', precision: 'day' } }))).toContain('<time>2–3 October 2012</time>');
  });

  it('labels speculation clearly, before the text', () => {
    const html = entryHtml(makeEntry({ confidence: 'speculation' }));
    expect(html.startsWith('<p><strong>Speculation: not confirmed.</strong></p>')).toBe(true);
    expect(entryHtml(makeEntry({ confidence: 'reported' }))).toContain('Reported, not independently confirmed');
  });

  it('names an outlet without a link when its URL is not http(s)', () => {
    const html = entryHtml(makeEntry({ sources: [{ outlet: 'Pamphlet', quote: 'Click', url: 'javascript:alert(1)' }] }));
    expect(html).toContain('<blockquote><p>Click</p></blockquote><p>— Pamphlet</p>');
    expect(html).not.toContain('javascript');
  });

  it('shows a withdrawn notice first', () => {
    expect(entryHtml(withdrawnEntry()).startsWith('<p><strong>Withdrawn:</strong> The source confused Lyon with Paris.</p>')).toBe(true);
  });

  it('lists corrections with their notes and dates', () => {
    expect(entryHtml(correctedEntry())).toContain(
      '<h3>Corrections</h3><ul><li><time datetime="2012-10-07T10:00:00Z">7 October 2012</time>: The meeting lasted two days, not one.</li></ul>',
    );
  });

  it('renders digest sections, ignoring what it does not understand', () => {
    const html = entryHtml(
      makeEntry({
        kind: 'digest',
        sources: [],
        occurred: undefined,
        confidence: undefined,
        digest: {
          sections: [
            { title: 'State visit', items: [{ title: 'Talks began', summary: 'In Paris.' }, { title: 42 }, 'junk'] },
            { items: [] },
            { title: 'Empty', items: 'nope' },
          ],
          other: '<script>',
        },
      }),
    );
    expect(html).toContain('<h3>State visit</h3><ul><li><strong>Talks began</strong><p>In Paris.</p></li></ul><h3>Empty</h3>');
    expect(html).not.toContain('script');
    expect(html).not.toContain('42');
  });

  it('ignores a digest without sections', () => {
    expect(() => entryHtml(makeEntry({ kind: 'digest', digest: { sections: 'x' } }))).not.toThrow();
  });

  it('escapes every piece of hostile text', () => {
    const html = entryHtml(hostileEntry());
    expect(unsafeHtml(html)).toEqual([]);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(html).not.toMatch(/[\uD800-\uDFFF]/u);
    expect(html).toContain('<a href="https://ok.example.com/a?b=%22c%22&amp;d=%3Ce%3E">Quote &quot;Outlet&quot;</a>');
  });
});

describe('entryText and entrySummary', () => {
  it('says the same things in plain text', () => {
    const text = entryText(correctedEntry());
    expect(text).toContain('The president will travel to Paris for a two-day state visit.\n\nTalks are expected to cover trade.');
    expect(text).toContain('When: 2–3 October 2012');
    expect(text).toContain('“The visit is confirmed.” — Example Times <https://times.example.com/a>');
    expect(text).toContain('- 7 October 2012: The meeting lasted two days, not one.');
    expect(entryText(withdrawnEntry()).startsWith('Withdrawn: The source confused Lyon with Paris.')).toBe(true);
  });

  it('summarises with the first paragraph, cut short', () => {
    expect(entrySummary(makeEntry())).toBe('The president will travel to Paris for a two-day state visit.');
    expect(entrySummary(hostileEntry()).length).toBeLessThanOrEqual(300);
  });
});
