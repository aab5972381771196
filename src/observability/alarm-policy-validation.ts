import { Duration } from 'aws-cdk-lib';
import { validateEvaluationValues } from './evaluation';
import { Limits } from '../core/limits';
import { invalidProp } from '../core/validate';

/** The AlarmPolicyProps this checks (declared here so the policy and its checks do not import each other). */
interface AlarmPolicyValues {
  readonly critical?: readonly unknown[];
  readonly warning?: readonly unknown[];
  readonly info?: readonly unknown[];
  readonly period?: Duration;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
}

/** Where an AlarmPolicy's errors point: it is made before any construct it applies to. */
const WHERE = 'AlarmPolicy';

/** Checks an AlarmPolicy's props when it is made, so a bad policy fails where it is written. */
export function validateAlarmPolicyProps(props: AlarmPolicyValues): void {
  for (const severity of ['critical', 'warning', 'info'] as const) {
    const actions = props[severity];
    if (actions && actions.length > Limits.ALARM_ACTIONS_PER_STATE) {
      invalidProp(WHERE, severity, `CloudWatch takes at most ${Limits.ALARM_ACTIONS_PER_STATE} actions per alarm state (got ${actions.length})`);
    }
  }
  validateEvaluationValues(WHERE, { period: 'period', evaluationPeriods: 'evaluationPeriods', datapointsToAlarm: 'datapointsToAlarm' },
    props.period ?? Duration.minutes(1), props.evaluationPeriods ?? 3, props.datapointsToAlarm ?? 2);
}
