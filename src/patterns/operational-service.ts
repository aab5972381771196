import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct, IConstruct } from 'constructs';
import { OperationalServiceOptions } from './operational-service-options';
import { grantsFrom } from '../core/merged-policy';
import { isServicesStack, recordRequestedScope } from '../core/operations-stack';
import { ownershipName, tagOwnership } from '../core/ownership';
import { invalidProp } from '../core/validate';
import { RolloutStrategy } from '../deployments/rollout-strategy';
import { OperationsHub } from '../hub/operations-hub';
import { operateIncidents } from '../incidents/operate';
import { AlarmEvaluation, createSignalAlarm, detectionSeconds, SignalAlarmSpec, validateEvaluation } from '../observability/alarm-factory';
import { AlarmPolicy, AlarmSeverity } from '../observability/alarm-policy';
import { createHealthAlarm } from '../observability/health-alarm';
import { ServiceLevelObjective, SloIndicator } from '../observability/slo';
import { Runbook } from '../runbooks/runbook';
import { RunbookTrigger } from '../runbooks/runbook-trigger';
import { Triggers } from '../runbooks/triggers';
import { bindDependencies, latencyObjective, suppressWhileBackendsFail } from '../services/dependencies-wiring';
import { IServiceKind } from '../services/service-kind';

/** The props a service's alarm evaluation is set by. */
const EVALUATION_PROPS = { period: 'alarmPeriod', evaluationPeriods: 'evaluationPeriods', datapointsToAlarm: 'datapointsToAlarm' };

/** Properties of an {@link OperationalService}. */
export interface OperationalServiceProps extends OperationalServiceOptions {
  /** What kind of service it is, bound to the user's resources (one kind instance per service). */
  readonly kind: IServiceKind;
}

/**
 * A service of any kind, operable from day one: signal alarms, an optional SLO, a
 * composite health alarm, the kind's rollout rolled back by those alarms, a runbook
 * started when the service turns unhealthy, a dashboard section, ownership tags and
 * an entry in the hub's catalog. Shared pieces come from the stack's {@link OperationsHub}.
 */
export class OperationalService extends Construct {
  /** The service's name. */
  public readonly serviceName: string;
  /**
   * The team that owns it, as in its `team` tag.
   * @default - none
   */
  public readonly team?: string;
  /** Alarms on the signals users feel, warnings included. */
  public readonly alarms: cloudwatch.Alarm[];
  /** Composite alarm over the signal alarms: the one that pages. */
  public readonly healthAlarm: cloudwatch.CompositeAlarm;
  /**
   * What rolls out new versions and rolls back on alarm, when the kind has a rollout.
   * @default - none
   */
  public readonly deployment?: IConstruct;
  /** The dashboard holding this service's section (shared by the stack's services). */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Runbooks for this service (shared documents whose roles are scoped to it); the first starts when it is unhealthy. */
  public readonly runbooks: Runbook[];
  /** Rules that start the runbooks. */
  public readonly responseRules: events.Rule[];
  /**
   * The availability objective, when `slo` is set.
   * @default - none
   */
  public readonly slo?: ServiceLevelObjective;
  /**
   * The latency objective, when `latencySlo` is set.
   * @default - none
   */
  public readonly latencySlo?: ServiceLevelObjective;
  /** Alarms on the service's dependencies (`dependencies`); they feed the health alarm. */
  public readonly dependencyAlarms: cloudwatch.Alarm[];
  /** How long after a total outage begins the health alarm fires. */
  public readonly detectionTime: Duration;
  /** The stack's operations hub. */
  public readonly hub: OperationsHub;
  /** What kind of service it is, bound to its resources (game days read its faults and resources). */
  public readonly kind: IServiceKind;
  private readonly signalNames: string[];

