import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { RolloutStrategy } from '../deployments/rollout-strategy';
import { AlarmPolicy } from '../observability/alarm-policy';
import { GameDayOptions } from '../resilience/game-day-props';
import { ServiceDependency } from '../services/dependencies';

/** An OpsItem the health alarm opens in OpsCenter. */
export interface OpsItemOptions {
  /** Severity of the OpsItem. */
  readonly severity: cw_actions.OpsItemSeverity;
  /**
   * @default OpsItemCategory.AVAILABILITY
   */
  readonly category?: cw_actions.OpsItemCategory;
}

/** An availability objective for a service: the share of its traffic that succeeds. */
export interface ServiceSloOptions {
  /**
   * Target, in percent of requests, e.g. 99.9 (above 50, below 100). For targets
   * below 93.75 the default alerts' burn rates are lowered so they can still fire (at
   * 90, the page burns at 9x instead of 14.4x; see `ServiceLevelObjective.defaultAlerts`).
   */
  readonly target: number;
  /**
   * Window the error budget is spent over.
   * @default Duration.days(28)
   */
  readonly window?: Duration;
}

/**
 * A latency objective for a service: the share of its requests at or under a threshold,
 * from the percentile rank of the kind's latency metric (for kinds that support one).
 */
export interface ServiceLatencySloOptions {
  /** Target, in percent of requests at or under `threshold`, e.g. 99 (above 50, below 100). */
  readonly target: number;
  /** A request is good when it takes at most this long. */
  readonly threshold: Duration;
  /**
   * Window the error budget is spent over.
   * @default Duration.days(28)
   */
  readonly window?: Duration;
}

/** What every operational service pattern takes, whatever its kind. */
export interface OperationalServiceOptions {
  /**
   * Service name, used in alarm names, the dashboard and the `service` tag: 1-64
   * letters, digits, - or _, starting with a letter or digit; unique in the stack.
   * @default - the construct id
   */
  readonly serviceName?: string;
  /**
   * Owning team, set as the `team` tag: 1-64 letters, digits, - or _, starting with a letter or digit.
   * @default - no team tag
   */
  readonly team?: string;
  /**
   * How new versions reach users (for kinds with a rollout).
   * @default RolloutStrategy.DEFAULT (canary: 10% for 5 minutes, then 100%)
   */
  readonly rollout?: RolloutStrategy;
  /**
   * Period of every alarm: a multiple of the kind's metric resolution (AWS services
   * publish once a minute, so CloudWatch's 10, 20 and 30 s periods would never get data).
   * @default - the alarm policy's (1 minute)
   */
  readonly alarmPeriod?: Duration;
  /**
   * Periods each alarm looks at (N of "M out of N"). CloudWatch limits period x
   * evaluation periods to 1 day for periods under an hour, 7 days otherwise.
   * @default - the alarm policy's (3)
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods that fire an alarm (M of "M out of N"). With the defaults an
   * outage is detected within 3 minutes: 2 periods plus a minute of metric delay.
   * @default - the alarm policy's (2)
   */
  readonly datapointsToAlarm?: number;
  /**
   * How this service's alarms are named and what they do, by severity.
   * @default - the policy set on the stack or app with AlarmPolicy.set, else the defaults
   */
  readonly alarmPolicy?: AlarmPolicy;
  /**
   * Open an OpsItem when the health alarm fires, besides the policy's critical actions
   * (CloudWatch takes 5 actions per alarm state in all).
   * @default - no OpsItem from the alarm (the unhealthy runbook may still record one)
   */
  readonly opsItem?: OpsItemOptions;
  /**
   * An availability objective with multiwindow burn-rate alerts: a fast burn makes the
   * service unhealthy (the health alarm pages), a slow burn opens a ticket.
   * @default - no SLO
   */
  readonly slo?: ServiceSloOptions;
  /**
   * More alarms that stop and roll back a deployment (a deployment group takes 10 in all).
   * @default - only the service's signal alarms
   */
  readonly additionalRollbackAlarms?: cloudwatch.IAlarm[];
  /**
   * A latency objective with the same burn-rate alerts as `slo`; its fast burn also makes
   * the service unhealthy.
   * @default - no latency SLO
   */
  readonly latencySlo?: ServiceLatencySloOptions;
  /**
   * What the service relies on, e.g. `ServiceDependency.dynamoDbTable(table)`: each one's
   * alarms feed the service's health alarm, its graphs join the service's dashboard
   * section, and it is tagged with the service (the first service to declare it, if shared).
   * @default - none
   */
  readonly dependencies?: ServiceDependency[];
  /**
   * Game days for the service: FIS experiments of its kind's faults, and the runbook that
   * verifies its alarms detected them and its response started (a `GameDay` with id
   * `GameDay`, on the Operational* patterns). Faults reach real users: scope them to a
   * staging stack, or keep the blast radius small.
   * @default - none
   */
  readonly gameDays?: GameDayOptions;
}
