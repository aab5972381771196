import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { Limits } from '../core/limits';

/** What a service's health alarm is made of. */
export interface HealthAlarmOptions {
  readonly alarmName: string;
  readonly serviceName: string;
  readonly signalAlarms: cloudwatch.IAlarm[];
  /** What responds when it fires. */
  readonly response: string;
  readonly actions: cloudwatch.IAlarmAction[];
  readonly okActions: cloudwatch.IAlarmAction[];
}

/**
 * The composite alarm that pages for a service: in ALARM when any signal alarm is.
 * Signal alarms carry no actions of their own, so one incident pages once.
 */
export function createHealthAlarm(scope: Construct, options: HealthAlarmOptions): cloudwatch.CompositeAlarm {
  const signals = options.signalAlarms.map((a) => a.alarmName).join(', ');
  const alarm = new cloudwatch.CompositeAlarm(scope, 'HealthAlarm', {
    compositeAlarmName: options.alarmName,
    alarmDescription: `${options.serviceName} is unhealthy: one of its signal alarms (${signals}) is in ALARM. ${options.response}`
      .slice(0, Limits.ALARM_DESCRIPTION_CHARS),
    alarmRule: cloudwatch.AlarmRule.anyOf(...options.signalAlarms),
  });
  alarm.addAlarmAction(...options.actions);
  alarm.addOkAction(...options.okActions);
  return alarm;
}
