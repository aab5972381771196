import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct, IConstruct } from 'constructs';
import { ECS_DEFAULTS, ECS_KIND, ecsAlarmSpecs, ecsDashboardWidgets, EcsSignals, ecsSignals, ecsSignalsByRole, EcsThresholds } from './ecs';
import { EcsThresholdOverrides, ecsThresholds } from './ecs-kind';
import { createFargateResources, FargateResourceOptions, FargateResources } from './fargate-resources';
import { IServiceKind, ServiceKindContext, ServiceRolloutRequest, ServiceRunbooks, ServiceSectionContext, ServiceSignals } from './service-kind';
import { Limits } from '../core/limits';
import { integerInRange, invalidProp } from '../core/validate';
import { ecsDeploymentProps, rollBackOnAlarms, shiftsTraffic } from '../deployments/ecs-deployment';
import { RolloutStrategy } from '../deployments/rollout-strategy';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { AlarmSeverity } from '../observability/alarm-policy';
import { faultActionIds } from '../resilience/faults';
import { RunbookLibrary } from '../runbooks/library';
import { Triggers } from '../runbooks/triggers';

/** What the Fargate kind is made from: the user's description of the service, its thresholds and rollout. */
export interface FargateKindOptions extends FargateResourceOptions, EcsThresholdOverrides {
  readonly desiredCount?: number;
  readonly rollout?: RolloutStrategy;
  readonly canaryMinimumRequests?: number;
}

/** Signals that warn rather than feed the health alarm. */
const SATURATION = ['cpu', 'memory'];

/** Default desired count: two tasks, so one can fail or be replaced while the other serves. */
const DEFAULT_DESIRED_COUNT = 2;

/**
 * A Fargate service cdk-opex creates behind a listener rule: signals on both target groups
 * of its blue/green pair, ECS's own canary (or linear, blue/green, rolling) rolled back by
 * those alarms and the circuit breaker, and the ECS runbooks with their triggers.
 */
export class FargateServiceKind implements IServiceKind {
  public readonly kindName = ECS_KIND;
  public readonly metricResolution = Duration.seconds(Limits.AWS_METRIC_RESOLUTION_SECONDS);
  public readonly resourceDimensions = ['ClusterName', 'ServiceName', 'TargetGroup', 'LoadBalancer'];
  public readonly rolloutMechanism = 'ecs';
  public readonly faults = faultActionIds(ECS_KIND);
  private thresholds?: EcsThresholds;
  private signals?: EcsSignals;
  private deployment: ReturnType<typeof ecsDeploymentProps> = {};
  private desiredCount = DEFAULT_DESIRED_COUNT;
  private canaryMinimumRequests: number = ECS_DEFAULTS.canaryMinimumRequests;
  private serviceName = '';
  private _resources?: FargateResources;

  constructor(private readonly options: FargateKindOptions) {}

  /** The service's resources, once bound. */
  public get resources(): FargateResources {
    return this._resources!;
  }

  public validate(service: Construct): void {
    const o = this.options;
    this.thresholds = ecsThresholds(service, o);
    if (!o.cluster === !o.vpc) invalidProp(service, o.cluster ? 'vpc' : 'cluster', 'give exactly one of cluster and vpc');
    if (!o.image === !o.taskDefinition) invalidProp(service, o.image ? 'taskDefinition' : 'image', 'give exactly one of image and taskDefinition');
    const imageProps = ['containerPort', 'cpu', 'memoryLimitMiB', 'containerHealthCheck', 'containerUser', 'readonlyRootFilesystem', 'logRetention', 'tracing'] as const;
    for (const prop of imageProps) {
      if (o.taskDefinition && o[prop] !== undefined) invalidProp(service, prop, 'is for a task definition made from `image`; set it on your taskDefinition');
    }
    if (o.containerPort !== undefined) integerInRange(service, 'containerPort', o.containerPort, 1, 65_535, 'port');
    if (o.listenerPriority !== undefined) integerInRange(service, 'listenerPriority', o.listenerPriority, 1, 50_000);
    this.desiredCount = integerInRange(service, 'desiredCount', o.desiredCount ?? DEFAULT_DESIRED_COUNT, 0, Number.MAX_SAFE_INTEGER, 'tasks');
    this.canaryMinimumRequests = integerInRange(service, 'canaryMinimumRequests', o.canaryMinimumRequests ?? ECS_DEFAULTS.canaryMinimumRequests,
      1, Number.MAX_SAFE_INTEGER, 'requests per alarm period');
    this.deployment = ecsDeploymentProps(service, this.rollout, this.desiredCount);
  }

