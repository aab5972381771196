import { CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { albFargateService, dashboardBody, strictStack } from './support/stacks';
import {
  AlarmEvaluation, METRIC_PUBLISH_DELAY, SignalAlarmSpec, createSignalAlarm, detectionSeconds,
} from '../src/observability/alarm-factory';
import { APIGATEWAY_DEFAULTS, apiGatewayAlarmSpecs, apiGatewayDashboardWidgets, httpApiSignals, restApiSignals } from '../src/services/apigateway';
import { DYNAMODB_DEFAULTS, dynamoDbAlarmSpecs, dynamoDbDashboardWidgets, dynamoDbSignals } from '../src/services/dynamodb';
import { ECS_DEFAULTS, ecsAlarmSpecs, ecsDashboardWidgets, ecsSignals } from '../src/services/ecs';
import { SQS_DEFAULTS, sqsAlarmSpecs, sqsDashboardWidgets, sqsSignals } from '../src/services/sqs';

const EVALUATION: AlarmEvaluation = { period: Duration.minutes(1), evaluationPeriods: 3, datapointsToAlarm: 2 };
const SERVICE = 'Orders';

/** What one kind's fixture gives the tests: its alarm specs and its dashboard section. */
interface KindFixture {
  readonly specs: SignalAlarmSpec[];
  readonly widgets: (alarms: cloudwatch.IAlarm[]) => cloudwatch.IWidget[];
}

const header = { serviceName: SERVICE, team: 'payments', detectionSeconds: detectionSeconds(EVALUATION) };

function ecsFixture(stack: Stack, period: Duration): KindFixture {
  const { service, targetGroup, loadBalancer } = albFargateService(stack);
  const signals = ecsSignals({ service, targetGroup, loadBalancer }, period);
  return { specs: ecsAlarmSpecs(signals, ECS_DEFAULTS, SERVICE), widgets: (alarms) => ecsDashboardWidgets(header, signals, ECS_DEFAULTS, alarms) };
}

function restFixture(stack: Stack, period: Duration): KindFixture {
  const api = new apigateway.RestApi(stack, 'Api', { restApiName: 'orders-api' });
  api.root.addMethod('GET', new apigateway.MockIntegration());
  const signals = restApiSignals(api, api.deploymentStage.stageName, period);
  return { specs: apiGatewayAlarmSpecs(signals, APIGATEWAY_DEFAULTS, 'orders-api'), widgets: (alarms) => apiGatewayDashboardWidgets(header, signals, APIGATEWAY_DEFAULTS, alarms) };
}

function httpFixture(stack: Stack, period: Duration): KindFixture {
  const api = new apigwv2.HttpApi(stack, 'HttpApi');
  const signals = httpApiSignals(api, '$default', period);
  return { specs: apiGatewayAlarmSpecs(signals, APIGATEWAY_DEFAULTS, 'orders-http'), widgets: (alarms) => apiGatewayDashboardWidgets(header, signals, APIGATEWAY_DEFAULTS, alarms) };
}

function sqsFixture(stack: Stack, period: Duration): KindFixture {
  const deadLetters = new sqs.Queue(stack, 'OrdersDlq');
  const queue = new sqs.Queue(stack, 'OrdersQueue', { deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 } });
  const signals = sqsSignals(queue, period);
  return { specs: sqsAlarmSpecs(signals, SQS_DEFAULTS, 'orders'), widgets: (alarms) => sqsDashboardWidgets(header, signals, SQS_DEFAULTS, alarms) };
}

function dynamoDbFixture(stack: Stack, period: Duration): KindFixture {
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const signals = dynamoDbSignals(table, period);
  return { specs: dynamoDbAlarmSpecs(signals, DYNAMODB_DEFAULTS, 'orders'), widgets: (alarms) => dynamoDbDashboardWidgets(header, signals, DYNAMODB_DEFAULTS, alarms) };
}

const FIXTURES = {
  'ecs': ecsFixture,
  'apigateway (REST)': restFixture,
  'apigateway (HTTP)': httpFixture,
  'sqs': sqsFixture,
  'dynamodb': dynamoDbFixture,
};
type Kind = keyof typeof FIXTURES;
const KINDS = Object.keys(FIXTURES) as Kind[];

