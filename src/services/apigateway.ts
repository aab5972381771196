import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { AlarmSeverity } from '../observability/alarm-policy';
import { SectionLinks, serviceSection } from '../observability/dashboards';
import { percentOf } from '../observability/metric-math';

/**
 * The API Gateway service kind, REST and HTTP APIs alike: one stage's golden
 * signals, default thresholds and dashboard section. The two flavors publish the
 * same signals to AWS/ApiGateway under different error metric names and dimensions.
 */
export const APIGATEWAY_KIND = 'apigateway';

/** Default alarm thresholds for an API Gateway stage. */
export const APIGATEWAY_DEFAULTS = {
  /** 5XX rate, in percent of requests: as Lambda's, one in twenty failing is an incident, not noise. */
  serverErrorRatePercent: 5,
  /** 4XX rate: high, as some client mistakes are normal; a quarter rejected is a broken authorizer, route or client release. */
  clientErrorRatePercent: 25,
  /** p99 Latency (what callers wait, integration included): room for a Lambda integration's cold starts. */
  latency: Duration.seconds(2),
  /** p99 IntegrationLatency (the backend's share): as Latency, less API Gateway's own few milliseconds. */
  integrationLatency: Duration.seconds(2),
};

/** Thresholds an API Gateway stage's alarms use. */
export interface ApiGatewayThresholds {
  readonly serverErrorRatePercent: number;
  readonly clientErrorRatePercent: number;
  readonly latency: Duration;
  /**
   * p99 integration latency at which the integration-latency alarm fires.
   * @default - no integration-latency alarm
   */
  readonly integrationLatency?: Duration;
}

/** The metrics an operator reads to judge an API stage. */
export interface ApiGatewaySignals {
  readonly requests: cloudwatch.IMetric;
  readonly serverErrors: cloudwatch.IMetric;
  readonly serverErrorRate: cloudwatch.IMetric;
  readonly clientErrors: cloudwatch.IMetric;
  readonly clientErrorRate: cloudwatch.IMetric;
  readonly latencyP50: cloudwatch.IMetric;
  readonly latencyP90: cloudwatch.IMetric;
  readonly latencyP99: cloudwatch.IMetric;
  /** Time spent in the backend: the part of latency that is not API Gateway's. */
  readonly integrationLatencyP99: cloudwatch.IMetric;
}

/** Error metric names of each flavor; Count, Latency and IntegrationLatency are named alike. */
const ERROR_METRICS = {
  rest: { server: '5XXError', client: '4XXError' },
  http: { server: '5xx', client: '4xx' },
};

/** Golden signals of one stage of a REST API (AWS/ApiGateway, dimensions ApiName and Stage). */
export function restApiSignals(api: apigateway.IRestApi, stageName: string, period: Duration): ApiGatewaySignals {
  return apiSignals(ERROR_METRICS.rest, { ApiName: api.restApiName, Stage: stageName }, period);
}

/** Golden signals of one stage of an HTTP API (AWS/ApiGateway, dimensions ApiId and Stage). */
export function httpApiSignals(api: apigwv2.IHttpApi, stageName: string, period: Duration): ApiGatewaySignals {
  return apiSignals(ERROR_METRICS.http, { ApiId: api.apiId, Stage: stageName }, period);
}

