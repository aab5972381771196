import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { checkActionCount, createCompositeAlarm } from './alarm-factory';
import { AlarmPolicy, AlarmSeverity } from './alarm-policy';

/** What a service's health alarm is made of. */
export interface HealthAlarmOptions {
  readonly serviceName: string;
  /** Alarms any of which makes the service unhealthy. */
  readonly signalAlarms: cloudwatch.IAlarm[];
  /** What responds when it fires. */
  readonly response: string;
  /** Actions besides the critical ones of the AlarmPolicy. */
  readonly extraActions: cloudwatch.IAlarmAction[];
  /** The user's prop that adds `extraActions`, named when there are too many actions. */
  readonly extraActionsProp: string;
}

/**
 * The composite alarm that pages for a service: in ALARM when any signal alarm is.
 * Signal alarms page no one themselves (their INFO actions are low-urgency), so one incident pages once.
 */
export function createHealthAlarm(scope: Construct, options: HealthAlarmOptions): cloudwatch.CompositeAlarm {
  const signals = options.signalAlarms.map((a) => a.alarmName).join(', ');
  const policy = AlarmPolicy.of(scope);
  const critical = policy.actionsFor(AlarmSeverity.CRITICAL).length;
  checkActionCount(scope, options.extraActions.length ? options.extraActionsProp : 'alarmPolicy', critical + options.extraActions.length,
    `the alarm policy's ${critical} critical actions and ${options.extraActions.length} more`);
  return createCompositeAlarm(scope, {
    id: 'HealthAlarm',
    serviceName: options.serviceName,
    signal: 'health',
    severity: AlarmSeverity.CRITICAL,
    description: `${options.serviceName} is unhealthy: one of its signal alarms (${signals}) is in ALARM. ${options.response}`,
    extraActions: options.extraActions,
  }, cloudwatch.AlarmRule.anyOf(...options.signalAlarms));
}
