import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { RolloutStrategy } from '../deployments/rollout-strategy';
import { AlarmPolicy } from '../observability/alarm-policy';

/** An OpsItem the health alarm opens in OpsCenter. */
export interface OpsItemOptions {
  /** Severity of the OpsItem. */
  readonly severity: cw_actions.OpsItemSeverity;
  /**
   * @default OpsItemCategory.AVAILABILITY
   */
  readonly category?: cw_actions.OpsItemCategory;
}

/** An availability objective for a function: the share of invocations that succeed. */
export interface FunctionSloOptions {
  /**
   * Target, in percent of invocations, e.g. 99.9 (above 50, below 100). For targets
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

/** Properties of an {@link OperationalFunction}. */
export interface OperationalFunctionProps {
  /**
   * The function to operate, defined in this app (not imported with `fromFunctionArn`:
   * its `currentVersion` is what the alias rolls out), with a literal timeout. One
   * OperationalFunction per function.
   */
  readonly lambdaFunction: lambda.Function;
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
   * Name of the alias that serves traffic; point callers at it: 1-128 letters, digits,
   * - and _, not only digits. The function must not already have an alias of this name.
   * @default 'live'
   */
  readonly aliasName?: string;
  /**
   * How new versions reach users.
   * @default RolloutStrategy.DEFAULT (canary: 10% for 5 minutes, then 100%)
   */
  readonly rollout?: RolloutStrategy;
  /**
   * Error rate, in percent of invocations, at which the errors alarm fires (0 < x <= 100).
   * @default 5
   */
  readonly errorRateThreshold?: number;
  /**
   * p99 duration at which the latency alarm fires; must be below the function's timeout.
   * @default - 80% of the function's timeout
   */
  readonly latencyThreshold?: Duration;
  /**
   * Throttled invocations per period at which the throttles alarm fires (above 0).
   * @default 1
   */
  readonly throttleThreshold?: number;
  /**
   * Period of every alarm: a whole number of minutes (Lambda publishes its metrics
   * once a minute, so CloudWatch's 10, 20 and 30 s periods would never get data).
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
   * Turn on AWS X-Ray active tracing for the function (and allow its role to send
   * traces), so a slow or failing request can be followed across services.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * How this service's alarms are named and what they do, by severity.
   * @default - the policy set on the stack or app with AlarmPolicy.set, else the defaults
   */
  readonly alarmPolicy?: AlarmPolicy;
  /**
   * Open an OpsItem when the health alarm fires, besides the policy's critical actions
   * (CloudWatch takes 5 actions per alarm state in all).
   * @default - no OpsItem from the alarm (the diagnostics runbook still records one)
   */
  readonly opsItem?: OpsItemOptions;
  /**
   * An availability objective with multiwindow burn-rate alerts: a fast burn makes the
   * service unhealthy (the health alarm pages), a slow burn opens a ticket.
   * @default - no SLO
   */
  readonly slo?: FunctionSloOptions;
  /**
   * More alarms that stop and roll back a deployment (a deployment group takes 10 in all).
   * @default - only the service's signal alarms
   */
  readonly additionalRollbackAlarms?: cloudwatch.IAlarm[];
}
