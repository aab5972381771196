import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { SectionLinks, serviceSection } from '../observability/dashboards';
import { percentOf } from '../observability/metric-math';

/**
 * The ECS service kind: an ECS service behind an Application Load Balancer target
 * group. Users feel it through the load balancer (errors, latency); the service's
 * tasks show why (health, CPU, memory).
 */
export const ECS_KIND = 'ecs';

/** Default alarm thresholds for an ECS service behind an ALB. */
export const ECS_DEFAULTS = {
  /** Tasks' 5XX responses, in percent of requests: as Lambda's, one in twenty failing is an incident, not noise. */
  errorRatePercent: 5,
  /** The load balancer's own 5XX responses (no healthy task, task resets), in percent of requests: the same bar. */
  loadBalancerErrorRatePercent: 5,
  /** p99 target response time: tasks are warm, so a second at p99 is users waiting, not a cold start. */
  latency: Duration.seconds(1),
  /** Tasks failing the health check: any, since each is capacity lost and a task about to be replaced. */
  unhealthyTasks: 1,
  /** Average CPU: above the usual 70% scaling target, so it fires only when scaling is not keeping up. */
  cpuPercent: 90,
  /** Memory of the busiest task: at 100% it is killed (OOM), so 90 leaves time to act. */
  memoryPercent: 90,
};

/** Thresholds an ECS service's alarms use. */
export interface EcsThresholds {
  readonly errorRatePercent: number;
  readonly loadBalancerErrorRatePercent: number;
  readonly latency: Duration;
  readonly unhealthyTasks: number;
  readonly cpuPercent: number;
  readonly memoryPercent: number;
}

/** An ECS service and the load balancer and target group users reach it through. */
export interface EcsServiceTarget {
  readonly service: ecs.BaseService;
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
}

/** The metrics an operator reads to judge an ECS service behind an ALB. */
export interface EcsSignals {
  readonly requests: cloudwatch.IMetric;
  readonly targetErrors: cloudwatch.IMetric;
  readonly errorRate: cloudwatch.IMetric;
  /** The load balancer's own 5XX for all its target groups: CloudWatch publishes it per load balancer only. */
  readonly loadBalancerErrors: cloudwatch.IMetric;
  readonly loadBalancerErrorRate: cloudwatch.IMetric;
  readonly latencyP50: cloudwatch.IMetric;
  readonly latencyP90: cloudwatch.IMetric;
  readonly latencyP99: cloudwatch.IMetric;
  readonly healthyTasks: cloudwatch.IMetric;
  readonly unhealthyTasks: cloudwatch.IMetric;
  readonly cpu: cloudwatch.IMetric;
  readonly memory: cloudwatch.IMetric;
}

/** Golden signals of an ECS service, measured where users meet it: its target group and load balancer. */
export function ecsSignals(target: EcsServiceTarget, period: Duration): EcsSignals {
  const group = target.targetGroup.metrics;
  const sum = { period, statistic: cloudwatch.Stats.SUM };
  const requests = group.requestCount({ ...sum, label: 'requests' });
  const targetErrors = group.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { ...sum, label: 'target 5XX' });
  const balancerRequests = target.loadBalancer.metrics.requestCount(sum);
  const loadBalancerErrors = target.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { ...sum, label: 'load balancer 5XX' });
  const latency = (p: number) => group.targetResponseTime({ period, statistic: cloudwatch.Stats.percentile(p), label: `p${p}` });
  return {
    requests,
    targetErrors,
    errorRate: percentOf({ id: 'targetErrors', metric: targetErrors }, { id: 'requests', metric: requests }, period, 'target 5XX rate (%)'),
    loadBalancerErrors,
    loadBalancerErrorRate: new cloudwatch.MathExpression({
      // RequestCount leaves out requests rejected before a target was chosen (the 503s of
      // "no healthy task"), so they are added back: a service with no task reads 100%.
      expression: 'IF(FILL(elbErrors, 0) > 0, 100 * FILL(elbErrors, 0) / (FILL(elbRequests, 0) + FILL(elbErrors, 0)), 0)',
      usingMetrics: { elbRequests: balancerRequests, elbErrors: loadBalancerErrors },
      period,
      label: 'load balancer 5XX rate (%)',
    }),
    latencyP50: latency(50),
    latencyP90: latency(90),
    latencyP99: latency(99),
    healthyTasks: group.healthyHostCount({ period, statistic: cloudwatch.Stats.MINIMUM, label: 'healthy tasks' }),
    unhealthyTasks: group.unhealthyHostCount({ period, statistic: cloudwatch.Stats.MAXIMUM, label: 'unhealthy tasks' }),
    // Average CPU says whether the service needs more tasks; the busiest task's memory says whether one is about to be killed.
    cpu: target.service.metricCpuUtilization({ period, statistic: cloudwatch.Stats.AVERAGE, label: 'CPU (average)' }),
    memory: target.service.metricMemoryUtilization({ period, statistic: cloudwatch.Stats.MAXIMUM, label: 'memory (busiest task)' }),
  };
}

