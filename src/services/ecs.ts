import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ServiceSignals } from './service-kind';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { SectionLinks, serviceSection } from '../observability/dashboards';
import { percentOf, worsePairPercent } from '../observability/metric-math';

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
  /**
   * Requests per period a target group needs before its own error rate counts in full: below it,
   * errors count against this many (a canary's 1 failed request of 2 is not a 50% outage).
   */
  canaryMinimumRequests: 50,
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
  /** The other target group of a blue/green pair: ECS swaps the two on each deployment, so every signal reads both. */
  readonly alternateTargetGroup?: elbv2.IApplicationTargetGroup;
  /** Tasks the service should run: healthy targets below it fire the running-tasks alarm. */
  readonly desiredCount?: number;
  /** Requests per period a group of a blue/green pair needs before its own error rate counts in full (ECS_DEFAULTS). */
  readonly canaryMinimumRequests?: number;
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
  /** Desired task count, when the service has one to compare healthy targets with. */
  readonly desiredCount?: number;
  readonly cpu: cloudwatch.IMetric;
  readonly memory: cloudwatch.IMetric;
}

/** An ECS service's signals by the roles the composition reads (errors and traffic are counts of the same requests). */
export function ecsSignalsByRole(signals: EcsSignals): ServiceSignals {
  return {
    traffic: signals.requests,
    errors: signals.targetErrors,
    latency: signals.latencyP99,
    saturation: signals.cpu,
    others: { 'lb-errors': signals.loadBalancerErrorRate, 'unhealthy-tasks': signals.unhealthyTasks, 'memory': signals.memory },
  };
}

/**
 * One target group's metrics, by role. A group of a blue/green pair names its load balancer by
 * the balancer's own full name: the group's `metrics` parse it out of a listener ARN in every
 * metric, which costs about 300 template bytes each.
 */
function groupSignals(group: elbv2.IApplicationTargetGroup, period: Duration, suffix: string, loadBalancer?: elbv2.IApplicationLoadBalancer) {
  const m = group.metrics;
  const named = loadBalancer instanceof elbv2.ApplicationLoadBalancer && group instanceof elbv2.ApplicationTargetGroup;
  const dimensionsMap: cloudwatch.DimensionsMap = named
    ? { LoadBalancer: loadBalancer.loadBalancerFullName, TargetGroup: group.targetGroupFullName } : {};
  const direct = named
    ? (metricName: string, options: cloudwatch.MetricOptions) => new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName, dimensionsMap, ...options })
    : undefined;
  const sum = { period, statistic: cloudwatch.Stats.SUM };
  const latency = (p: number) => {
    const options = { period, statistic: cloudwatch.Stats.percentile(p), label: `p${p}${suffix}` };
    return direct ? direct('TargetResponseTime', options) : m.targetResponseTime(options);
  };
  const requests = { ...sum, label: `requests${suffix}` };
  const errors = { ...sum, label: `target 5XX${suffix}` };
  const healthy = { period, statistic: cloudwatch.Stats.MINIMUM, label: `healthy tasks${suffix}` };
  const unhealthy = { period, statistic: cloudwatch.Stats.MAXIMUM, label: `unhealthy tasks${suffix}` };
  return {
    requests: direct ? direct('RequestCount', requests) : m.requestCount(requests),
    errors: direct ? direct(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, errors) : m.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, errors),
    p50: latency(50),
    p90: latency(90),
    p99: latency(99),
    healthy: direct ? direct('HealthyHostCount', healthy) : m.healthyHostCount(healthy),
    unhealthy: direct ? direct('UnHealthyHostCount', unhealthy) : m.unhealthyHostCount(unhealthy),
  };
}

/** The sum of a blue and a green series, a missing datapoint read as 0. */
function both(id: string, blue: cloudwatch.IMetric, green: cloudwatch.IMetric, period: Duration, label: string): cloudwatch.IMetric {
  const [b, g] = [`${id}Blue`, `${id}Green`];
  return new cloudwatch.MathExpression({ expression: `FILL(${b}, 0) + FILL(${g}, 0)`, usingMetrics: { [b]: blue, [g]: green }, period, label });
}

/**
 * The worse (higher) of a blue and a green series: the revision being deployed is judged
 * on its own traffic, whichever group it is in, and so is the one serving the rest.
 */
function worse(id: string, blue: cloudwatch.IMetric, green: cloudwatch.IMetric, period: Duration, label: string): cloudwatch.IMetric {
  const [b, g] = [`${id}Blue`, `${id}Green`];
  return new cloudwatch.MathExpression({
    expression: `IF(FILL(${b}, 0) > FILL(${g}, 0), FILL(${b}, 0), FILL(${g}, 0))`, usingMetrics: { [b]: blue, [g]: green }, period, label,
  });
}

/**
 * Golden signals of an ECS service, measured where users meet it: its target group (both
 * groups of a blue/green pair, each judged on its own) and load balancer.
 */
