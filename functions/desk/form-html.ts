import { escapeHtml } from '../render/text';
import { one, rowCount, type FormField, type FormValues } from './schema-form';

/**
 * Form fields as HTML (no script): a label for every input, hints, and the GOV.UK error pattern:
 * the message beside its field (`aria-describedby`, `aria-invalid`), and a summary at the top
 * linking to each field by its id.
 */

/** Field name → its message. */
export type FieldErrors = ReadonlyMap<string, string>;

export const fieldId = (name: string): string => `f-${name.replace(/[^A-Za-z0-9-]/g, '-')}`;

export interface FormContext {
  values: FormValues;
  errors: FieldErrors;
  /** The story's actors (id → name), offered for actor fields. */
  actors: readonly { actorId: string; name: string }[];
}

const attr = (value: string): string => escapeHtml(value);

const described = (name: string, errors: FieldErrors, hint?: string): string => {
  const ids = [...(hint ? [`${fieldId(name)}-hint`] : []), ...(errors.has(name) ? [`${fieldId(name)}-error`] : [])];
  return (ids.length ? ` aria-describedby="${ids.join(' ')}"` : '') + (errors.has(name) ? ' aria-invalid="true"' : '');
};
const hintOf = (name: string, hint?: string): string => (hint ? `<p class="hint" id="${fieldId(name)}-hint">${escapeHtml(hint)}</p>` : '');
const errorOf = (name: string, errors: FieldErrors): string =>
  errors.has(name) ? `<p class="error-message" id="${fieldId(name)}-error"><strong>Error:</strong> ${escapeHtml(errors.get(name) ?? '')}</p>` : '';
const optional = (field: FormField): string => (field.required && (!('min' in field) || field.min > 0) ? '' : ' (optional)');

const input = (name: string, label: string, context: FormContext, options: { hint?: string; type?: string; long?: boolean; list?: string; required?: boolean } = {}): string => {
  const value = one(context.values, name);
  const control = options.long
    ? `<textarea id="${fieldId(name)}" name="${attr(name)}" rows="4"${described(name, context.errors, options.hint)}>${escapeHtml(value)}</textarea>`
    : `<input id="${fieldId(name)}" name="${attr(name)}" type="${options.type ?? 'text'}" value="${attr(value)}"${options.list ? ` list="${options.list}"` : ''}${described(name, context.errors, options.hint)}>`;
  return `<div class="field${context.errors.has(name) ? ' field-error' : ''}"><label for="${fieldId(name)}">${escapeHtml(label)}</label>${hintOf(name, options.hint)}${errorOf(name, context.errors)}${control}</div>`;
};

const fieldset = (name: string, legend: string, inner: string, context: FormContext, hint?: string): string =>
  `<fieldset class="field${context.errors.has(name) ? ' field-error' : ''}" id="${fieldId(name)}"${described(name, context.errors, hint)}><legend>${escapeHtml(legend)}</legend>${hintOf(name, hint)}${errorOf(name, context.errors)}${inner}</fieldset>`;

const radios = (name: string, options: readonly string[], context: FormContext): string => {
  const chosen = one(context.values, name);
  return `<div class="choices">${options
    .map((option, i) => `<div class="choice"><input type="radio" id="${fieldId(name)}-${i}" name="${attr(name)}" value="${attr(option)}"${chosen === option ? ' checked' : ''}><label for="${fieldId(name)}-${i}">${escapeHtml(option)}</label></div>`)
    .join('')}</div>`;
};

/** The datalist of the story's actors that actor fields offer (one per form). */
export const actorList = (context: FormContext): string =>
  `<datalist id="story-actors">${context.actors.map((a) => `<option value="${attr(a.actorId)}">${escapeHtml(a.name)}</option>`).join('')}</datalist>`;

export const renderField = (field: FormField, context: FormContext): string => {
  const label = `${field.label}${optional(field)}`;
  switch (field.kind) {
    case 'text':
      return input(field.name, label, context, { long: field.long });
    case 'number':
      return input(field.name, label, context, { type: 'text', hint: 'A number, such as 500 or 2.5' });
    case 'actor':
      return input(field.name, label, context, { list: 'story-actors', hint: "An actor's id: one of the story's actors, or one added below" });
    case 'choice':
      return fieldset(field.name, label, radios(field.name, field.options, context), context);
    case 'date-span':
      return fieldset(
        field.name,
        label,
        fieldset(`${field.name}.precision`, 'Known to the', radios(`${field.name}.precision`, ['year', 'month', 'day'], context), context) +
          input(`${field.name}.start`, 'Start', context, { hint: 'YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source' }) +
          input(`${field.name}.end`, 'End (optional)', context, { hint: 'Only for a span of time, at the same precision' }),
        context,
      );
    case 'actors': {
      const ticked = new Set(context.values.get(field.name) ?? []);
      const boxes = context.actors
        .map((a, i) => `<div class="choice"><input type="checkbox" id="${fieldId(field.name)}-${i}" name="${attr(field.name)}" value="${attr(a.actorId)}"${ticked.has(a.actorId) ? ' checked' : ''}><label for="${fieldId(field.name)}-${i}">${escapeHtml(a.name)} (${escapeHtml(a.actorId)})</label></div>`)
        .join('');
      return fieldset(field.name, label, `<div class="choices">${boxes}</div>` + input(`${field.name}.other`, 'Other actors', context, { hint: 'Ids separated by commas: actors added below' }), context);
    }
    case 'list':
      return input(field.name, label, context, field.slugs ? { hint: 'Lowercase ids separated by commas, such as diplomacy, energy' } : { long: true, hint: 'One per line' });
    case 'group':
      return fieldset(field.name, label, field.fields.map((f) => renderField(f, context)).join(''), context);
    case 'rows': {
      const rows = Array.from({ length: rowCount(field, context.values) }, (_, i) =>
        fieldset(`${field.name}.${i}`, `${field.label} ${i + 1}`, field.fields.map((f) => renderField({ ...f, name: `${field.name}.${i}.${f.name.slice(field.name.length + 1)}` }, context)).join(''), context),
      ).join('');
      return fieldset(field.name, label, rows, context, 'Fill one more to add it; a form sent with every row filled gets a new empty one');
    }
    default: {
      const unreachable: never = field;
      return unreachable;
    }
  }
};

/** The error summary at the top of a form: each message a link to its field. */
export const errorSummary = (errors: FieldErrors, general: readonly string[] = []): string => {
  if (errors.size === 0 && general.length === 0) return '';
  const items = [...general.map((m) => `<li>${escapeHtml(m)}</li>`), ...[...errors].map(([name, message]) => `<li><a href="#${fieldId(name)}">${escapeHtml(message)}</a></li>`)];
  return `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1"><h2 id="error-summary-title">There is a problem</h2><ul>${items.join('')}</ul></div>`;
};