const synthesized = new Map<Kind, ReturnType<typeof build>>();

/** A kind's alarms and dashboard with the default evaluation, synthesized once (tests only read it). */
function synth(kind: Kind) {
  if (!synthesized.has(kind)) synthesized.set(kind, build(kind));
  return synthesized.get(kind)!;
}

/** A kind's alarms and dashboard, made the way a pattern makes them, in a strictly validated stack. */
function build(kind: Kind, evaluation: AlarmEvaluation = EVALUATION) {
  const stack = strictStack();
  const fixture = FIXTURES[kind](stack, evaluation.period);
  const owner = { serviceName: SERVICE, response: 'Diagnostics start on their own.' };
  const alarms = fixture.specs.map((spec) => createSignalAlarm(stack, owner, spec, evaluation));
  new cloudwatch.Dashboard(stack, 'Dashboard', { widgets: [fixture.widgets(alarms)] });
  const t = Template.fromStack(stack);
  const bySignal = new Map(fixture.specs.map((spec, i) => [spec.signal, stack.getLogicalId(alarms[i].node.defaultChild as CfnElement)]));
  /** The synthesized properties of the alarm made for one signal. */
  const alarm = (signal: string): any => {
    expect(bySignal.has(signal)).toBe(true);
    return t.toJSON().Resources[bySignal.get(signal)!].Properties;
  };
  return { stack, specs: fixture.specs, t, alarm };
}

interface ReadMetric { id?: string; name: string; namespace: string; stat: string; period: number; dimensions: Record<string, any> }

/** Every metric an alarm reads, whether rendered flat or as a Metrics list. */
function metricsOf(a: any): ReadMetric[] {
  const dims = (list: any[] = []) => Object.fromEntries(list.map((d) => [d.Name, d.Value]));
  if (a.MetricName) {
    const stat = a.Statistic ?? a.ExtendedStatistic;
    return [{ name: a.MetricName, namespace: a.Namespace, stat, period: a.Period, dimensions: dims(a.Dimensions) }];
  }
  return a.Metrics.filter((m: any) => m.MetricStat).map((m: any) => ({
    id: m.Id,
    name: m.MetricStat.Metric.MetricName,
    namespace: m.MetricStat.Metric.Namespace,
    stat: m.MetricStat.Stat,
    period: m.MetricStat.Period,
    dimensions: dims(m.MetricStat.Metric.Dimensions),
  }));
}

/** The expression an alarm returns (the one whose ReturnData is not false). */
function returnedExpression(a: any): string {
  return a.Metrics.find((m: any) => m.Expression && m.ReturnData !== false).Expression;
}

function dashboardOf(t: Template): any {
  const [dashboard] = Object.values(t.findResources('AWS::CloudWatch::Dashboard')) as any[];
  return dashboardBody(dashboard);
}

/**
 * Each kind's total outage, as the per-minute value every outage-detecting alarm's
 * metric reads in the k-th full minute of the outage (k = 1, 2, ...).
 */
const OUTAGE: Record<Kind, Record<string, (minute: number) => number>> = {
  // No task serves: the load balancer answers every request with 503. Or every task answers 500.
  'ecs': { 'lb-errors': () => 100, 'errors': () => 100 },
  'apigateway (REST)': { errors: () => 100 },
  'apigateway (HTTP)': { errors: () => 100 },
  // Consumers stop: the oldest message ages a second per second. SQS samples it about once a
  // minute; counting on a sample no earlier than half-way through the minute, minute k reads 60k - 30.
  'sqs': { 'message-age': (minute) => 60 * minute - 30 },
  'dynamodb': { errors: () => 100 },
};

function breaches(value: number, a: any): boolean {
  switch (a.ComparisonOperator) {
    case 'GreaterThanOrEqualToThreshold': return value >= a.Threshold;
    case 'GreaterThanThreshold': return value > a.Threshold;
    case 'LessThanThreshold': return value < a.Threshold;
    case 'LessThanOrEqualToThreshold': return value <= a.Threshold;
    default: throw new Error(`unexpected operator ${a.ComparisonOperator}`);
  }
}