  constructor(scope: Construct, id: string, props: OperationalServiceProps) {
    // Built where the stack's placement puts it: here, or in a nested stack once the stack would not fit.
    // A service with game days stays in the stack too: its game day changes the user's function (the FIS extension), and
    // the Control Tower validator fails on a nested log group encrypted with the parent's key.
    super(...OperationsHub._place(scope, id, props.kind.placeable === true && props.gameDays === undefined));
    if (this.node.scope !== scope) recordRequestedScope(this, scope);
    const placedIn = Stack.of(this);
    const endGrants = grantsFrom(isServicesStack(placedIn) ? placedIn : undefined);
    try {
      const kind = props.kind;
      this.kind = kind;
      kind.validate(this);
      this.serviceName = ownershipName(this, 'serviceName', props.serviceName ?? id);
      const team = props.team === undefined ? undefined : ownershipName(this, 'team', props.team);
      this.team = team;
      const evaluation = this.evaluation(props, kind);
      this.hub = OperationsHub.of(this);
      if (this.hub.services.some((s) => s.serviceName === this.serviceName)) {
        invalidProp(this, 'serviceName', `'${this.serviceName}' is already a service of this stack; service names must be unique`);
      }
      const signals = kind.bind(this, { serviceName: this.serviceName, period: evaluation.period });
      const responders = kind.runbooks(this);
      const unhealthy = responders.onUnhealthy;

      const specs = kind.alarmSpecs(this);
      const rollsBack = kind.rolloutMechanism !== undefined;
      // Warnings (e.g. an API's 4XX surge) are tickets, not pages: only INFO signals make the service unhealthy.
      const feedsHealth = (spec: SignalAlarmSpec) => (spec.severity ?? AlarmSeverity.INFO) === AlarmSeverity.INFO;
      const rollsBackOn = (spec: SignalAlarmSpec) => rollsBack && spec.rollsBack !== false;
      this.signalNames = specs.map((spec) => spec.signal);
      this.alarms = specs.map((spec) => createSignalAlarm(this, {
        serviceName: this.serviceName,
        response: signalResponse(this.serviceName, feedsHealth(spec), rollsBackOn(spec)),
      }, spec, evaluation));
      this.detectionTime = Duration.seconds(detectionSeconds(evaluation));
      const dependencies = bindDependencies(this, this.serviceName, props.dependencies ?? [], evaluation);
      this.dependencyAlarms = dependencies.flatMap((d) => d.alarms);

      if (props.slo) {
        this.slo = new ServiceLevelObjective(this, 'Slo', {
          serviceName: this.serviceName,
          indicator: SloIndicator.availabilityFromErrors({ errors: signals.errors, total: signals.traffic }),
          target: props.slo.target,
          window: props.slo.window,
          pageActions: [], // the health alarm pages for it: one incident, one page
        });
      }
      this.latencySlo = props.latencySlo ? latencyObjective(this, this.serviceName, kind, signals, props.latencySlo) : undefined;
      const objectives = [this.slo, this.latencySlo].filter((o): o is ServiceLevelObjective => o !== undefined);
      const feeds = this.alarms.filter((_, i) => feedsHealth(specs[i]));
      const backends = kind.backendHealthAlarms ?? [];

      this.healthAlarm = createHealthAlarm(this, {
        serviceName: this.serviceName,
        signalAlarms: [...feeds, ...objectives.map((o) => o.pageAlarm), ...this.dependencyAlarms, ...backends],
        response: responders.healthResponse,
        extraActions: props.opsItem ? [new cw_actions.SsmAction(props.opsItem.severity,
          props.opsItem.category ?? cw_actions.OpsItemCategory.AVAILABILITY)] : [],
        extraActionsProp: 'opsItem',
      });
      const healthName = AlarmPolicy.of(this).alarmName(this, this.serviceName, 'health', AlarmSeverity.CRITICAL);
      const suppressor = suppressWhileBackendsFail(this, this.serviceName, this.healthAlarm, backends, evaluation);

      const rollout = rollsBack ? props.rollout ?? RolloutStrategy.DEFAULT : undefined;
      const rollbackAlarms = rollout ? [...this.alarms.filter((_, i) => rollsBackOn(specs[i])), ...(props.additionalRollbackAlarms ?? [])] : [];
      const rolloutProps = { rollout: props.rollout !== undefined, additionalRollbackAlarms: (props.additionalRollbackAlarms ?? []).length > 0 };
      for (const [prop, given] of Object.entries(rolloutProps)) {
        if (!rollout && given) invalidProp(this, prop, `a ${kind.kindName} service has no rollout of its own`);
      }
      this.deployment = rollout ? kind.rollOut(this, { rollout, rollbackAlarms, signalAlarms: this.alarms }) : undefined;

      this.runbooks = [unhealthy, ...(responders.others ?? []).map((r) => r.runbook)];
      this.responseRules = [new RunbookTrigger(this, 'OnUnhealthy', {
        runbook: unhealthy,
        description: `Starts the ${unhealthy.node.id} runbook when the ${this.serviceName} health alarm goes into ALARM`,
        eventPattern: Triggers.alarmEntersAlarm(this.healthAlarm),
        parameters: responders.onUnhealthyParameters,
      }).rule, ...(responders.moreTriggers ?? []).map((t) => new RunbookTrigger(this, t.id, {
        runbook: unhealthy,
        description: `Starts the ${unhealthy.node.id} runbook when ${t.what} (${this.serviceName})`,
        eventPattern: t.eventPattern,
        parameters: t.parameters,
      }).rule)];

      this.dashboard = this.hub.addDashboardSection([...kind.dashboardSection(this, {
        serviceName: this.serviceName, team, detectionTime: this.detectionTime, rollout, alarms: [this.healthAlarm, ...this.alarms],
      }), ...dependencies.flatMap((d) => d.widgets(this.detectionTime.toSeconds()))], [this.healthAlarm], this);

      tagOwnership([this, ...kind.ownedResources(), ...dependencies.filter((d) => d.tagged).map((d) => d.resource)], this.serviceName, team);

      this.hub.registerService({
        serviceName: this.serviceName,
        kind: kind.kindName,
        team,
        scope: this,
        signalAlarms: Object.fromEntries(this.alarms.map((a, i) => [specs[i].signal, a])),
        healthAlarm: this.healthAlarm,
        detectionSeconds: this.detectionTime.toSeconds(),
        deploymentGroup: this.deployment,
        rollout,
        rollbackAlarms,
        objectives: objectives.map((o) => ({ target: o.target, windowDays: o.window.toDays(), alerts: o.describeAlerts(), pageAlarm: o.pageAlarm })),
        dependencies: dependencies.map((d) => ({ kind: d.kindName, name: d.name, resource: d.resource, alarms: d.alarmsBySignal })),
        backendsAlarm: suppressor && !backends.includes(suppressor) ? suppressor : undefined,
        responses: [
          { runbook: unhealthy, automatic: true, trigger: `EventBridge, when ${healthName} enters ALARM` },
          ...(responders.moreTriggers ?? []).map((t) => ({ runbook: unhealthy, automatic: true, trigger: `EventBridge, when ${t.what}` })),
          ...(responders.others ?? []),
        ],
      });

      // Routes this service's events to the stack's operations log, when that is on.
      operateIncidents(this, {
        serviceName: this.serviceName,
        healthAlarmName: healthName,
        deployment: this.deployment,
        ownedResources: kind.ownedResources(),
        runbooks: this.runbooks,
      });
    } finally {
      endGrants();
    }
  }

