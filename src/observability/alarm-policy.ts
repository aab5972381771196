import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { validateAlarmPolicyProps } from './alarm-policy-validation';
import { alarmNamePrefix } from '../core/alarm-names';
import { scopesAsRequested } from '../core/operations-stack';
import { matchingString } from '../core/validate';
import { OperationsHub } from '../hub/operations-hub';

/** How urgently an alarm needs a person. */
export enum AlarmSeverity {
  /** Users are hurt now: page someone. */
  CRITICAL = 'critical',
  /** Needs attention within working hours: open a ticket. */
  WARNING = 'warning',
  /**
   * A signal that feeds another alarm (a composite, a rollback): it pages no one; by
   * default its state changes go to the stack's low-urgency signal topic.
   */
  INFO = 'info',
}

/** Kinds of {@link AlarmAction}. */
export enum AlarmActionKind {
  TOPIC = 'TOPIC',
  STACK_TOPIC = 'STACK_TOPIC',
  SIGNAL_TOPIC = 'SIGNAL_TOPIC',
  OPS_ITEM = 'OPS_ITEM',
  INCIDENT = 'INCIDENT',
}

/** Something an alarm does when it fires. */
export class AlarmAction {
  /** Notify an SNS topic (and again when the alarm recovers). */
  public static topic(topic: sns.ITopic): AlarmAction {
    return new AlarmAction(AlarmActionKind.TOPIC, topic);
  }

  /** Notify the stack's shared alarm topic (the OperationsHub's). */
  public static stackTopic(): AlarmAction {
    return new AlarmAction(AlarmActionKind.STACK_TOPIC);
  }

  /**
   * Notify the stack's low-urgency signal topic (the OperationsHub's), which pages no
   * one: the default of INFO alarms.
   */
  public static signalTopic(): AlarmAction {
    return new AlarmAction(AlarmActionKind.SIGNAL_TOPIC);
  }

  /** Open an OpsItem in OpsCenter. */
  public static opsItem(severity: cw_actions.OpsItemSeverity, category?: cw_actions.OpsItemCategory): AlarmAction {
    return new AlarmAction(AlarmActionKind.OPS_ITEM, undefined, severity, category ?? cw_actions.OpsItemCategory.AVAILABILITY);
  }

  /**
   * Start an incident with an Incident Manager response plan (by name).
   *
   * AWS Systems Manager Incident Manager no longer accepts new customers (since November
   * 2025): this action is kept for accounts that already use it, and cdk-opex never
   * defaults to it. Elsewhere use `AlarmAction.opsItem` (OpsCenter), the default incident
   * record, which the operations log's incident timeline writes onto.
   */
  public static incident(responsePlanName: string): AlarmAction {
    matchingString('AlarmAction.incident', 'responsePlanName', responsePlanName, /^[A-Za-z0-9_-]{1,200}$/, 'a response plan name');
    return new AlarmAction(AlarmActionKind.INCIDENT, undefined, undefined, undefined, responsePlanName);
  }

  private constructor(
    /** What the action does. */
    public readonly kind: AlarmActionKind,
    private readonly snsTopic?: sns.ITopic,
    private readonly opsItemSeverity?: cw_actions.OpsItemSeverity,
    private readonly opsItemCategory?: cw_actions.OpsItemCategory,
    private readonly responsePlanName?: string,
  ) {}

  /** @internal */
  public _bind(scope: IConstruct): cloudwatch.IAlarmAction {
    switch (this.kind) {
      case AlarmActionKind.TOPIC: return new cw_actions.SnsAction(this.snsTopic!);
      case AlarmActionKind.STACK_TOPIC: return OperationsHub.of(scope).topicAction;
      case AlarmActionKind.SIGNAL_TOPIC: return OperationsHub.of(scope).signalTopicAction;
      case AlarmActionKind.OPS_ITEM: return new cw_actions.SsmAction(this.opsItemSeverity!, this.opsItemCategory);
      default: return new cw_actions.SsmIncidentAction(this.responsePlanName!);
    }
  }

  /** Whether the action should also run when the alarm returns to OK. */
  public get notifiesOnRecovery(): boolean {
    return this.kind === AlarmActionKind.TOPIC || this.kind === AlarmActionKind.STACK_TOPIC || this.kind === AlarmActionKind.SIGNAL_TOPIC;
  }
}