  public bind(service: Construct, context: ServiceKindContext): ServiceSignals {
    this.serviceName = context.serviceName;
    const r = createFargateResources(service, this.options, this.deployment, this.desiredCount, shiftsTraffic(this.rollout));
    this._resources = r;
    const signals = ecsSignals({
      service: r.service,
      targetGroup: r.blue,
      alternateTargetGroup: r.green,
      loadBalancer: this.options.listener.loadBalancer,
      desiredCount: this.desiredCount > 0 ? this.desiredCount : undefined,
      canaryMinimumRequests: this.canaryMinimumRequests,
    }, context.period);
    this.signals = signals;
    return ecsSignalsByRole(signals);
  }

  public runbooks(service: Construct): ServiceRunbooks {
    const { service: ecsService, taskDefinition, logGroupName } = this.resources;
    const diagnostics = RunbookLibrary.ecsDiagnostics(service);
    const redeploy = RunbookLibrary.ecsForceNewDeployment(service);
    const scaleOut = RunbookLibrary.ecsScaleOut(service);
    const rollback = RunbookLibrary.ecsRollback(service);
    for (const runbook of [diagnostics, redeploy, scaleOut, rollback]) RunbookLibrary.allowEcsService(runbook, ecsService);
    RunbookLibrary.allowEcsLogs(diagnostics, logGroupName);
    RunbookLibrary.allowEcsTaskRoles(rollback, taskDefinition);
    const parameters = (trigger: string) => ({
      Cluster: [ecsService.cluster.clusterName],
      Service: [ecsService.serviceName],
      LogGroupName: [logGroupName],
      ServiceName: [this.serviceName],
      Trigger: [trigger],
    });
    const on = (id: string, what: string, eventPattern: events.EventPattern) => ({ id, what, eventPattern, parameters: parameters(what) });
    const byOperator = { automatic: false, trigger: 'an operator; waits for approval' };
    return {
      onUnhealthy: diagnostics,
      onUnhealthyParameters: { ...parameters(''), Trigger: [events.EventField.fromPath('$.detail.alarmName')] },
      healthResponse: `Response: the ${diagnostics.node.id} runbook starts and records stopped tasks, deployments and recent errors on an OpsItem.`,
      others: [{ runbook: rollback, ...byOperator }, { runbook: redeploy, ...byOperator }, { runbook: scaleOut, ...byOperator }],
      moreTriggers: [
        on('OnDeploymentFailed', 'ECS reports SERVICE_DEPLOYMENT_FAILED', Triggers.ecsDeploymentFailed(ecsService)),
        on('OnTaskStopped', 'a task stopped unexpectedly', Triggers.ecsTaskStoppedUnexpectedly(ecsService.cluster, ecsService.serviceName)),
      ],
    };
  }

  public alarmSpecs(_service: Construct): SignalAlarmSpec[] {
    // Saturation is a warning (a ticket, by default an OpsItem), not a page: users feel it through errors and latency.
    return ecsAlarmSpecs(this.signals!, this.thresholds!, this.serviceName)
      .map((spec) => SATURATION.includes(spec.signal) ? { ...spec, severity: AlarmSeverity.WARNING } : spec);
  }

  public rollOut(service: Construct, request: ServiceRolloutRequest): IConstruct {
    rollBackOnAlarms(service, this.resources.service, request.rollbackAlarms);
    return this.resources.service;
  }

  public dashboardSection(_service: Construct, context: ServiceSectionContext): cloudwatch.IWidget[] {
    return ecsDashboardWidgets({ serviceName: context.serviceName, team: context.team, detectionSeconds: context.detectionTime.toSeconds() },
      this.signals!, this.thresholds!, context.alarms, `ECS ${this.rollout.describe()}, rolled back by its alarms and the circuit breaker`);
  }

  public ownedResources(): IConstruct[] {
    return [this.resources.service];
  }

  private get rollout(): RolloutStrategy {
    return this.options.rollout ?? RolloutStrategy.DEFAULT;
  }
}
