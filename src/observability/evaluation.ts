import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Limits } from '../core/limits';
import { describeMillis, integerInRange, invalidProp, literalMillis } from '../core/validate';

/** The user's names for the three numbers of an evaluation, so an error names the prop they set. */
export interface EvaluationPropNames {
  readonly period: string;
  readonly evaluationPeriods: string;
  readonly datapointsToAlarm: string;
}

/** Options of {@link validateEvaluationValues}. */
export interface EvaluationCheckOptions {
  /**
   * Shortest period the metrics have data at, in seconds: AWS services' metrics are
   * published per minute, so a shorter period never gets a datapoint.
   * @default - any period CloudWatch accepts
   */
  readonly metricResolutionSeconds?: number;
  /** Why the period came from where it did, appended to a period error (e.g. `from the alarm policy`). */
  readonly periodSource?: string;
}

/**
 * CloudWatch's rules for an alarm's evaluation: a period of 10, 20 or 30 seconds or a
 * multiple of 60; period x evaluation periods at most 1 day for periods under an hour
 * and 7 days otherwise; datapoints to alarm from 1 to the evaluation periods.
 * Returns the period in seconds.
 */
export function validateEvaluationValues(scope: IConstruct | string, names: EvaluationPropNames, period: Duration,
  evaluationPeriods: number, datapointsToAlarm: number | undefined, options: EvaluationCheckOptions = {}): number {
  const seconds = validatePeriod(scope, names.period, period, options);
  const longPeriod = seconds >= Limits.ALARM_LONG_PERIOD_SECONDS;
  const span = longPeriod ? Limits.ALARM_LONG_EVALUATION_SPAN_SECONDS : Limits.ALARM_EVALUATION_SPAN_SECONDS;
  const maxPeriods = Math.floor(span / seconds);
  integerInRange(scope, names.evaluationPeriods, evaluationPeriods, 1, Number.MAX_SAFE_INTEGER, 'periods');
  if (evaluationPeriods > maxPeriods) {
    invalidProp(scope, names.evaluationPeriods, `must be at most ${maxPeriods} (got ${evaluationPeriods}): CloudWatch evaluates an alarm `
      + `over at most ${longPeriod ? '7 days' : '1 day'} (${span} s) for periods ${longPeriod ? 'of an hour or more' : 'under an hour'}, `
      + `and ${evaluationPeriods} periods of ${seconds} s are ${evaluationPeriods * seconds} s`);
  }
  if (datapointsToAlarm !== undefined) integerInRange(scope, names.datapointsToAlarm, datapointsToAlarm, 1, evaluationPeriods, 'periods (at most the evaluation periods)');
  return seconds;
}

/** A period CloudWatch accepts (and, when given, no finer than the metric's resolution), in seconds. */
export function validatePeriod(scope: IConstruct | string, prop: string, period: Duration, options: EvaluationCheckOptions = {}): number {
  const ms = literalMillis(scope, prop, period);
  const source = options.periodSource ? ` ${options.periodSource}` : '';
  const seconds = ms / 1000;
  if (!(ms > 0) || !(Limits.ALARM_HIGH_RESOLUTION_PERIODS_SECONDS.includes(seconds) || (Number.isInteger(seconds) && seconds % 60 === 0))) {
    invalidProp(scope, prop, `CloudWatch accepts 10, 20, 30 seconds or a multiple of 60 seconds (got ${describeMillis(ms)}${source})`);
  }
  const resolution = options.metricResolutionSeconds;
  if (resolution !== undefined && seconds < resolution) {
    invalidProp(scope, prop, `must be at least ${resolution} seconds: the metrics are published once every ${resolution} seconds, `
      + `so a ${seconds}-second period never gets a datapoint (got ${describeMillis(ms)}${source})`);
  }
  return seconds;
}
