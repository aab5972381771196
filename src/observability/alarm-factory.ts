import { Duration, Stack, Tags, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { AlarmPolicy, AlarmSeverity } from './alarm-policy';
import { EvaluationCheckOptions, EvaluationPropNames, validateEvaluationValues } from './evaluation';
import { Limits } from '../core/limits';
import { operationsStack } from '../core/operations-stack';
import { OWNERSHIP_TAGS } from '../core/ownership';
import { invalidProp } from '../core/validate';

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
  /** How urgent it is; signals that feed a health alarm are INFO. Default INFO. */
  readonly severity?: AlarmSeverity;
  /** Missing data: healthy unless the signal says otherwise (no traffic is no outage). */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  /** Short signal name used in the alarm name, e.g. `errors`. */
  readonly signal: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  /** What is wrong when it fires, and the impact on users. */
  readonly description: string;
  /** Whether this signal fires when the service is totally down (every request fails). */
  readonly detectsOutage: boolean;
  /**
   * Whether a deployment in progress rolls back when it fires. False for a signal a new
   * version cannot clear, e.g. dead letters, which stay until redriven: as a rollback
   * alarm they would stop every later deployment, the fix included.
   * @default true
   */
  readonly rollsBack?: boolean;
}

/** Identity every alarm of a service carries in its name and description. */
export interface AlarmOwner {
  readonly serviceName: string;
  /** Line appended to each description saying what responds. */
  readonly response: string;
}

/**
 * CloudWatch's rules for a signal alarm's evaluation, reported under the names the
 * user set them by (e.g. `alarmPeriod` on an OperationalFunction).
 */
export function validateEvaluation(scope: IConstruct, evaluation: AlarmEvaluation, names: EvaluationPropNames,
  options: EvaluationCheckOptions = {}): void {
  validateEvaluationValues(scope, names, evaluation.period, evaluation.evaluationPeriods, evaluation.datapointsToAlarm, options);
}

/** Seconds from the first failing request until an alarm with this evaluation fires. */
export function detectionSeconds(evaluation: AlarmEvaluation): number {
  return evaluation.period.toSeconds() * evaluation.datapointsToAlarm + METRIC_PUBLISH_DELAY.toSeconds();
}

/** Who an alarm belongs to and how urgent it is: what every alarm cdk-opex makes is named, described, tagged and acted on by. */
export interface AlarmIdentity {
  /** Construct id of the alarm. */
  readonly id: string;
  readonly serviceName: string;
  /** What it watches, in its name: `<stack>-<service>-<signal>-<severity>`. */
  readonly signal: string;
  readonly severity: AlarmSeverity;
  /** What is wrong when it fires, the impact, and what responds. */
  readonly description: string;
  /** The user's prop that names it, named when the name is too long or taken. @default 'serviceName' */
  readonly nameProp?: string;
  /** Actions instead of the policy's for its severity (an empty list for none). @default - the policy's */
  readonly actions?: cloudwatch.IAlarmAction[];
  /** Actions besides the policy's. @default - none */
  readonly extraActions?: cloudwatch.IAlarmAction[];
}

/** What a metric alarm evaluates, besides its name and description. */
export type MetricAlarmSettings = Omit<cloudwatch.AlarmProps, 'alarmName' | 'alarmDescription' | 'actionsEnabled'>;
/** What an anomaly-detection alarm evaluates, besides its name and description. */
export type AnomalyAlarmSettings = Omit<cloudwatch.AnomalyDetectionAlarmProps, 'alarmName' | 'alarmDescription' | 'actionsEnabled'>;

/**
 * The one place metric alarms are made, through the AlarmPolicy in force: a checked, unique
 * name `<stack>-<service>-<signal>-<severity>`, the description cut to CloudWatch's limit, the
 * severity's actions and the `service` and `severity` tags.
 */
export function createMetricAlarm(scope: Construct, identity: AlarmIdentity, settings: MetricAlarmSettings): cloudwatch.Alarm {
  return finish(scope, identity, (alarmName, alarmDescription) =>
    new cloudwatch.Alarm(scope, identity.id, { alarmName, alarmDescription, ...settings }));
}

/** An anomaly-detection alarm, made like every other ({@link createMetricAlarm}). */
export function createAnomalyAlarm(scope: Construct, identity: AlarmIdentity, settings: AnomalyAlarmSettings): cloudwatch.AnomalyDetectionAlarm {
  return finish(scope, identity, (alarmName, alarmDescription) =>
    new cloudwatch.AnomalyDetectionAlarm(scope, identity.id, { alarmName, alarmDescription, ...settings }));
}

/** A composite alarm over `rule`, made like every other ({@link createMetricAlarm}). */
export function createCompositeAlarm(scope: Construct, identity: AlarmIdentity, rule: cloudwatch.IAlarmRule): cloudwatch.CompositeAlarm {
  return finish(scope, identity, (compositeAlarmName, alarmDescription) =>
    new cloudwatch.CompositeAlarm(scope, identity.id, { compositeAlarmName, alarmDescription, alarmRule: rule }));
}

