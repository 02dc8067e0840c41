import type * as z from 'zod/mini';
import { ActorId, DateSpan, Slug } from '../../events/catalog/development';

/**
 * The fields of a desk form, read from a catalog schema (zod's own description of it): a new event
 * type gets its form without new HTML. A field's name is its path in the event's data, dotted
 * (`data.occurred.start`, `data.sources.0.quote`), the same path a validation issue names.
 */

interface Base {
  name: string;
  label: string;
  required: boolean;
}
export type FormField =
  | (Base & { kind: 'text'; long: boolean })
  | (Base & { kind: 'number' })
  | (Base & { kind: 'choice'; options: string[] })
  | (Base & { kind: 'date-span' })
  /** one actor of the story (or one being added) */
  | (Base & { kind: 'actor' })
  /** actors of the story, ticked, and others by id; `min`: how many at least */
  | (Base & { kind: 'actors'; min: number })
  /** slugs separated by commas (`slugs`), or lines of text */
  | (Base & { kind: 'list'; slugs: boolean; min: number })
  | (Base & { kind: 'group'; fields: FormField[] })
  /** a list of objects (sources): `rows` rows of the same fields */
  | (Base & { kind: 'rows'; fields: FormField[]; min: number });

type Def = { type: string; shape?: Record<string, z.ZodMiniType>; innerType?: z.ZodMiniType; element?: z.ZodMiniType; entries?: Record<string, string>; checks?: { _zod: { def: { check: string; maximum?: number; minimum?: number } } }[] };
const defOf = (schema: z.ZodMiniType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const limit = (schema: z.ZodMiniType, check: 'max_length' | 'min_length'): number | undefined => {
  const found = defOf(schema).checks?.find((c) => c._zod.def.check === check)?._zod.def;
  return found?.maximum ?? found?.minimum;
};

/** `visitId` → `Visit id`. */
export const fieldLabel = (key: string): string => {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const fieldOf = (schema: z.ZodMiniType, name: string, key: string, required: boolean): FormField => {
  const def = defOf(schema);
  const base = { name, label: fieldLabel(key), required };
  if (def.type === 'optional' && def.innerType) return fieldOf(def.innerType, name, key, false);
  if (schema === DateSpan) return { ...base, kind: 'date-span' };
  if (schema === ActorId) return { ...base, kind: 'actor' };
  switch (def.type) {
    case 'string':
      return { ...base, kind: 'text', long: (limit(schema, 'max_length') ?? 0) > 300 };
    case 'number':
      return { ...base, kind: 'number' };
    case 'enum':
      return { ...base, kind: 'choice', options: Object.values(def.entries ?? {}) };
    case 'object':
      return { ...base, kind: 'group', fields: formFields(schema, name) };
    case 'array': {
      const element = def.element as z.ZodMiniType;
      const min = limit(schema, 'min_length') ?? 0;
      if (element === ActorId) return { ...base, kind: 'actors', min };
      if (defOf(element).type === 'object') return { ...base, kind: 'rows', fields: formFields(element, name), min };
      return { ...base, kind: 'list', slugs: element === Slug, min };
    }
    default:
      throw new Error(`the desk has no form field for a ${def.type} (${name})`);
  }
};

/** The fields of an object schema, named under `prefix`. */
export const formFields = (schema: z.ZodMiniType, prefix: string): FormField[] => {
  const def = defOf(schema);
  if (def.type !== 'object' || !def.shape) throw new Error(`a desk form needs an object schema (${prefix})`);
  return Object.entries(def.shape).map(([key, inner]) => fieldOf(inner, `${prefix}.${key}`, key, true));
};

/** What a form sent: each name with its values (a checkbox list sends several). */
export type FormValues = ReadonlyMap<string, string[]>;
export const formValues = (body: string): Map<string, string[]> => {
  const values = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) values.set(name, [...(values.get(name) ?? []), value]);
  return values;
};
export const one = (values: FormValues, name: string): string => values.get(name)?.[0] ?? '';

/** How many rows a list of objects shows: those filled, one empty to add another, at least its minimum. */
export const rowCount = (field: Extract<FormField, { kind: 'rows' }>, values: FormValues): number => {
  let filled = 0;
  for (const name of values.keys()) {
    const match = name.startsWith(`${field.name}.`) ? /^(\d+)\./.exec(name.slice(field.name.length + 1)) : null;
    if (match && values.get(name)?.some((v) => v.trim() !== '')) filled = Math.max(filled, Number(match[1]) + 1);
  }
  return Math.max(filled + 1, field.min, 1);
};

const splitList = (text: string, slugs: boolean): string[] => text.split(slugs ? /[\s,]+/ : /\r?\n/).map((item) => item.trim()).filter((item) => item !== '');

const isEmpty = (value: unknown): boolean =>
  value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(isEmpty));

