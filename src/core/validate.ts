import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Throws a synth-time error that names the construct path and the prop at fault,
 * so a user can find the line to change without reading a stack trace.
 */
export function invalidProp(scope: IConstruct | string, prop: string, message: string): never {
  const where = typeof scope === 'string' ? scope : scope.node.path;
  throw new Error(`${where}: invalid \`${prop}\`: ${message}`);
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

/** A literal number strictly above zero. */
export function positiveNumber(scope: IConstruct | string, prop: string, value: number): number {
  literalNumber(scope, prop, value);
  if (value <= 0) invalidProp(scope, prop, `must be greater than 0 (got ${value})`);
  return value;
}

/** A literal whole number within [min, max]. */
export function integerInRange(scope: IConstruct | string, prop: string, value: number, min: number, max: number): number {
  literalNumber(scope, prop, value);
  if (!Number.isInteger(value) || value < min || value > max) {
    invalidProp(scope, prop, `must be a whole number from ${min} to ${max} (got ${value})`);
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

/** A literal duration, returned in milliseconds (any duration converts to them exactly). */
export function literalMillis(scope: IConstruct | string, prop: string, value: Duration): number {
  if (value.isUnresolved()) {
    invalidProp(scope, prop, 'must be a literal duration, not a token resolved at deploy time');
  }
  return value.toMilliseconds();
}
