/**
 * Evaluates a Lambda event filter pattern (EventBridge pattern grammar) against a record, as the event
 * source mapping does before invoking the function. Only the subset of the grammar Storyline's
 * patterns use is implemented; anything else throws when the pattern is checked, so a pattern this
 * code would misread cannot be used locally in silence.
 *
 * - `{ key: { ... } }`: the record's value at `key` is an object matching the nested pattern;
 * - `{ key: [m1, m2] }`: the value at `key` is a leaf matching any of the matchers:
 *   a string (equal), `{ prefix: 'x' }`, `{ 'anything-but': ['a', 'b'] }`,
 *   `{ 'anything-but': { prefix: 'x' } }`, `{ exists: boolean }`.
 * As in AWS, every key of the pattern must match (and), a missing value matches only `exists: false`,
 * and `anything-but` matches only a value that is present.
 */

export type Matcher =
  | string
  | { readonly prefix: string }
  | { readonly 'anything-but': readonly string[] | { readonly prefix: string } }
  | { readonly exists: boolean };
export interface FilterPattern {
  readonly [key: string]: FilterPattern | readonly Matcher[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const matcherMatches = (matcher: Matcher, value: unknown): boolean => {
  const present = value !== undefined;
  if (typeof matcher === 'string') return value === matcher;
  if ('exists' in matcher) return matcher.exists === present;
  if (typeof value !== 'string') return false;
  if ('prefix' in matcher) return value.startsWith(matcher.prefix);
  const excluded = matcher['anything-but'];
  return Array.isArray(excluded) ? !excluded.includes(value) : !value.startsWith((excluded as { prefix: string }).prefix);
};

const KNOWN = new Set(['prefix', 'anything-but', 'exists']);

/** Throws on any part of the grammar this evaluator does not implement. */
export const checkPattern = (pattern: FilterPattern, path = ''): void => {
  for (const [key, rule] of Object.entries(pattern)) {
    const at = `${path}${key}`;
    if (!Array.isArray(rule)) {
      if (!isObject(rule)) throw new Error(`filter pattern: ${at} is neither a list of matchers nor a nested pattern`);
      checkPattern(rule, `${at}.`);
      continue;
    }
    for (const matcher of rule as unknown[]) {
      if (typeof matcher === 'string') continue;
      const keys = isObject(matcher) ? Object.keys(matcher) : [];
      const operator = keys[0] ?? '';
      const operand = isObject(matcher) ? matcher[operator] : undefined;
      const valid =
        keys.length === 1 &&
        KNOWN.has(operator) &&
        (operator === 'exists'
          ? typeof operand === 'boolean'
          : operator === 'prefix'
            ? typeof operand === 'string'
            : (Array.isArray(operand) && operand.every((v) => typeof v === 'string')) ||
              (isObject(operand) && Object.keys(operand).join() === 'prefix' && typeof operand.prefix === 'string'));
      if (!valid) throw new Error(`filter pattern: ${at} has a matcher the local runner does not implement: ${JSON.stringify(matcher)}`);
    }
  }
};

export const matchesPattern = (pattern: FilterPattern, record: unknown): boolean =>
  Object.entries(pattern).every(([key, rule]) => {
    const value = isObject(record) ? record[key] : undefined;
    if (Array.isArray(rule)) return !isObject(value) && (rule as readonly Matcher[]).some((m) => matcherMatches(m, value));
    // an absent object is an object with no fields (so that `exists: false` below it holds)
    if (value !== undefined && !isObject(value)) return false;
    return matchesPattern(rule as FilterPattern, value ?? {});
  });
