import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct, IConstruct } from 'constructs';
import { OperationalServiceOptions } from './operational-service-options';
import { ownershipName, tagOwnership } from '../core/ownership';
import { invalidProp } from '../core/validate';
import { RolloutStrategy } from '../deployments/rollout-strategy';
import { OperationsHub } from '../hub/operations-hub';
import { operateIncidents } from '../incidents/operate';
import { AlarmEvaluation, createSignalAlarm, detectionSeconds, validateEvaluation } from '../observability/alarm-factory';
import { AlarmPolicy, AlarmSeverity } from '../observability/alarm-policy';
import { createHealthAlarm } from '../observability/health-alarm';
import { ServiceLevelObjective, SloIndicator } from '../observability/slo';
import { Runbook } from '../runbooks/runbook';
import { RunbookTrigger } from '../runbooks/runbook-trigger';
import { Triggers } from '../runbooks/triggers';
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
  /** Alarms on the signals users feel. */
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
  /** How long after a total outage begins the health alarm fires. */
  public readonly detectionTime: Duration;
  /** The stack's operations hub. */
  public readonly hub: OperationsHub;

  constructor(scope: Construct, id: string, props: OperationalServiceProps) {
    super(scope, id);
    const kind = props.kind;
    kind.validate(this);
    this.serviceName = ownershipName(this, 'serviceName', props.serviceName ?? id);
    const team = props.team === undefined ? undefined : ownershipName(this, 'team', props.team);
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
    this.alarms = specs.map((spec) => createSignalAlarm(this, {
      serviceName: this.serviceName,
      response: `Feeds the ${this.serviceName} health alarm, which pages${rollsBack ? ', and rolls back a deployment in progress' : ''}.`,
    }, spec, evaluation));
    this.detectionTime = Duration.seconds(detectionSeconds(evaluation));

    if (props.slo) {
      this.slo = new ServiceLevelObjective(this, 'Slo', {
        serviceName: this.serviceName,
        indicator: SloIndicator.availabilityFromErrors({ errors: signals.errors, total: signals.traffic }),
        target: props.slo.target,
        window: props.slo.window,
        pageActions: [], // the health alarm pages for it: one incident, one page
      });
    }

    this.healthAlarm = createHealthAlarm(this, {
      serviceName: this.serviceName,
      signalAlarms: [...this.alarms, ...(this.slo ? [this.slo.pageAlarm] : [])],
      response: responders.healthResponse,
      extraActions: props.opsItem ? [new cw_actions.SsmAction(props.opsItem.severity,
        props.opsItem.category ?? cw_actions.OpsItemCategory.AVAILABILITY)] : [],
      extraActionsProp: 'opsItem',
    });
    const healthName = AlarmPolicy.of(this).alarmName(this, this.serviceName, 'health', AlarmSeverity.CRITICAL);

    const rollout = rollsBack ? props.rollout ?? RolloutStrategy.DEFAULT : undefined;
    const rollbackAlarms = rollout ? [...this.alarms, ...(props.additionalRollbackAlarms ?? [])] : [];
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
    }).rule];

    this.dashboard = this.hub.addDashboardSection(kind.dashboardSection(this, {
      serviceName: this.serviceName, team, detectionTime: this.detectionTime, rollout, alarms: [this.healthAlarm, ...this.alarms],
    }), [this.healthAlarm]);

    tagOwnership([this, ...kind.ownedResources()], this.serviceName, team);

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
      objectives: this.slo ? [{
        target: this.slo.target,
        windowDays: this.slo.window.toDays(),
        alerts: this.slo.describeAlerts(),
        pageAlarm: this.slo.pageAlarm,
      }] : [],
      responses: [
        { runbook: unhealthy, automatic: true, trigger: `EventBridge, when ${healthName} enters ALARM` },
        ...(responders.others ?? []),
      ],
    });

    // Incidents (issue 13): routes this service to the stack's operations log, when that is on.
    const incidentSources = { serviceName: this.serviceName, healthAlarmName: healthName, deployment: this.deployment };
    operateIncidents(this, { ...incidentSources, ownedResources: kind.ownedResources(), runbooks: this.runbooks });
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