function finish<T extends cloudwatch.AlarmBase>(scope: Construct, identity: AlarmIdentity, make: (name: string, description: string) => T): T {
  const policy = AlarmPolicy.of(scope);
  const name = checkedAlarmName(scope, policy.alarmName(scope, identity.serviceName, identity.signal, identity.severity), identity.nameProp);
  const alarm = make(name, identity.description.slice(0, Limits.ALARM_DESCRIPTION_CHARS));
  if (identity.actions) {
    if (identity.actions.length) alarm.addAlarmAction(...identity.actions);
  } else {
    policy.applyActions(alarm, identity.severity);
  }
  if (identity.extraActions?.length) alarm.addAlarmAction(...identity.extraActions);
  tagAlarm(alarm, identity.serviceName, identity.severity);
  return alarm;
}

/**
 * A golden signal's alarm, as a service kind describes it: missing data treated as healthy
 * unless the signal says otherwise (no traffic is no outage).
 */
export function createSignalAlarm(scope: Construct, owner: AlarmOwner, spec: SignalAlarmSpec, evaluation: AlarmEvaluation): cloudwatch.Alarm {
  return createMetricAlarm(scope, {
    id: alarmNameToId(spec.signal),
    serviceName: owner.serviceName,
    signal: spec.signal,
    severity: spec.severity ?? AlarmSeverity.INFO,
    description: `${spec.description} ${owner.response}`,
  }, {
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: spec.comparisonOperator,
    evaluationPeriods: evaluation.evaluationPeriods,
    datapointsToAlarm: evaluation.datapointsToAlarm,
    treatMissingData: spec.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** Tags every alarm with who owns it and how urgent it is. */
export function tagAlarm(alarm: IConstruct, serviceName: string, severity: AlarmSeverity): void {
  Tags.of(alarm).add(OWNERSHIP_TAGS.service, serviceName);
  Tags.of(alarm).add('severity', severity);
}

/** Alarm names already taken in each stack, with the path of the construct that took each. */
const takenAlarmNames = new WeakMap<IConstruct, Map<string, string>>();

/**
 * An alarm name CloudWatch accepts: short enough, and not already used in this stack
 * (CloudFormation would fail the deployment on the second one). `prop` is what the
 * user changes to fix it.
 */
export function checkedAlarmName(scope: IConstruct, alarmName: string, prop = 'serviceName'): string {
  if (Token.isUnresolved(alarmName)) return alarmName;
  if (alarmName.length > Limits.ALARM_NAME_CHARS) {
    invalidProp(scope, prop, `alarm name '${alarmName}' is longer than ${Limits.ALARM_NAME_CHARS} characters`);
  }
  const stack = operationsStack(scope);
  const taken = takenAlarmNames.get(stack) ?? new Map<string, string>();
  takenAlarmNames.set(stack, taken);
  const owner = taken.get(alarmName);
  if (owner !== undefined) {
    invalidProp(scope, prop, `alarm name '${alarmName}' is already used by ${owner}; alarm names must be unique in a stack`);
  }
  taken.set(alarmName, scope.node.path);
  return alarmName;
}

/** Actions a CloudWatch alarm takes in one state, checked against CloudWatch's limit. */
export function checkActionCount(scope: IConstruct, prop: string, count: number, what: string): void {
  if (count > Limits.ALARM_ACTIONS_PER_STATE) {
    invalidProp(scope, prop, `CloudWatch takes at most ${Limits.ALARM_ACTIONS_PER_STATE} actions per alarm state; ${what} make ${count}`);
  }
}

/**
 * How long after a total outage begins an alarm fires: its period times the
 * datapoints it needs, plus the delay before a datapoint is published.
 */
export class DetectionTime {
  /** Detection time of a metric alarm, read from its synthesized properties. */
  public static ofAlarm(alarm: cloudwatch.Alarm): Duration {
    const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
    const metrics = (Stack.of(alarm).resolve(cfn.metrics) ?? []) as Array<{ metricStat?: { period?: number }; period?: number }>;
    const periods = [cfn.period, ...metrics.map((m) => m.metricStat?.period ?? m.period)].filter((p): p is number => typeof p === 'number');
    if (periods.length === 0) invalidProp(alarm, 'period', 'the alarm has no literal period to compute a detection time from');
    const datapoints = (cfn.datapointsToAlarm ?? cfn.evaluationPeriods) as number;
    return Duration.seconds(Math.max(...periods) * datapoints + METRIC_PUBLISH_DELAY.toSeconds());
  }

  private constructor() {}
}

function alarmNameToId(signal: string): string {
  return signal.split(/[^A-Za-z0-9]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('') + 'Alarm';
}
