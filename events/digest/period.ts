import type * as z from 'zod/mini';
import { DigestPeriod as DigestPeriodSchema } from '../catalog/events';

/** The digest periods, as the catalog's DigestPublished declares them; schedules, composition and feeds use this. */
export type DigestPeriod = z.infer<typeof DigestPeriodSchema>;

/** How a digest of each period is titled, in its own title and in the feeds. */
export const PERIOD_TITLES: Record<DigestPeriod, string> = { daily: 'Daily digest', weekly: 'Weekly digest' };
