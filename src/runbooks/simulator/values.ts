import { StepFailure } from './failure';

// SSM Automation's value semantics: selectors, types, branch operators, durations, text.

/** JSONPath subset SSM selectors use: `$`, `.key`, `[n]`, `[*]`; undefined when nothing matches. */
export function select(root: any, selector: string): any {
  const path = /^\$((?:\.[A-Za-z0-9_$-]+|\[(?:\d+|\*)\])*)$/.exec(String(selector).trim());
  if (!path) throw new Error(`selector '${selector}' is not supported (use $, .key, [n] and [*])`);
  let current = [root];
  let many = false;
  for (const [, key, index] of path[1].matchAll(/\.([A-Za-z0-9_$-]+)|\[(\d+|\*)\]/g)) {
    many ||= index === '*';
    current = current.flatMap((v) => {
      if (key !== undefined) return v !== null && typeof v === 'object' && !Array.isArray(v) && key in v ? [v[key]] : [];
      if (!Array.isArray(v)) return [];
      return index === '*' ? v.map((x) => x) : Number(index) < v.length ? [v[Number(index)]] : [];
    });
  }
  return many ? current : current[0];
}

/** A list selection (from `[*]`) is desired only when every value in it is. */
export function isDesired(actual: any, desired: any): boolean {
  const wanted = (Array.isArray(desired) ? desired : [desired]).map(String);
  const values = Array.isArray(actual) ? actual : [actual];
  return values.length > 0 && values.every((v) => v !== undefined && wanted.includes(text(v)));
}

export const INVALID = Symbol('invalid');

/** Checks a parameter or output value against its SSM type; numbers and booleans in strings are accepted as SSM does. */
export function coerce(value: any, type: string = 'String'): any {
  const scalar = (v: any) => ['string', 'number', 'boolean'].includes(typeof v);
  const map = (v: any) => v !== null && typeof v === 'object' && !Array.isArray(v);
  switch (type) {
    case 'String': return scalar(value) ? String(value) : INVALID;
    case 'Integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      return Number.isInteger(n) ? n : INVALID;
    }
    case 'Boolean': return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : INVALID;
    case 'StringList': return Array.isArray(value) && value.every(scalar) ? value.map(String) : INVALID;
    case 'StringMap': return map(value) ? value : INVALID;
    case 'MapList': return Array.isArray(value) && value.every(map) ? value : INVALID;
    default: throw new Error(`unknown type '${type}' (use String, Integer, Boolean, StringList, StringMap or MapList)`);
  }
}

type Operator = (actual: any, expected: any) => boolean;
const number = (v: any): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isNaN(n)) throw new StepFailure(`Branch cannot compare ${describe(v)} as a number`);
  return n;
};
const OPERATORS: Record<string, Operator> = {
  StringEquals: (a, e) => text(a) === String(e),
  EqualsIgnoreCase: (a, e) => text(a).toLowerCase() === String(e).toLowerCase(),
  StartsWith: (a, e) => text(a).startsWith(String(e)),
  EndsWith: (a, e) => text(a).endsWith(String(e)),
  Contains: (a, e) => Array.isArray(a) ? a.map(text).includes(String(e)) : text(a).includes(String(e)),
  NumericEquals: (a, e) => number(a) === number(e),
  NumericGreater: (a, e) => number(a) > number(e),
  NumericLesser: (a, e) => number(a) < number(e),
  NumericGreaterOrEquals: (a, e) => number(a) >= number(e),
  NumericLesserOrEquals: (a, e) => number(a) <= number(e),
  BooleanEquals: (a, e) => text(a).toLowerCase() === String(e).toLowerCase(),
};

export function matches(choice: any): boolean {
  if (choice.And) return choice.And.every(matches);
  if (choice.Or) return choice.Or.some(matches);
  if (choice.Not) return !matches(choice.Not);
  const operator = Object.keys(OPERATORS).find((o) => o in choice);
  if (!operator || !('Variable' in choice)) throw new Error(`branch choice ${JSON.stringify(choice)} needs a Variable and one of ${Object.keys(OPERATORS).join(', ')}, And, Or, Not`);
  return OPERATORS[operator](choice.Variable, choice[operator]);
}

/** ISO 8601 duration (`P1D`, `PT1H30M`, `PT45S`) in seconds; undefined when malformed. */
export function isoSeconds(duration: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

export function text(value: any): string {
  return typeof value === 'string' ? value : value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function describe(value: any): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}
