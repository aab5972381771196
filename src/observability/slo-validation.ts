import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { Limits } from '../core/limits';
import { invalidProp, literalMillis, literalNumber } from '../core/validate';

// What an objective's target and windows must be.

export function validateTarget(scope: Construct | string, target: number): number {
  literalNumber(scope, 'target', target);
  if (!(target > 50 && target < 100)) {
    invalidProp(scope, 'target', `must be a percentage above 50 and below 100, e.g. 99.9 (got ${target})`);
  }
  return target;
}

/** A window is one alarm's period: whole minutes (CloudWatch's 10/20/30 s need high-resolution metrics), at most 7 days. */
export function validateAlarmWindow(scope: Construct, prop: string, window: Duration): number {
  const ms = literalMillis(scope, prop, window);
  if (ms <= 0 || ms % 60_000 !== 0) {
    invalidProp(scope, prop, `CloudWatch alarm periods for SLO windows must be a whole number of minutes (got ${ms / 1000} s)`);
  }
  if (ms / 1000 > Limits.ALARM_LONG_EVALUATION_SPAN_SECONDS) {
    invalidProp(scope, prop, `CloudWatch alarms evaluate at most ${Limits.ALARM_LONG_EVALUATION_SPAN_SECONDS} s (7 days) (got ${ms / 1000} s)`);
  }
  return ms;
}
