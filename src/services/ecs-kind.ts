import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { ECS_DEFAULTS, ECS_KIND, ecsAlarmSpecs, ecsDashboardWidgets, EcsServiceTarget, EcsSignals, ecsSignals, ecsSignalsByRole, EcsThresholds } from './ecs';
import { IServiceKind, ServiceKindContext, ServiceRolloutRequest, ServiceRunbooks, ServiceSectionContext, ServiceSignals } from './service-kind';
import { Limits } from '../core/limits';
import { invalidProp, literalMillis, positiveNumber } from '../core/validate';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { faultActionIds } from '../resilience/faults';
import { RunbookLibrary } from '../runbooks/library';

/** Threshold overrides an ECS service may give; each undefined one takes its default (ECS_DEFAULTS). */
export interface EcsThresholdOverrides {
  readonly errorRateThreshold?: number;
  readonly loadBalancerErrorRateThreshold?: number;
  readonly latencyThreshold?: Duration;
  readonly unhealthyTaskThreshold?: number;
  readonly cpuThreshold?: number;
  readonly memoryThreshold?: number;
}

/** What the ECS kind is bound to: the user's service, its load balancer and target group, and how it is alarmed. */
export interface EcsKindOptions extends EcsServiceTarget, EcsThresholdOverrides {}

/** A percentage threshold: above 0, at most 100. */
function percent(scope: IConstruct, prop: string, value: number, of: string): number {
  positiveNumber(scope, prop, value, `% of ${of}`);
  if (value > 100) invalidProp(scope, prop, `is a percentage of ${of} and must be at most 100 (got ${value})`);
  return value;
}

/** The thresholds of an ECS service's alarms, checked: rates are percentages, counts and latency above 0. */
export function ecsThresholds(scope: IConstruct, overrides: EcsThresholdOverrides): EcsThresholds {
  const latency = overrides.latencyThreshold ?? ECS_DEFAULTS.latency;
  positiveNumber(scope, 'latencyThreshold', literalMillis(scope, 'latencyThreshold', latency), 'ms');
  return {
    errorRatePercent: percent(scope, 'errorRateThreshold', overrides.errorRateThreshold ?? ECS_DEFAULTS.errorRatePercent, 'requests'),
    loadBalancerErrorRatePercent: percent(scope, 'loadBalancerErrorRateThreshold',
      overrides.loadBalancerErrorRateThreshold ?? ECS_DEFAULTS.loadBalancerErrorRatePercent, 'requests'),
    latency,
    unhealthyTasks: positiveNumber(scope, 'unhealthyTaskThreshold', overrides.unhealthyTaskThreshold ?? ECS_DEFAULTS.unhealthyTasks, 'tasks'),
    cpuPercent: percent(scope, 'cpuThreshold', overrides.cpuThreshold ?? ECS_DEFAULTS.cpuPercent, 'CPU'),
    memoryPercent: percent(scope, 'memoryThreshold', overrides.memoryThreshold ?? ECS_DEFAULTS.memoryPercent, 'memory'),
  };
}

/**
 * An ECS service behind an Application Load Balancer: signals where users meet it (its
 * target group and load balancer), the ECS runbooks, no rollout of its own yet (ECS's
 * deployment strategies with rollback alarms are the next step). One instance per service.
 */
export class EcsServiceKind implements IServiceKind {
  public readonly kindName = ECS_KIND;
  public readonly metricResolution = Duration.seconds(Limits.AWS_METRIC_RESOLUTION_SECONDS);
  public readonly resourceDimensions = ['ClusterName', 'ServiceName', 'TargetGroup', 'LoadBalancer'];
  public readonly faults = faultActionIds(ECS_KIND);
  private thresholds?: EcsThresholds;
  private signals?: EcsSignals;
  private serviceName = '';

  constructor(private readonly options: EcsKindOptions) {}

  public validate(service: Construct): void {
    this.thresholds = ecsThresholds(service, this.options);
  }

  public bind(_service: Construct, context: ServiceKindContext): ServiceSignals {
    this.serviceName = context.serviceName;
    const signals = ecsSignals(this.options, context.period);
    this.signals = signals;
    return ecsSignalsByRole(signals);
  }

  public runbooks(service: Construct): ServiceRunbooks {
    const stoppedTasks = RunbookLibrary.ecsStoppedTasks(service);
    const redeploy = RunbookLibrary.ecsForceNewDeployment(service);
    const scaleOut = RunbookLibrary.ecsScaleOut(service);
    for (const runbook of [stoppedTasks, redeploy, scaleOut]) RunbookLibrary.allowEcsService(runbook, this.options.service);
    const byOperator = { automatic: false, trigger: 'an operator; waits for approval' };
    return {
      onUnhealthy: stoppedTasks,
      onUnhealthyParameters: { Cluster: [this.options.service.cluster.clusterName], Service: [this.options.service.serviceName] },
      healthResponse: `Response: the ${stoppedTasks.node.id} runbook starts and records why tasks stopped on an OpsItem.`,
      others: [{ runbook: redeploy, ...byOperator }, { runbook: scaleOut, ...byOperator }],
    };
  }

  public alarmSpecs(_service: Construct): SignalAlarmSpec[] {
    return ecsAlarmSpecs(this.signals!, this.thresholds!, this.serviceName);
  }

  public rollOut(service: Construct, _request: ServiceRolloutRequest): IConstruct {
    return invalidProp(service, 'rollout', 'an ECS service has no cdk-opex rollout yet');
  }

  public dashboardSection(_service: Construct, context: ServiceSectionContext): cloudwatch.IWidget[] {
    return ecsDashboardWidgets({ serviceName: context.serviceName, team: context.team, detectionSeconds: context.detectionTime.toSeconds() },
      this.signals!, this.thresholds!, context.alarms);
  }

  public ownedResources(): IConstruct[] {
    return [this.options.service];
  }
}
