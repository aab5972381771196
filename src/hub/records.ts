import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { RolloutStrategy } from '../deployments/rollout-strategy';
import { Runbook } from '../runbooks/runbook';

/** What the hub records about one service, for the report, the checks and the demo. */
export interface ServiceRecord {
  /** The service's name, as in its `service` tag. */
  readonly serviceName: string;
  /** Kind of service, e.g. `lambda`. */
  readonly kind: string;
  /**
   * Owning team, as in its `team` tag.
   * @default - none given
   */
  readonly team?: string;
  /** The construct holding everything the service adds. */
  readonly scope: IConstruct;
  /** Alarms on the service's signals, by signal name. */
  readonly signalAlarms: { [signal: string]: cloudwatch.IAlarm };
  /** The composite alarm that pages. */
  readonly healthAlarm: cloudwatch.IAlarm;
  /** Seconds from the start of a total outage until the health alarm fires. */
  readonly detectionSeconds: number;
  /**
   * The deployment group (or other construct) that rolls out new versions.
   * @default - the service has no rollout
   */
  readonly deploymentGroup?: IConstruct;
  /**
   * Rollout strategy of the service's deployments.
   * @default - the service has no rollout
   */
  readonly rollout?: RolloutStrategy;
  /** Alarms that stop and roll back a deployment. */
  readonly rollbackAlarms: cloudwatch.IAlarm[];
  /** Runbooks that respond to the service's events, with what starts each. */
  readonly responses: RunbookResponse[];
  /**
   * The service's objectives.
   * @default - none
   */
  readonly objectives?: ObjectiveRecord[];
  /**
   * What the service relies on (e.g. a DynamoDB table), with the alarms it has on each.
   * @default - none
   */
  readonly dependencies?: DependencyRecord[];
  /**
   * The composite over the backends' health alarms that suppresses the health alarm's actions.
   * @default - none (no backends, or one, whose health alarm suppresses directly)
   */
  readonly backendsAlarm?: cloudwatch.IAlarm;
}

/** A resource a service depends on, as the catalog records it. */
export interface DependencyRecord {
  /** Kind of the resource, e.g. `dynamodb`. */
  readonly kind: string;
  /** Name of the dependency in the service's alarm names. */
  readonly name: string;
  /** The resource depended on. */
  readonly resource: IConstruct;
  /** The service's alarms on it, by signal name. */
  readonly alarms: { [signal: string]: cloudwatch.IAlarm };
}

/** An SLO of a service, as the catalog records it. */
export interface ObjectiveRecord {
  /** Target in percent. */
  readonly target: number;
  /** Error budget window, in days. */
  readonly windowDays: number;
  /** The burn-rate alerts, in words. */
  readonly alerts: string;
  /** The fast-burn (page) composite. */
  readonly pageAlarm: cloudwatch.IAlarm;
}

/** A business KPI, as the catalog records it. */
export interface KpiRecord {
  readonly serviceName: string;
  readonly kpiName: string;
  /** The "KPI at risk" alarm. */
  readonly alarm: cloudwatch.IAlarm;
}

/** A runbook and the event that starts it. */
export interface RunbookResponse {
  /** The runbook. */
  readonly runbook: Runbook;
  /** Whether an event starts it with no person involved (an EventBridge rule), or an operator does. */
  readonly automatic: boolean;
  /** Who or what starts it, in words (e.g. `EventBridge, when X enters ALARM`). */
  readonly trigger: string;
}

/** One game-day scenario, as the catalog records it. */
export interface GameDayScenarioRecord {
  /** Scenario name. */
  readonly scenario: string;
  /** FIS action id of the fault. */
  readonly actionId: string;
  /** Its FIS experiment template. */
  readonly template: IConstruct;
  /** Blast radius, in percent of `unit`. */
  readonly percentage: number;
  /** What the percentage is a share of: `invocations` or `tasks`. */
  readonly unit: string;
  /**
   * How long the fault lasts, in seconds.
   * @default - the fault acts once
   */
  readonly durationSeconds?: number;
  /** The alarm that stops it. */
  readonly guardAlarm: cloudwatch.IAlarm;
  /** Signals (alarm signal names) it is expected to trip. */
  readonly trips: string[];
  /**
   * Schedule expression that starts it.
   * @default - started by an operator
   */
  readonly schedule?: string;
}

/** A service's game days, as the catalog records them: what they inject and what they verify. */
export interface GameDayRecord {
  readonly serviceName: string;
  /** The runbook that runs and judges them. */
  readonly runbook: Runbook;
  /** The alarm that verifies detection: it must enter ALARM within `detectionSeconds`. */
  readonly healthAlarm: cloudwatch.IAlarm;
  readonly detectionSeconds: number;
  /** The runbook that must start when it does. */
  readonly response: Runbook;
  /** Ticket-level alarm: a game day failed. */
  readonly failedAlarm: cloudwatch.IAlarm;
  readonly scenarios: GameDayScenarioRecord[];
}
