import * as z from 'zod/mini';
import './zod-messages';

const slug = () => z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a lowercase slug (a-z, 0-9, -)'));

/** Ids of stories, actors, visits, agreements: lowercase slugs. */
export const Slug = slug();

/**
 * The id of an actor the story identified (ActorIdentified): a slug like any other, but a schema of
 * its own, so that what reads the catalog (the desk's forms) knows the field names an actor.
 */
export const ActorId = slug();

const isoDate = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const IsoDate = z.string().check(z.regex(isoDate, 'must be YYYY, YYYY-MM or YYYY-MM-DD'));

/** When something happened, only as precise as the source: `2012`, `2012-10`, `2012-10-04`. */
export const DateSpan = z
  .strictObject({
    start: IsoDate,
    end: z.optional(IsoDate),
    precision: z.enum(['day', 'month', 'year']),
  })
  .check(
    z.superRefine((span, ctx) => {
      const expected = { year: 4, month: 7, day: 10 }[span.precision];
      if (span.start.length !== expected) ctx.addIssue({ code: 'custom', path: ['start'], message: `must have ${span.precision} precision` });
      if (span.end !== undefined && span.end.length !== expected) ctx.addIssue({ code: 'custom', path: ['end'], message: `must have ${span.precision} precision` });
      if (span.end !== undefined && span.end < span.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' });
    }),
  );
export type DateSpan = z.infer<typeof DateSpan>;

const PlainText = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

const Url = z.string().check(
  z.maxLength(2000),
  z.refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL'),
);

export const Source = z.strictObject({
  outlet: PlainText(200),
  quote: PlainText(5000),
  url: z.optional(Url),
});
export type Source = z.infer<typeof Source>;

export const Confidence = z.enum(['confirmed', 'reported', 'speculation']);
export type Confidence = z.infer<typeof Confidence>;

/** An array of at most `max` (and at least `min`) items. */
export const listOf = <T extends z.ZodMiniType>(item: T, max: number, min = 0) =>
  z.array(item).check(...(min > 0 ? [z.minLength(min)] : []), z.maxLength(max));

/** The fields every development of a story carries. */
export const developmentShape = {
  headline: PlainText(300),
  summary: PlainText(10000),
  occurred: DateSpan,
  actors: listOf(ActorId, 100),
  places: listOf(PlainText(200), 100),
  topics: listOf(Slug, 50),
  sources: listOf(Source, 50, 1),
  confidence: Confidence,
};

export const Amount = z
  .strictObject({
    currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')),
    min: z.number().check(z.nonnegative()),
    max: z.number().check(z.nonnegative()),
  })
  .check(z.refine((a) => a.max >= a.min, { path: ['max'], message: 'must not be below min' }));
export type Amount = z.infer<typeof Amount>;

export const Capacity = z.strictObject({ value: z.number().check(z.positive()), unit: PlainText(20) });
export type Capacity = z.infer<typeof Capacity>;

export { PlainText };
