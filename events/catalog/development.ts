import * as z from 'zod';

/** Ids of stories, actors, visits, agreements: lowercase slugs. */
export const Slug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lowercase slug (a-z, 0-9, -)');

const isoDate = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** When something happened, only as precise as the source: `2012`, `2012-10`, `2012-10-04`. */
export const DateSpan = z
  .object({
    start: z.string().regex(isoDate, 'must be YYYY, YYYY-MM or YYYY-MM-DD'),
    end: z.string().regex(isoDate, 'must be YYYY, YYYY-MM or YYYY-MM-DD').optional(),
    precision: z.enum(['day', 'month', 'year']),
  })
  .strict()
  .superRefine((span, ctx) => {
    const expected = { year: 4, month: 7, day: 10 }[span.precision];
    if (span.start.length !== expected) ctx.addIssue({ code: 'custom', path: ['start'], message: `must have ${span.precision} precision` });
    if (span.end !== undefined && span.end.length !== expected) ctx.addIssue({ code: 'custom', path: ['end'], message: `must have ${span.precision} precision` });
    if (span.end !== undefined && span.end < span.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' });
  });
export type DateSpan = z.infer<typeof DateSpan>;

const PlainText = (max: number) => z.string().trim().min(1).max(max);

const Url = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const Source = z
  .object({
    outlet: PlainText(200),
    quote: PlainText(5000),
    url: Url.optional(),
  })
  .strict();
export type Source = z.infer<typeof Source>;

export const Confidence = z.enum(['confirmed', 'reported', 'speculation']);
export type Confidence = z.infer<typeof Confidence>;

/** The fields every development of a story carries. */
export const developmentShape = {
  headline: PlainText(300),
  summary: PlainText(10000),
  occurred: DateSpan,
  actors: z.array(Slug).max(100),
  places: z.array(PlainText(200)).max(100),
  topics: z.array(Slug).max(50),
  sources: z.array(Source).min(1).max(50),
  confidence: Confidence,
};

export const Amount = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
    min: z.number().nonnegative(),
    max: z.number().nonnegative(),
  })
  .strict()
  .refine((a) => a.max >= a.min, { path: ['max'], message: 'must not be below min' });
export type Amount = z.infer<typeof Amount>;

export const Capacity = z.object({ value: z.number().positive(), unit: PlainText(20) }).strict();
export type Capacity = z.infer<typeof Capacity>;

export { PlainText };
