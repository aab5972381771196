import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct, IConstruct } from 'constructs';
import { RolloutStrategy } from '../deployments/rollout-strategy';
import { RunbookResponse } from '../hub/records';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { Runbook } from '../runbooks/runbook';

/** What the composition tells a kind when it binds it to a service. */
export interface ServiceKindContext {
  /** The service's name, as in its alarm names and `service` tag. */
  readonly serviceName: string;
  /** Period every signal is measured over (the alarm period). */
  readonly period: Duration;
}

/**
 * A service's golden signals by role. `errors` and `traffic` are counts over the
 * same events, so an availability objective can be made of them.
 */
export interface ServiceSignals {
  /** Requests, invocations or messages: what users send. */
  readonly traffic: cloudwatch.IMetric;
  /** Of `traffic`, the ones that failed. */
  readonly errors: cloudwatch.IMetric;
  /**
   * How long users wait.
   * @default - the kind measures no latency
   */
  readonly latency?: cloudwatch.IMetric;
  /**
   * How close the service is to its limit.
   * @default - the kind measures no saturation
   */
  readonly saturation?: cloudwatch.IMetric;
  /**
   * The kind's own signals, by name (e.g. `throttles`).
   * @default - none
   */
  readonly others?: { [name: string]: cloudwatch.IMetric };
}

/** The runbooks of a service and how they are started. */
export interface ServiceRunbooks {
  /** The runbook EventBridge starts when the service's health alarm enters ALARM. */
  readonly onUnhealthy: Runbook;
  /** Its parameters, each a list of strings; values may be `EventField`s of the alarm's event. */
  readonly onUnhealthyParameters: { [name: string]: string[] };
  /** What the health alarm's description says responds, e.g. `Response: the X runbook starts ...`. */
  readonly healthResponse: string;
  /**
   * Runbooks operators start, with what starts each.
   * @default - none
   */
  readonly others?: RunbookResponse[];
  /**
   * Events besides the health alarm that start `onUnhealthy` (e.g. a failed deployment).
   * @default - none
   */
  readonly moreTriggers?: ServiceTrigger[];
}

/** An event that starts a service's `onUnhealthy` runbook, besides its health alarm. */
export interface ServiceTrigger {
  /** Construct id of the rule, under the service. */
  readonly id: string;
  /** What happened, in words, e.g. `ECS reports SERVICE_DEPLOYMENT_FAILED`. */
  readonly what: string;
  /** The EventBridge pattern of those events. */
  readonly eventPattern: events.EventPattern;
  /** The runbook's parameters, each a list of strings (values may be `EventField`s). */
  readonly parameters: { [name: string]: string[] };
}

/** What a kind's rollout is set up with. */
export interface ServiceRolloutRequest {
  /** How new versions reach users. */
  readonly rollout: RolloutStrategy;
  /** Alarms that stop and roll back a deployment. */
  readonly rollbackAlarms: cloudwatch.IAlarm[];
  /** Those of `rollbackAlarms` the service made (named `<stack>-...`). */
  readonly signalAlarms: cloudwatch.IAlarm[];
}

/** What a kind's dashboard section shows besides its signals. */
export interface ServiceSectionContext {
  readonly serviceName: string;
  /**
   * Owning team.
   * @default - none
   */
  readonly team?: string;
  /** How long after a total outage begins the health alarm fires. */
  readonly detectionTime: Duration;
  /**
   * How new versions reach users.
   * @default - the kind has no rollout
   */
  readonly rollout?: RolloutStrategy;
  /** The health alarm, then the signal alarms. */
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * Everything cdk-opex knows about one kind of AWS service, bound to one service's
 * resources: an instance serves one service. `OperationalService` calls, in order,
 * `validate`, `bind`, `runbooks`, `alarmSpecs`, `rollOut` (when `rolloutMechanism`
 * is set), `dashboardSection` and `ownedResources`.
 */
export interface IServiceKind {
  /** Kind of service as the catalog names it, e.g. `lambda`. */
  readonly kindName: string;
  /** How often the kind's metrics are published: a shorter alarm period never gets data. */
  readonly metricResolution: Duration;
  /** CloudWatch dimensions that identify the kind's resources, for checks and the report. */
  readonly resourceDimensions: string[];
  /**
   * How new versions are rolled out (e.g. `codedeploy-lambda`).
   * @default - the kind has no rollout of its own
   */
  readonly rolloutMechanism?: string;
  /** Faults a game day can inject into the kind (FIS action ids). */
  readonly faults: string[];
  /**
   * One unit of the `latency` signal's metric, when it is a raw metric a latency SLO can
   * take the percentile rank of (e.g. `Duration.millis(1)` for API Gateway `Latency`).
   * @default - the kind supports no latency SLO
   */
  readonly latencyUnit?: Duration;
  /**
   * Health alarms of the services this one calls (e.g. an API's backend functions): they
   * join the health alarm's rule, and while one is in ALARM it suppresses the health
   * alarm's actions, so one failure pages once, from the layer that failed.
   * @default - none
   */
  readonly backendHealthAlarms?: cloudwatch.IAlarm[];
  /**
   * Whether the service's operations resources may go into a nested stack of its stack
   * (`ServicePlacement`). Only for a kind whose resources the user's own refer to at most
   * one way: a nested stack that refers to the user's resources while they refer back
   * makes a cycle CloudFormation cannot deploy (a queue worker's queue, read by the user's
   * function; an API whose stage depends on its backends' aliases). The Lambda kind is.
   * @default false
   */
  readonly placeable?: boolean;

  /** Checks the kind's own props before anything is created; errors name `service`'s path. */
  validate(service: Construct): void;
  /** Creates what the signals are measured on, in `service`, and returns them by role. */
  bind(service: Construct, context: ServiceKindContext): ServiceSignals;
  /** The runbooks that respond to the service, shared in the stack's hub. */
  runbooks(service: Construct): ServiceRunbooks;
  /** One alarm per signal users feel, with the kind's validated thresholds. */
  alarmSpecs(service: Construct): SignalAlarmSpec[];
  /** Sets up the rollout; returns what rolls out new versions (e.g. a deployment group). */
  rollOut(service: Construct, request: ServiceRolloutRequest): IConstruct;
  /** The service's dashboard section. */
  dashboardSection(service: Construct, context: ServiceSectionContext): cloudwatch.IWidget[];
  /** The user's resources that carry the service's ownership tags. */
  ownedResources(): IConstruct[];
}