function apiSignals(errorMetrics: { server: string; client: string }, dimensionsMap: Record<string, string>, period: Duration): ApiGatewaySignals {
  const metric = (metricName: string, statistic: string, label: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap, period, statistic, label });
  // Count is published once per request, so its sample count is the request count (as the L2's metricCount).
  const requests = metric('Count', cloudwatch.Stats.SAMPLE_COUNT, 'requests');
  const serverErrors = metric(errorMetrics.server, cloudwatch.Stats.SUM, '5XX');
  const clientErrors = metric(errorMetrics.client, cloudwatch.Stats.SUM, '4XX');
  const rate = (id: string, errors: cloudwatch.IMetric, label: string) =>
    percentOf({ id, metric: errors }, { id: 'requests', metric: requests }, period, label);
  const latency = (p: number) => metric('Latency', cloudwatch.Stats.percentile(p), `p${p}`);
  return {
    requests,
    serverErrors,
    serverErrorRate: rate('serverErrors', serverErrors, '5XX rate (%)'),
    clientErrors,
    clientErrorRate: rate('clientErrors', clientErrors, '4XX rate (%)'),
    latencyP50: latency(50),
    latencyP90: latency(90),
    latencyP99: latency(99),
    integrationLatencyP99: metric('IntegrationLatency', cloudwatch.Stats.percentile(99), 'integration p99'),
  };
}

/** The alarms an API stage gets, one per golden signal that callers feel. */
export function apiGatewayAlarmSpecs(signals: ApiGatewaySignals, thresholds: ApiGatewayThresholds, apiName: string): SignalAlarmSpec[] {
  const latencyMs = thresholds.latency.toMilliseconds();
  const gte = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
  return [
    {
      signal: 'errors',
      metric: signals.serverErrorRate,
      threshold: thresholds.serverErrorRatePercent,
      comparisonOperator: gte,
      description: `5XX responses from API ${apiName} are at or above ${thresholds.serverErrorRatePercent}% of requests. `
        + 'Impact: callers get errors; at 100% the API is down.',
      detectsOutage: true,
    },
    {
      signal: 'latency',
      metric: signals.latencyP99,
      threshold: latencyMs,
      comparisonOperator: gte,
      description: `p99 latency of API ${apiName} is at or above ${latencyMs} ms. Impact: slow responses; at the integration timeout, requests fail.`,
      detectsOutage: false,
    },
    {
      signal: 'client-errors',
      metric: signals.clientErrorRate,
      threshold: thresholds.clientErrorRatePercent,
      comparisonOperator: gte,
      description: `4XX responses from API ${apiName} are at or above ${thresholds.clientErrorRatePercent}% of requests. `
        + 'Impact: callers are rejected, likely by a broken authorizer, a missing route or an incompatible change.',
      detectsOutage: false,
      // A 4XX surge is a warning: the callers' own mistakes look the same, so it never pages through the health alarm.
      severity: AlarmSeverity.WARNING,
    },
    ...(thresholds.integrationLatency ? [{
      signal: 'integration-latency',
      metric: signals.integrationLatencyP99,
      threshold: thresholds.integrationLatency.toMilliseconds(),
      comparisonOperator: gte,
      description: `p99 integration latency of API ${apiName} is at or above ${thresholds.integrationLatency.toMilliseconds()} ms. `
        + 'Impact: the backends are slow; callers wait, and at the 29 s integration timeout they get 504s.',
      detectsOutage: false,
    }] : []),
  ];
}

/** The API's dashboard section: traffic, errors, latency and its alarms' states. */
export function apiGatewayDashboardWidgets(header: Pick<SectionLinks, 'serviceName' | 'team' | 'detectionSeconds'>,
  signals: ApiGatewaySignals, thresholds: ApiGatewayThresholds, alarms: cloudwatch.IAlarm[]): cloudwatch.IWidget[] {
  return serviceSection({ ...header, kindLabel: 'API Gateway', detail: `Outage detected within ${header.detectionSeconds} s` }, [
    { title: 'traffic (requests)', left: [signals.requests] },
    { title: 'errors', left: [signals.serverErrors, signals.clientErrors], right: [signals.serverErrorRate, signals.clientErrorRate] },
    {
      title: 'latency (ms)',
      left: [signals.latencyP50, signals.latencyP90, signals.latencyP99, signals.integrationLatencyP99],
      annotations: [{ value: thresholds.latency.toMilliseconds(), label: 'alarm' }],
    },
  ], alarms);
}
