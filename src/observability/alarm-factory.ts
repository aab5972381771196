import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { Limits } from '../core/limits';
import { integerInRange, invalidProp } from '../core/validate';

/**
 * How late a datapoint of an AWS service's 1-minute metric can arrive; an alarm
 * cannot see a breach before its datapoint is published.
 */
export const METRIC_PUBLISH_DELAY = Duration.minutes(1);

/** How an alarm evaluates its metric: M breaching datapoints out of N periods. */
export interface AlarmEvaluation {
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** One golden signal's alarm, as a service kind describes it. */
export interface SignalAlarmSpec {
  /** Short signal name used in the alarm name, e.g. `errors`. */
  readonly signal: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  /** What is wrong when it fires, and the impact on users. */
  readonly description: string;
  /** Whether this signal fires when the service is totally down (every request fails). */
  readonly detectsOutage: boolean;
}

/** Identity every alarm of a service carries in its name and description. */
export interface AlarmOwner {
  readonly serviceName: string;
  /** Prefix unique in the account and region, e.g. `<stack>-<service>`. */
  readonly namePrefix: string;
  /** Line appended to each description saying what responds. */
  readonly response: string;
}

/** Periods CloudWatch accepts: 10, 20, 30 seconds or a multiple of 60. */
export function validateEvaluation(scope: Construct, evaluation: AlarmEvaluation): void {
  const period = evaluation.period.toSeconds();
  if (![10, 20, 30].includes(period) && period % 60 !== 0) {
    invalidProp(scope, 'period', `CloudWatch accepts 10, 20, 30 seconds or a multiple of 60 (got ${period} s)`);
  }
  const maxPeriods = Math.floor(Limits.ALARM_EVALUATION_SPAN_SECONDS / period);
  integerInRange(scope, 'evaluationPeriods', evaluation.evaluationPeriods, 1, period < 3600 ? maxPeriods : 1_000_000);
  integerInRange(scope, 'datapointsToAlarm', evaluation.datapointsToAlarm, 1, evaluation.evaluationPeriods);
}

/** Seconds from the first failing request until an alarm with this evaluation fires. */
export function detectionSeconds(evaluation: AlarmEvaluation): number {
  return evaluation.period.toSeconds() * evaluation.datapointsToAlarm + METRIC_PUBLISH_DELAY.toSeconds();
}

/**
 * The one place alarms are made: name `<prefix>-<signal>`, a description that says
 * what is wrong, the impact and what responds, and missing data treated as healthy
 * (no traffic is not an outage of the service itself).
 */
export function createSignalAlarm(scope: Construct, owner: AlarmOwner, spec: SignalAlarmSpec, evaluation: AlarmEvaluation): cloudwatch.Alarm {
  const alarmName = `${owner.namePrefix}-${spec.signal}`;
  if (!Token.isUnresolved(alarmName) && alarmName.length > Limits.ALARM_NAME_CHARS) {
    invalidProp(scope, 'serviceName', `alarm name '${alarmName}' is longer than ${Limits.ALARM_NAME_CHARS} characters`);
  }
  const description = `${spec.description} ${owner.response}`.slice(0, Limits.ALARM_DESCRIPTION_CHARS);
  return new cloudwatch.Alarm(scope, alarmNameToId(spec.signal), {
    alarmName,
    alarmDescription: description,
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: spec.comparisonOperator,
    evaluationPeriods: evaluation.evaluationPeriods,
    datapointsToAlarm: evaluation.datapointsToAlarm,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

function alarmNameToId(signal: string): string {
  return signal.split(/[^A-Za-z0-9]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') + 'Alarm';
}