/** Seconds from the outage's start until the synthesized alarm fires, reading `value` each minute; Infinity if within an hour it never does. */
function secondsToAlarm(a: any, value: (minute: number) => number): number {
  const period = metricsOf(a)[0].period;
  const breached: boolean[] = [];
  for (let minute = 1; minute <= 60; minute++) {
    breached.push(breaches(value(minute), a));
    if (breached.slice(-a.EvaluationPeriods).filter(Boolean).length >= a.DatapointsToAlarm) {
      return minute * period + METRIC_PUBLISH_DELAY.toSeconds();
    }
  }
  return Infinity;
}

describe('every default service kind', () => {
  test.each(KINDS)('%s: a total outage fires its outage alarms within 3 minutes', (kind) => {
    const { specs, alarm } = synth(kind);
    const outageSignals = specs.filter((s) => s.detectsOutage).map((s) => s.signal);
    expect(outageSignals.sort()).toEqual(Object.keys(OUTAGE[kind]).sort());
    expect(detectionSeconds(EVALUATION)).toBeLessThanOrEqual(180);
    for (const signal of outageSignals) {
      const seconds = secondsToAlarm(alarm(signal), OUTAGE[kind][signal]);
      expect({ signal, seconds }).toEqual({ signal, seconds: detectionSeconds(EVALUATION) });
    }
  });

  test.each(KINDS)('%s: alarms evaluate 2 of 3 one-minute datapoints, and missing data is healthy', (kind) => {
    const { specs, alarm } = synth(kind);
    expect(specs.length).toBeGreaterThan(0);
    for (const spec of specs) {
      const a = alarm(spec.signal);
      expect([a.EvaluationPeriods, a.DatapointsToAlarm, a.TreatMissingData]).toEqual([3, 2, 'notBreaching']);
      expect(new Set(metricsOf(a).map((m) => m.period))).toEqual(new Set([60]));
      expect(a.AlarmDescription).toMatch(/Impact: /);
    }
  });

  test.each(KINDS)('%s: metrics use the evaluation period passed in', (kind) => {
    const { specs, alarm } = build(kind, { period: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 2 });
    for (const spec of specs) {
      expect(new Set(metricsOf(alarm(spec.signal)).map((m) => m.period))).toEqual(new Set([300]));
    }
  });

  test.each(KINDS)('%s: a dashboard section of at most 7 widgets, with every alarm', (kind) => {
    const { t, specs } = synth(kind);
    const body = dashboardOf(t);
    expect(body.widgets.length).toBeLessThanOrEqual(7);
    const text = body.widgets.find((w: any) => w.type === 'text').properties.markdown;
    expect(text).toMatch(new RegExp(`^## ${SERVICE} \\(.+\\) · team \\*\\*payments\\*\\*\\n.*within 180 s`));
    const titles = body.widgets.map((w: any) => w.properties.title).filter(Boolean);
    expect(titles.length).toBe(body.widgets.length - 1);
    for (const title of titles) expect(title).toMatch(new RegExp(`^${SERVICE}: `));
    expect(body.widgets.find((w: any) => w.type === 'alarm').properties.alarms).toHaveLength(specs.length);
  });
});