  /**
   * The alarm on one of the service's signals, e.g. `errors` or `backlog`.
   * @returns the alarm, or undefined when the service has no such signal
   */
  public signalAlarm(signal: string): cloudwatch.Alarm | undefined {
    const i = this.signalNames.indexOf(signal);
    return i < 0 ? undefined : this.alarms[i];
  }

  /** The alarm evaluation: the props', else the policy's, checked against CloudWatch's rules and the kind's metric resolution. */
  private evaluation(props: OperationalServiceOptions, kind: IServiceKind): AlarmEvaluation {
    if (props.alarmPolicy) AlarmPolicy.set(this, props.alarmPolicy);
    const policy = AlarmPolicy.of(this);
    const evaluation: AlarmEvaluation = {
      period: props.alarmPeriod ?? policy.period,
      evaluationPeriods: props.evaluationPeriods ?? policy.evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm ?? policy.datapointsToAlarm,
    };
    validateEvaluation(this, evaluation, EVALUATION_PROPS, {
      metricResolutionSeconds: kind.metricResolution.toSeconds(),
      periodSource: props.alarmPeriod ? undefined : 'from the alarm policy\'s period',
    });
    return evaluation;
  }
}

/** What a signal alarm's description says happens when it fires. */
function signalResponse(serviceName: string, feedsHealth: boolean, rollsBack: boolean): string {
  const rollback = rollsBack ? 'rolls back a deployment in progress' : '';
  if (feedsHealth) return `Feeds the ${serviceName} health alarm, which pages${rollback ? `, and ${rollback}` : ''}.`;
  return `A warning: acted on by the alarm policy's warning actions, never part of the health alarm${rollback ? `; ${rollback}` : ''}.`;
}
