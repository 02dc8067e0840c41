/**
 * Content negotiation on the Accept header (RFC 9110, section 12.5.1): of the media types a route
 * offers, the one the request accepts with the highest quality; a tie goes to the more specific
 * range (`text/html` over `text/*` over `*\/*`), then to the range listed first, then to the order
 * offered. A request without Accept, or that accepts none of them, gets the first offered: these
 * routes answer rather than refuse with 406.
 */

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  position: number;
}

const parseAccept = (accept: string): MediaRange[] =>
  accept.split(',').flatMap((part, position) => {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return Number.isFinite(q) ? [{ type, subtype, q: Math.min(1, Math.max(0, q)), position }] : [];
  });

/** The most specific range that matches a media type, with its specificity (3 exact, 2 `type/*`, 1 `*\/*`). */
const bestRange = (ranges: MediaRange[], mediaType: string): { range: MediaRange; specificity: number } | undefined => {
  const [type, subtype] = mediaType.toLowerCase().split('/');
  let best: { range: MediaRange; specificity: number } | undefined;
  for (const range of ranges) {
    const specificity = range.type === type && range.subtype === subtype ? 3 : range.type === type && range.subtype === '*' ? 2 : range.type === '*' && range.subtype === '*' ? 1 : 0;
    if (specificity > 0 && (!best || specificity > best.specificity)) best = { range, specificity };
  }
  return best;
};

export const negotiate = <T extends string>(accept: string | undefined, offered: readonly [T, ...T[]]): T => {
  const ranges = parseAccept(accept ?? '');
  let chosen: { type: T; q: number; specificity: number; position: number } | undefined;
  for (const type of offered) {
    const match = bestRange(ranges, type);
    if (!match || match.range.q === 0) continue;
    const candidate = { type, q: match.range.q, specificity: match.specificity, position: match.range.position };
    const better = !chosen || candidate.q > chosen.q || (candidate.q === chosen.q && (candidate.specificity > chosen.specificity || (candidate.specificity === chosen.specificity && candidate.position < chosen.position)));
    if (better) chosen = candidate;
  }
  return chosen?.type ?? offered[0];
};

/**
 * Where one URL serves a page and JSON: HTML goes only to a client whose Accept, negotiated as above,
 * picks text/html over application/json (`*\/*` alone, as curl and fetch send, and no Accept mean JSON).
 */
export const prefersHtml = (accept: string | undefined): boolean => negotiate(accept, ['application/json', 'text/html']) === 'text/html';

/** Responses that differ by Accept say so, for caches. */
export const VARY_ACCEPT = 'accept, accept-encoding';