describe('ecs', () => {
  const { alarm } = synth('ecs');

  test('errors: tasks\' 5XX rate on the target group, 5%', () => {
    const a = alarm('errors');
    expect([a.Threshold, a.ComparisonOperator]).toEqual([5, 'GreaterThanOrEqualToThreshold']);
    expect(returnedExpression(a)).toBe('IF(requests > 0, 100 * FILL(targetErrors, 0) / requests, 0)');
    const metrics = metricsOf(a);
    expect(metrics.map((m) => [m.name, m.stat]).sort()).toEqual([['HTTPCode_Target_5XX_Count', 'Sum'], ['RequestCount', 'Sum']]);
    for (const m of metrics) {
      expect(m.namespace).toBe('AWS/ApplicationELB');
      expect(Object.keys(m.dimensions).sort()).toEqual(['LoadBalancer', 'TargetGroup']);
    }
  });

  test('lb-errors: the load balancer\'s own 5XX counted against every request it answered, 5%', () => {
    const a = alarm('lb-errors');
    expect(a.Threshold).toBe(5);
    expect(returnedExpression(a)).toBe('IF(FILL(elbErrors, 0) > 0, 100 * FILL(elbErrors, 0) / (FILL(elbRequests, 0) + FILL(elbErrors, 0)), 0)');
    const metrics = metricsOf(a);
    expect(metrics.map((m) => [m.id, m.name, m.stat]).sort()).toEqual([['elbErrors', 'HTTPCode_ELB_5XX_Count', 'Sum'], ['elbRequests', 'RequestCount', 'Sum']]);
    for (const m of metrics) expect(Object.keys(m.dimensions)).toEqual(['LoadBalancer']);
    expect(metrics[0].dimensions.LoadBalancer).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Lb/), 'LoadBalancerFullName'] });
  });

  test('latency: p99 target response time, in seconds, 1 s', () => {
    const a = alarm('latency');
    expect(metricsOf(a).map((m) => [m.name, m.stat])).toEqual([['TargetResponseTime', 'p99']]);
    expect(a.Threshold).toBe(1);
  });

  test('unhealthy-tasks: any task failing health checks', () => {
    const a = alarm('unhealthy-tasks');
    expect(metricsOf(a).map((m) => [m.name, m.stat])).toEqual([['UnHealthyHostCount', 'Maximum']]);
    expect(a.Threshold).toBe(1);
  });

  test.each([['cpu', 'CPUUtilization', 'Average'], ['memory', 'MemoryUtilization', 'Maximum']])('%s: service %s (%s) at 90%%', (signal, name, stat) => {
    const a = alarm(signal);
    const [m] = metricsOf(a);
    expect([m.namespace, m.name, m.stat, a.Threshold]).toEqual(['AWS/ECS', name, stat, 90]);
    expect(Object.keys(m.dimensions).sort()).toEqual(['ClusterName', 'ServiceName']);
  });
});

describe('apigateway', () => {
  test.each([
    ['apigateway (REST)' as Kind, '5XXError', '4XXError', ['ApiName', 'Stage'], { Ref: expect.stringMatching(/^ApiDeploymentStageprod/) }],
    ['apigateway (HTTP)' as Kind, '5xx', '4xx', ['ApiId', 'Stage'], '$default'],
  ])('%s: flavor\'s metric names and dimensions', (kind, server, client, dimensionNames, stage) => {
    const { alarm } = synth(kind);
    const errors = alarm('errors');
    expect([errors.Threshold, errors.ComparisonOperator]).toEqual([5, 'GreaterThanOrEqualToThreshold']);
    expect(returnedExpression(errors)).toBe('IF(requests > 0, 100 * FILL(serverErrors, 0) / requests, 0)');
    expect(returnedExpression(alarm('client-errors'))).toBe('IF(requests > 0, 100 * FILL(clientErrors, 0) / requests, 0)');
    expect(metricsOf(errors).map((m) => [m.name, m.stat]).sort()).toEqual([[server, 'Sum'], ['Count', 'SampleCount']]);
    const clientErrors = alarm('client-errors');
    expect(clientErrors.Threshold).toBe(25);
    expect(metricsOf(clientErrors).map((m) => m.name).sort()).toEqual([client, 'Count']);
    const latency = alarm('latency');
    expect([metricsOf(latency)[0].name, metricsOf(latency)[0].stat, latency.Threshold]).toEqual(['Latency', 'p99', 2000]);
    for (const m of [errors, clientErrors, latency].flatMap(metricsOf)) {
      expect(m.namespace).toBe('AWS/ApiGateway');
      expect(Object.keys(m.dimensions).sort()).toEqual(dimensionNames);
      expect(m.dimensions.Stage).toEqual(stage);
    }
  });

  test('REST: ApiName is the API\'s name; HTTP: ApiId is the API', () => {
    expect(metricsOf(synth('apigateway (REST)').alarm('latency'))[0].dimensions.ApiName).toBe('orders-api');
    expect(metricsOf(synth('apigateway (HTTP)').alarm('latency'))[0].dimensions.ApiId).toEqual({ Ref: expect.stringMatching(/^HttpApi/) });
  });
});

