import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { checkActionCount, checkedAlarmName, tagAlarm } from './alarm-factory';
import { AlarmPolicy, AlarmSeverity } from './alarm-policy';
import { Limits } from '../core/limits';

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
  const alarm = new cloudwatch.CompositeAlarm(scope, 'HealthAlarm', {
    compositeAlarmName: checkedAlarmName(scope, policy.alarmName(scope, options.serviceName, 'health', AlarmSeverity.CRITICAL)),
    alarmDescription: `${options.serviceName} is unhealthy: one of its signal alarms (${signals}) is in ALARM. ${options.response}`
      .slice(0, Limits.ALARM_DESCRIPTION_CHARS),
    alarmRule: cloudwatch.AlarmRule.anyOf(...options.signalAlarms),
  });
  policy.applyActions(alarm, AlarmSeverity.CRITICAL);
  if (options.extraActions.length) alarm.addAlarmAction(...options.extraActions);
  tagAlarm(alarm, options.serviceName, AlarmSeverity.CRITICAL);
  return alarm;
}