/** Properties of an {@link AlarmPolicy}. */
export interface AlarmPolicyProps {
  /**
   * What critical alarms (a service's health, a fast SLO burn) do; at most 5 (CloudWatch's limit per alarm state).
   * @default [AlarmAction.stackTopic()]
   */
  readonly critical?: AlarmAction[];
  /**
   * What warning alarms (a slow SLO burn, a KPI at risk) do; at most 5.
   * @default [AlarmAction.opsItem(OpsItemSeverity.MEDIUM)]
   */
  readonly warning?: AlarmAction[];
  /**
   * What info alarms (signals that feed a composite or a rollback) do; at most 5. They page no
   * one: by default each state change is recorded on the stack's signal topic, so every
   * alarm has an action (Control Tower CT.CLOUDWATCH.PR.1, cdk-nag CloudWatchAlarmAction)
   * without a person being woken for a signal the health alarm already judges.
   * @default [AlarmAction.signalTopic()]
   */
  readonly info?: AlarmAction[];
  /**
   * Period of signal alarms: 10, 20 or 30 seconds (high-resolution metrics only) or a
   * multiple of 60 seconds; AWS services' metrics (an OperationalFunction's) need whole minutes.
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;
  /**
   * Periods a signal alarm looks at (N of "M out of N"); period x evaluation periods at
   * most 1 day for periods under an hour, 7 days otherwise.
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods that fire a signal alarm (M of "M out of N").
   * @default 2
   */
  readonly datapointsToAlarm?: number;
}

const policies = new WeakMap<IConstruct, AlarmPolicy>();

/**
 * How alarms are named, evaluated and acted on, by severity. Set once for an app or
 * a stack with `AlarmPolicy.set(scope, policy)`; a service may set its own. Every
 * alarm cdk-opex makes goes through the policy that is nearest to it.
 */
export class AlarmPolicy {
  /** The policy in force at `scope`: the nearest one set on it or an ancestor, else the defaults. */
  public static of(scope: IConstruct): AlarmPolicy {
    for (const s of scopesAsRequested(scope).reverse()) {
      const policy = policies.get(s);
      if (policy) return policy;
    }
    return DEFAULT_POLICY;
  }

  /** Makes `policy` the one in force for `scope` and everything under it. */
  public static set(scope: IConstruct, policy: AlarmPolicy): void {
    policies.set(scope, policy);
  }

  constructor(private readonly props: AlarmPolicyProps = {}) {
    validateAlarmPolicyProps(props);
  }

  /** Actions of alarms of one severity. */
  public actionsFor(severity: AlarmSeverity): AlarmAction[] {
    switch (severity) {
      case AlarmSeverity.CRITICAL: return this.props.critical ?? [AlarmAction.stackTopic()];
      case AlarmSeverity.WARNING: return this.props.warning ?? [AlarmAction.opsItem(cw_actions.OpsItemSeverity.MEDIUM)];
      default: return this.props.info ?? [AlarmAction.signalTopic()];
    }
  }

  /** Whether alarms of `severity` notify a topic that pages (the stack's alarm topic or one of yours). */
  public pages(severity: AlarmSeverity): boolean {
    return this.actionsFor(severity).some((a) => a.kind === AlarmActionKind.TOPIC || a.kind === AlarmActionKind.STACK_TOPIC);
  }

  /** Period of signal alarms. */
  public get period(): Duration {
    return this.props.period ?? Duration.minutes(1);
  }

  /** Periods a signal alarm looks at. */
  public get evaluationPeriods(): number {
    return this.props.evaluationPeriods ?? 3;
  }

  /** Breaching periods that fire a signal alarm. */
  public get datapointsToAlarm(): number {
    return this.props.datapointsToAlarm ?? 2;
  }

  /** The name of an alarm: `<stack>-<service>-<signal>-<severity>`. */
  public alarmName(scope: IConstruct, serviceName: string, signal: string, severity: AlarmSeverity): string {
    return `${alarmNamePrefix(scope)}${serviceName}-${signal}-${severity}`;
  }

  /** Adds the severity's actions to `alarm` (and OK actions for notifications). */
  public applyActions(alarm: cloudwatch.AlarmBase, severity: AlarmSeverity): void {
    for (const action of this.actionsFor(severity)) {
      const bound = action._bind(alarm);
      alarm.addAlarmAction(bound);
      if (action.notifiesOnRecovery) alarm.addOkAction(bound);
    }
  }
}

const DEFAULT_POLICY = new AlarmPolicy();
