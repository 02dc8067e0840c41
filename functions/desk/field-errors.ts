import { RuleViolationError, ValidationError } from '../../events/errors';
import { one, rowCount, type FormField, type FormValues } from './schema-form';

/**
 * The errors of the API (the catalog's validation, the story's rules), put beside the form fields
 * they concern. A validation issue names its path (`events.1.data.occurred.start`); the desk knows
 * which form prefix each proposed event came from. A broken rule names the field it is about.
 */

/** Every name a form can show an error at, with its label. */
const namesOf = (fields: readonly FormField[], values: FormValues, into = new Map<string, string>()): Map<string, string> => {
  for (const field of fields) {
    into.set(field.name, field.label);
    if (field.kind === 'date-span') for (const part of ['start', 'end', 'precision']) into.set(`${field.name}.${part}`, `${field.label} (${part})`);
    if (field.kind === 'group') namesOf(field.fields, values, into);
    if (field.kind === 'rows') {
      for (let i = 0; i < rowCount(field, values); i++) {
        namesOf(field.fields.map((f) => ({ ...f, name: `${field.name}.${i}.${f.name.slice(field.name.length + 1)}`, label: `${field.label} ${i + 1}: ${f.label.toLowerCase()}` })), values, into);
      }
    }
  }
  return into;
};

/** The rules of the story decider, each with the fields it may be about (the first the form has). */
const RULE_FIELDS: Record<string, string[]> = {
  'visit-must-be-planned': ['data.visitId'],
  'visit-id-unique': ['data.visitId'],
  'cancelled-visit-cannot-take-place': ['data.visitId'],
  'visit-already-took-place': ['data.visitId'],
  'unplanned-visit-needs-visitors': ['data.visitors', 'data.destination'],
  'id-unique': ['data.agreementId', 'data.pledgeId', 'data.meetingId', 'data.interestId'],
  'actor-id-unique': ['actor.actorId'],
  'story-already-opened': ['storyId'],
  'target-retracted': ['note', 'reason'],
};

export interface MappedErrors {
  fields: Map<string, string>;
  /** Messages about no field in particular. */
  general: string[];
}

/** `prefixes[i]`: the form prefix of the i-th proposed event (`data`, `actor`, or '' for a story's own fields). */
export const mapErrors = (error: ValidationError | RuleViolationError, fields: readonly FormField[], values: FormValues, prefixes: readonly string[]): MappedErrors => {
  const names = namesOf(fields, values);
  const result: MappedErrors = { fields: new Map(), general: [] };
  const place = (path: string, message: string) => {
    // the field itself, or the closest enclosing one (`data.topics.2` is shown at `data.topics`)
    for (let at = path; at !== ''; at = at.includes('.') ? at.slice(0, at.lastIndexOf('.')) : '') {
      const label = names.get(at);
      if (label !== undefined) {
        if (!result.fields.has(at)) result.fields.set(at, `${label}: ${message}`);
        return;
      }
    }
    result.general.push(message);
  };
  if (error instanceof ValidationError) {
    for (const issue of error.issues) {
      const match = /^events\.(\d+)\.data(?:\.(.*))?$/.exec(issue.field);
      const prefix = match ? prefixes[Number(match[1])] : undefined;
      if (match && prefix !== undefined) place([prefix, match[2] ?? ''].filter((p) => p !== '').join('.'), issue.message);
      else place(issue.field, issue.message);
    }
    if (error.issues.length === 0) result.general.push(error.message);
    return result;
  }
  let candidates = RULE_FIELDS[error.rule] ?? [];
  if (error.rule === 'actor-not-identified') {
    // the actor field that names the actor
    const actorId = /actor (\S+) must be identified/.exec(error.message)?.[1] ?? '';
    candidates = [...names.keys()].filter((name) => (values.get(name) ?? []).includes(actorId) || one(values, `${name}.other`).split(/[\s,]+/).includes(actorId) || one(values, name).split(/[\s,]+/).includes(actorId));
  }
  const name = candidates.find((candidate) => names.has(candidate));
  if (name) place(name, error.message);
  else result.general.push(error.message);
  return result;
};
