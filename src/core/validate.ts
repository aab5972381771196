import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Throws a synth-time error that names the construct path and the prop at fault,
 * so a user can find the line to change without reading a stack trace.
 */
export function invalidProp(scope: IConstruct | string, prop: string, message: string): never {
  throw new Error(invalidPropMessage(scope, prop, message));
}

/** The message {@link invalidProp} throws, for an error found when the tree is validated. */
export function invalidPropMessage(scope: IConstruct | string, prop: string, message: string): string {
  const where = typeof scope === 'string' ? scope : scope.node.path;
  return `${where}: invalid \`${prop}\`: ${message}`;
}

/** A number the construct must read at synth: no tokens, finite. */
export function literalNumber(scope: IConstruct | string, prop: string, value: number): number {
  if (Token.isUnresolved(value)) {
    invalidProp(scope, prop, 'must be a literal number, not a token resolved at deploy time');
  }
  if (!Number.isFinite(value)) {
    invalidProp(scope, prop, `must be a finite number (got ${value})`);
  }
  return value;
}

/** A literal number strictly above zero; `unit` (e.g. `ms`, `% of invocations`) goes into the message. */
export function positiveNumber(scope: IConstruct | string, prop: string, value: number, unit?: string): number {
  literalNumber(scope, prop, value);
  const of = unit ? ` ${unit}` : '';
  if (value <= 0) invalidProp(scope, prop, `must be greater than 0${of} (got ${value}${of})`);
  return value;
}

/** A literal whole number within [min, max]; `unit` is a plural noun (`periods`, `percent`) for the message. */
export function integerInRange(scope: IConstruct | string, prop: string, value: number, min: number, max: number, unit?: string): number {
  literalNumber(scope, prop, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    invalidProp(scope, prop, `must be a whole number${unit ? ` of ${unit}` : ''} ${range} (got ${value})`);
  }
  return value;
}

/** A literal string; names and tags are built from it at synth. */
export function literalString(scope: IConstruct | string, prop: string, value: string): string {
  if (Token.isUnresolved(value)) {
    invalidProp(scope, prop, 'must be a literal string, not a token resolved at deploy time');
  }
  return value;
}

/** A literal string matching a pattern, described for the error message. */
export function matchingString(scope: IConstruct | string, prop: string, value: string, pattern: RegExp, what: string): string {
  literalString(scope, prop, value);
  if (!pattern.test(value)) invalidProp(scope, prop, `must be ${what} (got '${value}')`);
  return value;
}

/**
 * A literal duration, returned in milliseconds. Checked here rather than left to
 * `Duration.toMilliseconds()`, whose own error names no prop (e.g. for `Duration.millis(NaN)`).
 */
export function literalMillis(scope: IConstruct | string, prop: string, value: Duration): number {
  if (value.isUnresolved()) {
    invalidProp(scope, prop, 'must be a literal duration, not a token resolved at deploy time');
  }
  const ms = value.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms)) invalidProp(scope, prop, `must be a finite duration (got ${value.toString()})`);
  return ms;
}

/** Units a whole-number duration may be required in. */
const UNIT_MILLIS = { seconds: 1_000, minutes: 60_000 } as const;

/**
 * A literal duration that is a whole number of `unit` within [min, max] of that unit,
 * returned in that unit: e.g. a step timeout in whole seconds, a rollout interval in minutes.
 */
export function wholeDuration(scope: IConstruct | string, prop: string, value: Duration, unit: keyof typeof UNIT_MILLIS,
  min: number, max: number): number {
  const ms = literalMillis(scope, prop, value);
  const amount = ms / UNIT_MILLIS[unit];
  if (!Number.isInteger(amount) || amount < min || amount > max) {
    invalidProp(scope, prop, `must be a whole number of ${unit} from ${min} to ${max} (got ${describeMillis(ms)})`);
  }
  return amount;
}

/** A duration in milliseconds, in the largest unit that shows it exactly: `1.5 s`, `90 min`, `250 ms`. */
export function describeMillis(ms: number): string {
  if (ms !== 0 && ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms !== 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms !== 0 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1_000 === 0) return `${ms / 1_000} s`;
  return ms >= 1_000 ? `${ms / 1_000} s` : `${ms} ms`;
}