export function ecsSignals(target: EcsServiceTarget, period: Duration): EcsSignals {
  const sum = { period, statistic: cloudwatch.Stats.SUM };
  const pairedWith = target.alternateTargetGroup ? target.loadBalancer : undefined;
  const blue = groupSignals(target.targetGroup, period, pairedWith ? ' (blue)' : '', pairedWith);
  const balancerRequests = target.loadBalancer.metrics.requestCount(sum);
  const loadBalancerErrors = target.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { ...sum, label: 'load balancer 5XX' });
  const rate = (g: typeof blue, label: string, ids = ['targetErrors', 'requests']) =>
    percentOf({ id: ids[0], metric: g.errors }, { id: ids[1], metric: g.requests }, period, label);
  const shared = {
    loadBalancerErrors,
    loadBalancerErrorRate: new cloudwatch.MathExpression({
      // RequestCount leaves out requests rejected before a target was chosen (the 503s of
      // "no healthy task"), so they are added back: a service with no task reads 100%.
      expression: 'IF(FILL(elbErrors, 0) > 0, 100 * FILL(elbErrors, 0) / (FILL(elbRequests, 0) + FILL(elbErrors, 0)), 0)',
      usingMetrics: { elbRequests: balancerRequests, elbErrors: loadBalancerErrors },
      period,
      label: 'load balancer 5XX rate (%)',
    }),
    // Average CPU says whether the service needs more tasks; the busiest task's memory says whether one is about to be killed.
    cpu: target.service.metricCpuUtilization({ period, statistic: cloudwatch.Stats.AVERAGE, label: 'CPU (average)' }),
    memory: target.service.metricMemoryUtilization({ period, statistic: cloudwatch.Stats.MAXIMUM, label: 'memory (busiest task)' }),
    desiredCount: target.desiredCount,
  };
  if (!target.alternateTargetGroup) {
    return {
      ...shared,
      requests: blue.requests,
      targetErrors: blue.errors,
      errorRate: rate(blue, 'target 5XX rate (%)'),
      latencyP50: blue.p50,
      latencyP90: blue.p90,
      latencyP99: blue.p99,
      healthyTasks: blue.healthy,
      unhealthyTasks: blue.unhealthy,
    };
  }
  const green = groupSignals(target.alternateTargetGroup, period, ' (green)', pairedWith);
  return {
    ...shared,
    requests: both('requests', blue.requests, green.requests, period, 'requests'),
    targetErrors: both('errors', blue.errors, green.errors, period, 'target 5XX'),
    // Both groups together (the old revision failing still pages), or either group on its own (the new revision judged by its traffic).
    errorRate: worsePairPercent(
      { part: { id: 'errorsOfBlue', metric: blue.errors }, total: { id: 'requestsOfBlue', metric: blue.requests } },
      { part: { id: 'errorsOfGreen', metric: green.errors }, total: { id: 'requestsOfGreen', metric: green.requests } },
      target.canaryMinimumRequests ?? ECS_DEFAULTS.canaryMinimumRequests, period, 'target 5XX rate, worse of both and each group (%)'),
    latencyP50: worse('p50', blue.p50, green.p50, period, 'p50, worse group'),
    latencyP90: worse('p90', blue.p90, green.p90, period, 'p90, worse group'),
    latencyP99: worse('p99', blue.p99, green.p99, period, 'p99, worse group'),
    healthyTasks: both('healthy', blue.healthy, green.healthy, period, 'healthy tasks'),
    unhealthyTasks: both('unhealthy', blue.unhealthy, green.unhealthy, period, 'unhealthy tasks'),
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
    ...(signals.desiredCount === undefined ? [] : [{
      signal: 'running-tasks',
      metric: signals.healthyTasks,
      threshold: signals.desiredCount,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      description: `Fewer than ${signals.desiredCount} tasks of ${serviceName} (its desired count) pass the load balancer's health check. `
        + 'Impact: less capacity; at 0 the service is down.',
      detectsOutage: true,
    }]),
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
  signals: EcsSignals, thresholds: EcsThresholds, alarms: cloudwatch.IAlarm[], rollout?: string): cloudwatch.IWidget[] {
  const detail = `Outage detected within ${header.detectionSeconds} s${rollout ? `. Rollout: ${rollout}` : ''}`;
  return serviceSection({ ...header, kindLabel: 'ECS service on ALB', detail }, [
    { title: 'traffic (requests)', left: [signals.requests] },
    { title: 'errors (5XX)', left: [signals.targetErrors, signals.loadBalancerErrors], right: [signals.errorRate, signals.loadBalancerErrorRate] },
    {
      title: 'latency (s)',
      left: [signals.latencyP50, signals.latencyP90, signals.latencyP99],
      annotations: [{ value: thresholds.latency.toMilliseconds() / 1000, label: 'alarm' }],
    },
    {
      title: 'tasks (healthy, unhealthy)',
      left: [signals.healthyTasks, signals.unhealthyTasks],
      annotations: signals.desiredCount === undefined ? undefined : [{ value: signals.desiredCount, label: 'desired' }],
    },
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
