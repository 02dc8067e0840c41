import { Slug } from '../../events/catalog/development';
import type { DigestPeriod } from '../../events/digest/compose';
import { ValidationError, type FieldIssue } from '../../events/errors';
import type { Fields } from './request-body';

/** What a subscriber follows: every story, or some stories and/or some topics; and how often. */
export interface Preferences {
  period: DigestPeriod;
  /** Both empty: everything. */
  stories: string[];
  topics: string[];
}

const PERIODS: readonly DigestPeriod[] = ['daily', 'weekly'];
const MAX_ADDRESS = 254;
const MAX_FOLLOWED = 50;
/**
 * A deliverable address of the common form: no quoted local parts, no IP literals, no whitespace or
 * controls, a domain with at least one dot. Anything outside that is refused rather than guessed at.
 */
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{4,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const CONTROL = /[\u0000-\u001F\u007F]/;

const list = (fields: Fields, name: string): string[] =>
  (fields[name] ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);

/** Refuses CR, LF and every other control character in any field: nothing a mail header could be split with. */
export const refuseControls = (fields: Fields): void => {
  const bad = Object.entries(fields).filter(([name, values]) => CONTROL.test(name) || values.some((v) => CONTROL.test(v)));
  if (bad.length) throw new ValidationError('Invalid request body', bad.map(([name]) => ({ field: name.replace(CONTROL, '?'), message: 'must not contain line breaks or control characters' })));
};

export const parsePreferences = (fields: Fields): Preferences => {
  refuseControls(fields);
  const issues: FieldIssue[] = [];
  const period = fields.period?.[0]?.trim() || 'weekly';
  if (!PERIODS.includes(period as DigestPeriod)) issues.push({ field: 'period', message: `must be one of ${PERIODS.join(', ')}` });
  const stories = [...new Set(list(fields, 'stories'))];
  const topics = [...new Set(list(fields, 'topics'))];
  for (const [name, values] of [['stories', stories], ['topics', topics]] as const) {
    if (values.length > MAX_FOLLOWED) issues.push({ field: name, message: `at most ${MAX_FOLLOWED}` });
    for (const value of values) if (!Slug.safeParse(value).success) issues.push({ field: name, message: `${JSON.stringify(value.slice(0, 40))} is not a slug (a-z, 0-9, -)` });
  }
  if (issues.length) throw new ValidationError('Invalid subscription', issues);
  return { period: period as DigestPeriod, stories, topics };
};

export const parseAddress = (fields: Fields): string => {
  refuseControls(fields);
  const values = fields.email ?? [];
  const address = values[0]?.trim() ?? '';
  if (values.length !== 1 || address.length > MAX_ADDRESS || !ADDRESS.test(address)) {
    throw new ValidationError('Invalid subscription', [{ field: 'email', message: 'must be one e-mail address (name@example.org)' }]);
  }
  return address;
};

export const followsEverything = (p: Pick<Preferences, 'stories' | 'topics'>): boolean => p.stories.length === 0 && p.topics.length === 0;
