import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Limits } from '../core/limits';
import { invalidProp } from '../core/validate';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { SectionLinks, serviceSection } from '../observability/dashboards';

/**
 * The DynamoDB table service kind: a table's golden signals per operation, default
 * thresholds and dashboard section. Its callers feel it as failed, throttled or
 * slow reads and writes.
 */
export const DYNAMODB_KIND = 'dynamodb';

/** Default alarm thresholds for a DynamoDB table. */
export const DYNAMODB_DEFAULTS = {
  /** Operations watched: the reads and writes most tables serve; a table serving others passes its own. */
  operations: [dynamodb.Operation.GET_ITEM, dynamodb.Operation.PUT_ITEM, dynamodb.Operation.QUERY],
  /** System error rate, in percent of requests: as Lambda's, one in twenty failing inside DynamoDB is an incident. */
  systemErrorRatePercent: 5,
  /** Throttled requests per period: any, since each is capacity (or a hot key) limiting callers, who retry or fail. */
  throttledRequests: 1,
  /** p99 server-side latency per operation: ten times DynamoDB's single-digit milliseconds is a hot partition or oversized items. */
  latency: Duration.millis(100),
};

/** Thresholds a DynamoDB table's alarms use. */
export interface DynamoDbThresholds {
  readonly systemErrorRatePercent: number;
  readonly throttledRequests: number;
  readonly latency: Duration;
}

/** One operation's p99 latency, for its own alarm. */
export interface OperationLatency {
  readonly operation: string;
  readonly latencyP99: cloudwatch.IMetric;
}

/** The metrics an operator reads to judge a table, summed over the watched operations. */
export interface DynamoDbSignals {
  /** Traffic: successful requests. */
  readonly requests: cloudwatch.IMetric;
  readonly systemErrors: cloudwatch.IMetric;
  readonly systemErrorRate: cloudwatch.IMetric;
  readonly throttles: cloudwatch.IMetric;
  /** Latency, per operation: percentiles of different operations cannot be combined. */
  readonly latency: OperationLatency[];
  /** Saturation: capacity units consumed. */
  readonly consumedReads: cloudwatch.IMetric;
  readonly consumedWrites: cloudwatch.IMetric;
}

/** Metric-math id of one operation's metric, e.g. `getItemSystemErrors`. */
function mathId(operation: string, suffix: string): string {
  return operation.charAt(0).toLowerCase() + operation.slice(1) + suffix;
}

/**
 * A sum over operations with FILL: DynamoDB publishes SystemErrors and ThrottledRequests
 * only when nonzero, and an unfilled sum (as the L2's `*ForOperations` make) is
 * missing whenever one operation is quiet, hiding another's errors.
 */
function sumOverOperations(table: dynamodb.ITable, operations: string[], metricName: string, statistic: string,
  period: Duration, label: string): cloudwatch.MathExpression {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  for (const operation of operations) {
    const dimensionsMap = { TableName: table.tableName, Operation: operation };
    usingMetrics[mathId(operation, metricName)] = table.metric(metricName, { dimensionsMap, statistic, period });
  }
  const expression = Object.keys(usingMetrics).map((id) => `FILL(${id}, 0)`).join(' + ');
  return new cloudwatch.MathExpression({ expression, usingMetrics, period, label });
}