/** The alarms an ECS service gets, one per golden signal that users feel. */
export function ecsAlarmSpecs(signals: EcsSignals, thresholds: EcsThresholds, serviceName: string): SignalAlarmSpec[] {
  const latencyMs = thresholds.latency.toMilliseconds();
  const gte = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
  return [
    {
      signal: 'errors',
      metric: signals.errorRate,
      threshold: thresholds.errorRatePercent,
      comparisonOperator: gte,
      description: `5XX responses from the tasks of ${serviceName} are at or above ${thresholds.errorRatePercent}% of requests. Impact: callers get errors.`,
      detectsOutage: true,
    },
    {
      signal: 'lb-errors',
      metric: signals.loadBalancerErrorRate,
      threshold: thresholds.loadBalancerErrorRatePercent,
      comparisonOperator: gte,
      description: `The load balancer of ${serviceName} answers ${thresholds.loadBalancerErrorRatePercent}% or more of requests with its own 5XX `
        + '(no healthy task, or tasks dropping connections). Impact: callers get errors; at 100% the service is down.',
      detectsOutage: true,
    },
    {
      signal: 'latency',
      metric: signals.latencyP99,
      threshold: latencyMs / 1000,
      comparisonOperator: gte,
      description: `p99 target response time of ${serviceName} is at or above ${latencyMs} ms. Impact: slow responses; at the idle timeout, requests fail.`,
      detectsOutage: false,
    },
    {
      signal: 'unhealthy-tasks',
      metric: signals.unhealthyTasks,
      threshold: thresholds.unhealthyTasks,
      comparisonOperator: gte,
      description: `At least ${thresholds.unhealthyTasks} tasks of ${serviceName} fail the load balancer's health check. `
        + 'Impact: less capacity while they are replaced; if all fail, the service is down.',
      detectsOutage: false,
    },
    {
      signal: 'cpu',
      metric: signals.cpu,
      threshold: thresholds.cpuPercent,
      comparisonOperator: gte,
      description: `Average CPU of ${serviceName}'s tasks is at or above ${thresholds.cpuPercent}%. Impact: requests queue and slow down; scaling is not keeping up.`,
      detectsOutage: false,
    },
    {
      signal: 'memory',
      metric: signals.memory,
      threshold: thresholds.memoryPercent,
      comparisonOperator: gte,
      description: `A task of ${serviceName} uses ${thresholds.memoryPercent}% or more of its memory. Impact: at 100% it is killed and its requests fail.`,
      detectsOutage: false,
    },
  ];
}

/** The service's dashboard section: traffic, errors, latency, task health, saturation and its alarms' states. */
export function ecsDashboardWidgets(header: Pick<SectionLinks, 'serviceName' | 'team' | 'detectionSeconds'>,
  signals: EcsSignals, thresholds: EcsThresholds, alarms: cloudwatch.IAlarm[]): cloudwatch.IWidget[] {
  return serviceSection({ ...header, kindLabel: 'ECS service on ALB', detail: `Outage detected within ${header.detectionSeconds} s` }, [
    { title: 'traffic (requests)', left: [signals.requests] },
    { title: 'errors (5XX)', left: [signals.targetErrors, signals.loadBalancerErrors], right: [signals.errorRate, signals.loadBalancerErrorRate] },
    {
      title: 'latency (s)',
      left: [signals.latencyP50, signals.latencyP90, signals.latencyP99],
      annotations: [{ value: thresholds.latency.toMilliseconds() / 1000, label: 'alarm' }],
    },
    { title: 'tasks (healthy, unhealthy)', left: [signals.healthyTasks, signals.unhealthyTasks] },
    {
      title: 'saturation (%)',
      left: [signals.cpu, signals.memory],
      annotations: [
        { value: thresholds.cpuPercent, label: 'CPU alarm' },
        { value: thresholds.memoryPercent, label: 'memory alarm', color: cloudwatch.Color.RED },
      ],
    },
  ], alarms);
}