describe('sqs', () => {
  const { alarm } = synth('sqs');

  test('message-age: oldest message at 30 s, below one period so a consumer stop breaches from its first minute', () => {
    const a = alarm('message-age');
    const [m] = metricsOf(a);
    expect([m.namespace, m.name, m.stat, a.Threshold]).toEqual(['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'Maximum', 30]);
    expect(m.dimensions.QueueName).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersQueue/), 'QueueName'] });
    expect(SQS_DEFAULTS.ageOfOldestMessage.toSeconds()).toBeLessThan(EVALUATION.period.toSeconds());
  });

  test('dead-letters: any message in the queue\'s own dead-letter queue', () => {
    const a = alarm('dead-letters');
    const [m] = metricsOf(a);
    expect([m.name, m.stat, a.Threshold]).toEqual(['ApproximateNumberOfMessagesVisible', 'Maximum', 1]);
    expect(m.dimensions.QueueName).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OrdersDlq/), 'QueueName'] });
  });

  test('a queue without a dead-letter queue gets only the age alarm', () => {
    const stack = strictStack();
    const signals = sqsSignals(new sqs.Queue(stack, 'Plain'), Duration.minutes(1));
    expect(sqsAlarmSpecs(signals, SQS_DEFAULTS, 'plain').map((s) => s.signal)).toEqual(['message-age']);
    expect(sqsDashboardWidgets(header, signals, SQS_DEFAULTS, [])).toHaveLength(5);
  });
});

describe('dynamodb', () => {
  const { alarm } = synth('dynamodb');

  test('errors: system error rate over GetItem, PutItem and Query, every input filled, 5%', () => {
    const a = alarm('errors');
    expect(a.Threshold).toBe(5);
    expect(returnedExpression(a)).toBe('IF(requests + systemErrors > 0, 100 * systemErrors / (requests + systemErrors), 0)');
    const inner = a.Metrics.filter((m: any) => m.Expression && m.ReturnData === false).map((m: any) => m.Expression).sort();
    expect(inner).toEqual([
      'FILL(getItemSuccessfulRequestLatency, 0) + FILL(putItemSuccessfulRequestLatency, 0) + FILL(querySuccessfulRequestLatency, 0)',
      'FILL(getItemSystemErrors, 0) + FILL(putItemSystemErrors, 0) + FILL(querySystemErrors, 0)',
    ]);
    const metrics = metricsOf(a);
    expect(metrics).toHaveLength(6);
    expect(metrics.map((m) => `${m.name}/${m.dimensions.Operation}/${m.stat}`).sort()).toEqual([
      'SuccessfulRequestLatency/GetItem/SampleCount', 'SuccessfulRequestLatency/PutItem/SampleCount', 'SuccessfulRequestLatency/Query/SampleCount',
      'SystemErrors/GetItem/Sum', 'SystemErrors/PutItem/Sum', 'SystemErrors/Query/Sum',
    ]);
    for (const m of metrics) expect([m.namespace, m.dimensions.TableName]).toEqual(['AWS/DynamoDB', { Ref: expect.stringMatching(/^Table/) }]);
  });

  test('throttles: throttled requests summed over operations, any', () => {
    const a = alarm('throttles');
    expect(a.Threshold).toBe(1);
    expect(returnedExpression(a)).toBe('FILL(getItemThrottledRequests, 0) + FILL(putItemThrottledRequests, 0) + FILL(queryThrottledRequests, 0)');
    expect(metricsOf(a).map((m) => `${m.name}/${m.stat}`)).toEqual(Array(3).fill('ThrottledRequests/Sum'));
  });

  test.each(['GetItem', 'PutItem', 'Query'])('latency-%s: p99 successful request latency at 100 ms', (operation) => {
    const a = alarm(`latency-${operation.toLowerCase()}`);
    const [m] = metricsOf(a);
    expect([m.name, m.stat, m.dimensions.Operation, a.Threshold]).toEqual(['SuccessfulRequestLatency', 'p99', operation, 100]);
  });

  test.each([[[]], [Object.values(dynamodb.Operation).slice(0, 6)]])('watching %j operations throws, naming the prop', (operations) => {
    const stack = strictStack();
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(() => dynamoDbSignals(table, Duration.minutes(1), operations)).toThrow(/Shop\/Table: invalid `operations`: watch 1 to 5 operations/);
  });
});