/** Golden signals of a table for the operations its callers use. */
export function dynamoDbSignals(table: dynamodb.ITable, period: Duration,
  operations: string[] = DYNAMODB_DEFAULTS.operations): DynamoDbSignals {
  if (operations.length < 1 || 2 * operations.length > Limits.ALARM_MATH_METRICS) {
    invalidProp(table, 'operations', `watch 1 to ${Limits.ALARM_MATH_METRICS / 2} operations; the error-rate alarm reads two metrics per operation (got ${operations.length})`);
  }
  const sum = cloudwatch.Stats.SUM;
  const requests = sumOverOperations(table, operations, 'SuccessfulRequestLatency', cloudwatch.Stats.SAMPLE_COUNT, period, 'successful requests');
  const systemErrors = sumOverOperations(table, operations, 'SystemErrors', sum, period, 'system errors');
  return {
    requests,
    systemErrors,
    systemErrorRate: new cloudwatch.MathExpression({
      // Both sums are filled, so a minute with no requests reads 0, not a gap.
      expression: 'IF(requests + systemErrors > 0, 100 * systemErrors / (requests + systemErrors), 0)',
      usingMetrics: { requests, systemErrors },
      period,
      label: 'system error rate (%)',
    }),
    throttles: sumOverOperations(table, operations, 'ThrottledRequests', sum, period, 'throttled requests'),
    latency: operations.map((operation) => ({
      operation,
      latencyP99: table.metricSuccessfulRequestLatency({
        dimensionsMap: { TableName: table.tableName, Operation: operation },
        statistic: cloudwatch.Stats.percentile(99),
        period,
        label: `${operation} p99`,
      }),
    })),
    consumedReads: table.metricConsumedReadCapacityUnits({ period, statistic: sum, label: 'read units' }),
    consumedWrites: table.metricConsumedWriteCapacityUnits({ period, statistic: sum, label: 'write units' }),
  };
}

/** The alarms a table gets: system errors (its total outage), throttles, and each operation's p99 latency. */
export function dynamoDbAlarmSpecs(signals: DynamoDbSignals, thresholds: DynamoDbThresholds, tableName: string): SignalAlarmSpec[] {
  const latencyMs = thresholds.latency.toMilliseconds();
  const gte = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
  return [
    {
      signal: 'errors',
      metric: signals.systemErrorRate,
      threshold: thresholds.systemErrorRatePercent,
      comparisonOperator: gte,
      description: `System errors on table ${tableName} are at or above ${thresholds.systemErrorRatePercent}% of requests. `
        + 'Impact: reads and writes fail inside DynamoDB; callers get errors after retries.',
      detectsOutage: true,
    },
    {
      signal: 'throttles',
      metric: signals.throttles,
      threshold: thresholds.throttledRequests,
      comparisonOperator: gte,
      description: `At least ${thresholds.throttledRequests} requests per period to table ${tableName} are throttled. `
        + 'Impact: callers retry and slow down; once retries run out, requests fail.',
      detectsOutage: false,
    },
    ...signals.latency.map(({ operation, latencyP99 }) => ({
      signal: `latency-${operation.toLowerCase()}`,
      metric: latencyP99,
      threshold: latencyMs,
      comparisonOperator: gte,
      description: `p99 ${operation} latency on table ${tableName} is at or above ${latencyMs} ms. Impact: every request that reads or writes it is slow.`,
      detectsOutage: false,
    })),
  ];
}

/** The table's dashboard section: traffic, errors, throttles, latency per operation, capacity and its alarms' states. */
export function dynamoDbDashboardWidgets(header: Pick<SectionLinks, 'serviceName' | 'team' | 'detectionSeconds'>,
  signals: DynamoDbSignals, thresholds: DynamoDbThresholds, alarms: cloudwatch.IAlarm[]): cloudwatch.IWidget[] {
  return serviceSection({ ...header, kindLabel: 'DynamoDB table', detail: `Outage detected within ${header.detectionSeconds} s` }, [
    { title: 'traffic (successful requests)', left: [signals.requests] },
    { title: 'system errors', left: [signals.systemErrors], right: [signals.systemErrorRate] },
    { title: 'throttled requests', left: [signals.throttles], annotations: [{ value: thresholds.throttledRequests, label: 'alarm' }] },
    {
      title: 'p99 latency (ms)',
      left: signals.latency.map((l) => l.latencyP99),
      annotations: [{ value: thresholds.latency.toMilliseconds(), label: 'alarm' }],
    },
    { title: 'capacity consumed', left: [signals.consumedReads, signals.consumedWrites] },
  ], alarms);
}
