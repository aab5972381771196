import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';

/** Event patterns for the operational events a runbook responds to. */
export class Triggers {
  /**
   * An alarm (metric or composite) entering the ALARM state.
   */
  public static alarmEntersAlarm(alarm: cloudwatch.IAlarm): events.EventPattern {
    return {
      source: ['aws.cloudwatch'],
      detailType: ['CloudWatch Alarm State Change'],
      resources: [alarm.alarmArn],
      detail: { state: { value: ['ALARM'] } },
    };
  }

  private constructor() {}
}