/**
 * The data a form's fields describe, as the schema expects it: an optional field left empty is
 * left out; a required one left empty is sent empty, so that the schema names it.
 */
export const dataOf = (fields: readonly FormField[], values: FormValues): Record<string, unknown> => {
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const value = valueOf(field, values);
    if (value !== undefined) data[field.name.slice(field.name.lastIndexOf('.') + 1)] = value;
  }
  return data;
};

const valueOf = (field: FormField, values: FormValues): unknown => {
  const text = one(values, field.name).trim();
  switch (field.kind) {
    case 'text':
    case 'actor':
    case 'choice':
      return text === '' && !field.required ? undefined : text;
    case 'number':
      return text === '' ? (field.required ? text : undefined) : Number(text);
    case 'date-span': {
      const start = one(values, `${field.name}.start`).trim();
      const end = one(values, `${field.name}.end`).trim();
      const precision = one(values, `${field.name}.precision`);
      if (!field.required && start === '' && end === '') return undefined;
      return { start, precision, ...(end ? { end } : {}) };
    }
    case 'actors': {
      const list = [...(values.get(field.name) ?? []), ...splitList(one(values, `${field.name}.other`), true)];
      const unique = [...new Set(list)];
      return unique.length === 0 && !field.required ? undefined : unique;
    }
    case 'list': {
      const list = splitList(one(values, field.name), field.slugs);
      return list.length === 0 && !field.required ? undefined : list;
    }
    case 'group': {
      const group = dataOf(field.fields, values);
      return !field.required && Object.values(group).every(isEmpty) ? undefined : group;
    }
    case 'rows': {
      const rows: Record<string, unknown>[] = [];
      for (let i = 0; i < rowCount(field, values); i++) {
        const row = dataOf(field.fields.map((f) => ({ ...f, name: `${field.name}.${i}.${f.name.slice(field.name.length + 1)}` })), values);
        const filled = field.fields.some((f) => one(values, `${field.name}.${i}.${f.name.slice(field.name.length + 1)}`).trim() !== '');
        if (filled) rows.push(row);
      }
      return rows.length === 0 && !field.required ? undefined : rows;
    }
    default: {
      const unreachable: never = field;
      return unreachable;
    }
  }
};

/** The form values that show `data` in these fields (a development being corrected, a story being revised). */
export const valuesOf = (fields: readonly FormField[], data: Record<string, unknown>, into = new Map<string, string[]>()): Map<string, string[]> => {
  for (const field of fields) {
    const value = data[field.name.slice(field.name.lastIndexOf('.') + 1)];
    if (value === undefined) continue;
    switch (field.kind) {
      case 'text':
      case 'actor':
      case 'choice':
      case 'number':
        into.set(field.name, [`${value as string | number}`]);
        break;
      case 'date-span': {
        const span = value as DateSpan;
        into.set(`${field.name}.start`, [span.start]);
        into.set(`${field.name}.precision`, [span.precision]);
        if (span.end) into.set(`${field.name}.end`, [span.end]);
        break;
      }
      case 'actors':
        into.set(field.name, [...(value as string[])]);
        break;
      case 'list':
        into.set(field.name, [(value as string[]).join(field.slugs ? ', ' : '\n')]);
        break;
      case 'group':
        valuesOf(field.fields, value as Record<string, unknown>, into);
        break;
      case 'rows':
        (value as Record<string, unknown>[]).forEach((row, i) =>
          valuesOf(field.fields.map((f) => ({ ...f, name: `${field.name}.${i}.${f.name.slice(field.name.length + 1)}` })), row, into),
        );
        break;
    }
  }
  return into;
};
