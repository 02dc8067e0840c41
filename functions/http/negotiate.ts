/**
 * Content negotiation between a page (text/html) and JSON on one URL (RFC 9110, 12.5.1): HTML goes
 * only to a client whose Accept gives text/html a higher q-value than application/json. Each type's
 * q-value is that of the most specific range matching it; `*\/*` alone (curl, fetch) means JSON.
 */

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

const parseAccept = (accept: string): MediaRange[] =>
  accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) && q >= 0 && q <= 1 ? [{ type, subtype, q }] : [];
  });

const specificity = (range: MediaRange): number => (range.type === '*' ? 0 : range.subtype === '*' ? 1 : 2);

/** The q-value the ranges give `type/subtype`; 0 when none matches. */
const qualityOf = (ranges: MediaRange[], mediaType: string): number => {
  const [type, subtype] = mediaType.split('/');
  let best: MediaRange | undefined;
  for (const range of ranges) {
    const matches = (range.type === '*' || range.type === type) && (range.subtype === '*' || range.subtype === subtype);
    if (matches && (!best || specificity(range) > specificity(best))) best = range;
  }
  return best?.q ?? 0;
};

/** True when the client prefers text/html over application/json. A missing Accept means JSON. */
export const prefersHtml = (accept: string | undefined): boolean => {
  if (accept === undefined || accept.trim() === '') return false;
  const ranges = parseAccept(accept);
  return qualityOf(ranges, 'text/html') > qualityOf(ranges, 'application/json');
};

/** Responses that differ by Accept say so, for caches. */
export const VARY_ACCEPT = 'accept, accept-encoding';
