import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { GameDayFault } from './faults';

/** One experiment of a game day: which fault, how much of the service, for how long. */
export interface GameDayScenario {
  /** Scenario name, in the template's tags and the verdict: 1-40 lower-case letters, digits and -. */
  readonly name: string;
  /** The fault to inject; the service's kind must have it. */
  readonly fault: GameDayFault;
  /**
   * Blast radius: the share of invocations (Lambda) or of tasks (ECS) the fault touches, in percent (above 0, at most 100).
   * @default 10
   */
  readonly percentage?: number;
  /**
   * How long the fault lasts (faults that act once, like stopping tasks, ignore it): whole seconds, at most 12 hours (FIS's limit).
   * @default Duration.minutes(5)
   */
  readonly duration?: Duration;
  /**
   * Delay added to each touched invocation, for `LAMBDA_INVOCATION_DELAY`: whole milliseconds, above 0, at most 15 minutes.
   * @default - the latency alarm's threshold plus 1 second
   */
  readonly delay?: Duration;
  /**
   * Error rate, in percent of requests, at which the guard alarm stops the experiment: users are hurt beyond the
   * injected fault. Above `percentage` for error faults (else every run would stop itself), at most 100.
   * @default - twice `percentage` plus 10, at most 100
   */
  readonly guardThreshold?: number;
  /**
   * An alarm of yours that stops the experiment instead of the guard alarm cdk-opex makes. It must not be the
   * alarm the scenario is meant to trip, nor the health alarm.
   * @default - a guard alarm on the service's error rate at `guardThreshold`
   */
  readonly guardAlarm?: cloudwatch.IAlarm;
  /**
   * Runs this scenario on its own, on a schedule; needs `enableSchedule: true` on the game day.
   * @default - not scheduled; started by an operator
   */
  readonly schedule?: GameDaySchedule;
}

/** When game days run on their own. */
export interface GameDaySchedule {
  /**
   * EventBridge Scheduler expression, e.g. `cron(0 10 ? * TUE *)` (Tuesdays 10:00) or `rate(7 days)`.
   * @default 'cron(0 10 ? * TUE *)'
   */
  readonly expression?: string;
  /**
   * IANA time zone the expression is read in.
   * @default 'UTC'
   */
  readonly timeZone?: string;
}

/** A service's game days, as the patterns' `gameDays` option takes them. */
export interface GameDayOptions {
  /** The experiments, one FIS experiment template each; at least one. */
  readonly scenarios: GameDayScenario[];
  /**
   * Adds the FIS Lambda extension to the function (layer from AWS's public SSM parameter, configuration location in
   * an S3 bucket of the stack, `AWS_FIS_CONFIGURATION_LOCATION` and `AWS_LAMBDA_EXEC_WRAPPER`). Lambda faults need it;
   * it changes the function (a new version), so it is never done silently.
   * @default false
   */
  readonly installLambdaExtension?: boolean;
  /**
   * Lets scenarios with a `schedule` start the game-day runbook on their own. Game days inject faults, so a
   * schedule needs this explicit switch.
   * @default false
   */
  readonly enableSchedule?: boolean;
  /**
   * How long FIS's experiment logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}
