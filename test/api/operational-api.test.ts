import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as fc from 'fast-check';
import {
  MockAwsEnvironment, OperationalApi, OperationalApiProps, OperationalFunction, OperationsHub, Runbook, RunbookSimulator,
  ServiceDependency, SimulationStatus,
} from '../../src';
import { reportFromAssembly } from '../../src/report/write';
import { RECENT_5XX_QUERY } from '../../src/runbooks/library/api-diagnostics';
import { stackIn, strictAppInTempDir } from '../report/support';
import { invalidPropError, runs } from '../support/arbitraries';
import { matches, resolveRefs } from '../support/event-pattern';
import { API_ACTIONS, apiStepProblems } from '../support/service-models';
import { dashboardBody, fixtureEvent, flat, plainFunction, strictStack } from '../support/stacks';

// One shop, synthesized once: an API in front of two functions, one of which depends on a table.
const { app, outdir } = strictAppInTempDir();
const stack = stackIn(app, 'Shop');
const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
const checkout = new OperationalFunction(stack, 'Checkout', {
  lambdaFunction: plainFunction(stack, 'CheckoutFn'), dependencies: [ServiceDependency.dynamoDbTable(table)],
});
// The catalog function reads the same table: it alarms on it too, under its own name for it.
const catalog = new OperationalFunction(stack, 'Catalog', {
  lambdaFunction: plainFunction(stack, 'CatalogFn'), dependencies: [ServiceDependency.dynamoDbTable(table, { name: 'orders', operations: [dynamodb.Operation.QUERY] })],
});
const restApi = new apigateway.RestApi(stack, 'Api', { restApiName: 'shop-api', cloudWatchRole: true });
restApi.root.addResource('checkout').addMethod('POST', new apigateway.LambdaIntegration(checkout.alias));
restApi.root.addResource('catalog').addMethod('GET', new apigateway.LambdaIntegration(catalog.alias));
const api = new OperationalApi(stack, 'ShopApi', {
  restApi, backends: [checkout, catalog], slo: { target: 99.9 }, latencySlo: { target: 99, threshold: Duration.millis(500) },
});
const assembly = app.synth();
const json = assembly.getStackByName('Shop').template;
const R = json.Resources as Record<string, any>;
const id = (c: { node: { defaultChild?: any } } | any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);
const props = (c: any) => R[id(c)].Properties;
const alarmOf = (service: { alarms: any[] }, signal: string) => service.alarms.find((a) => a.node.id === signal)!;
const report = reportFromAssembly(outdir);

describe('signals on the stage', () => {
  test('5XX rate, p99 latency and p99 integration latency alarms read the stage\'s metrics; the 4XX surge is a warning', () => {
    const errors = props(alarmOf(api, 'ErrorsAlarm'));
    expect(errors).toMatchObject({ Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' });
    const metrics = errors.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
    expect(metrics.map((m: any) => `${m.Metric.MetricName}/${m.Stat}/${m.Period}`).sort()).toEqual(['5XXError/Sum/60', 'Count/SampleCount/60']);
    expect(metrics[0].Metric.Dimensions).toEqual([{ Name: 'ApiName', Value: 'shop-api' }, { Name: 'Stage', Value: { Ref: id(restApi.deploymentStage) } }]);
    const single = (a: any) => {
      const m = a.Metrics[0].MetricStat;
      return { threshold: a.Threshold, name: m.Metric.MetricName, stat: m.Stat, period: m.Period };
    };
    expect(single(props(alarmOf(api, 'LatencyAlarm')))).toEqual({ threshold: 2000, name: 'Latency', stat: 'p99', period: 60 });
    expect(single(props(alarmOf(api, 'IntegrationLatencyAlarm')))).toEqual({ threshold: 2000, name: 'IntegrationLatency', stat: 'p99', period: 60 });
    const clientErrors = props(alarmOf(api, 'ClientErrorsAlarm'));
    expect(clientErrors.AlarmName).toBe('Shop-ShopApi-client-errors-warning');
    expect(clientErrors.Threshold).toBe(25);
  });

  test('a failing API is detected within 180 s: two 60 s periods plus a minute of publish delay', () => {
    expect(api.detectionTime.toSeconds()).toBe(180);
    const errors = props(alarmOf(api, 'ErrorsAlarm'));
    expect(60 * errors.DatapointsToAlarm + 60).toBeLessThanOrEqual(180);
  });

  test('the stage gets JSON access logs to a log group kept a year and encrypted with the hub key, X-Ray tracing and error logging', () => {
    const stage = props(restApi.deploymentStage);
    expect(stage.TracingEnabled).toBe(true);
    expect(stage.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [id(api.accessLogGroup), 'Arn'] });
    expect(Object.keys(JSON.parse(stage.AccessLogSetting.Format))).toEqual(expect.arrayContaining(['status', 'requestId', 'integrationError', 'responseLatency']));
    expect(stage.MethodSettings).toContainEqual({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', DataTraceEnabled: false });
    const hubKey = OperationsHub.of(stack).topicKey;
    expect(props(api.accessLogGroup)).toEqual(expect.objectContaining({
      LogGroupName: '/cdk-opex/Shop/ShopApi/api-access', RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [id(hubKey), 'Arn'] },
    }));
    const logsStatement = props(hubKey).KeyPolicy.Statement.find((s: any) => flat(s.Principal?.Service ?? '') === 'logs.us-east-1.amazonaws.com');
    expect(flat(logsStatement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toBe('arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:/cdk-opex/Shop/*');
  });

  test('the API has no rollout of its own', () => {
    expect(api.deployment).toBeUndefined();
    expect(() => new OperationalApi(strictStack(), 'Api', { restApi: restApiIn(strictStack()), rollout: undefined as any, additionalRollbackAlarms: [alarmOf(api, 'ErrorsAlarm')] }))
      .toThrow(/invalid `additionalRollbackAlarms`: a apigateway service has no rollout of its own/);
  });
});

describe('health: one page per failure', () => {
  const rule = flat(props(api.healthAlarm).AlarmRule);
  test('the API\'s health alarm reads its own signals, both objectives and both backends\' health alarms, not the 4XX warning', () => {
    for (const a of [alarmOf(api, 'ErrorsAlarm'), alarmOf(api, 'LatencyAlarm'), alarmOf(api, 'IntegrationLatencyAlarm'),
      api.slo!.pageAlarm, api.latencySlo!.pageAlarm, checkout.healthAlarm, catalog.healthAlarm]) {
      expect(rule).toContain(`ALARM("<${id(a)}.Arn>")`);
    }
    expect(rule).not.toContain(id(alarmOf(api, 'ClientErrorsAlarm')));
  });

  test('while a backend is unhealthy, the API\'s page is suppressed; the backend\'s health alarm pages for it', () => {
    const health = props(api.healthAlarm);
    const backends = stack.node.findChild('ShopApi').node.findChild('BackendsAlarm') as any;
    expect(health.ActionsSuppressor).toEqual({ 'Fn::GetAtt': [id(backends), 'Arn'] });
    expect(health).toMatchObject({ ActionsSuppressorWaitPeriod: 180, ActionsSuppressorExtensionPeriod: 180 });
    expect(flat(props(backends).AlarmRule)).toBe(`(ALARM("<${id(checkout.healthAlarm)}.Arn>") OR ALARM("<${id(catalog.healthAlarm)}.Arn>"))`);
    const topic = { Ref: id(OperationsHub.of(stack).alarmTopic) };
    expect(health.AlarmActions).toEqual([topic]);
    expect(props(checkout.healthAlarm).AlarmActions).toEqual([topic]);
    // The suppressor itself pages no one: it records to the signal topic.
    expect(props(backends).AlarmActions).toEqual([{ Ref: id(OperationsHub.of(stack).signalTopic) }]);
    expect(props(checkout.healthAlarm).ActionsSuppressor).toBeUndefined();
  });

  test('one backend suppresses directly, with no extra composite', () => {
    const s = strictStack();
    const fn = new OperationalFunction(s, 'Fn', { lambdaFunction: plainFunction(s, 'F') });
    const one = new OperationalApi(s, 'Api', { restApi: restApiIn(s), backends: [fn] });
    expect(one.node.tryFindChild('BackendsAlarm')).toBeUndefined();
    expect(s.resolve((one.healthAlarm.node.defaultChild as any).actionsSuppressor)).toEqual({ 'Fn::GetAtt': [s.getLogicalId(fn.healthAlarm.node.defaultChild as any), 'Arn'] });
  });
});

describe('dependencies: a table the checkout function relies on', () => {
  const own = checkout.dependencyAlarms;
  test('its system errors, throttles and per-operation latency alarms feed the function\'s health alarm', () => {
    expect(own.map((a) => props(a).AlarmName)).toEqual([
      'Shop-Checkout-Orders-errors-info', 'Shop-Checkout-Orders-throttles-info', 'Shop-Checkout-Orders-latency-getitem-info',
      'Shop-Checkout-Orders-latency-putitem-info', 'Shop-Checkout-Orders-latency-query-info',
    ]);
    const rule = flat(props(checkout.healthAlarm).AlarmRule);
    for (const a of own) expect(rule).toContain(`ALARM("<${id(a)}.Arn>")`);
    const throttles = props(own[1]);
    expect(throttles.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'TableName'))).toEqual(
      [1, 2, 3].map(() => ({ Name: 'TableName', Value: { Ref: id(table) } })));
    // A dependency rolls nothing back: the deployment group keeps only the function's own alarms.
    expect(checkout.deployment).toBeDefined();
    expect(props(checkout.deployment).AlarmConfiguration.Alarms).toHaveLength(3);
  });

  test('the table carries the service tag and its graphs join the function\'s dashboard section', () => {
    const body = dashboardBody(R[id(checkout.dashboard)]);
    const titles = body.widgets.map((w: any) => w.properties.title ?? w.properties.markdown);
    expect(titles).toContain('Checkout · depends on Orders: throttled requests');
    expect(titles.findIndex((x: string) => /Checkout · depends on Orders/.test(x ?? ''))).toBeGreaterThan(titles.indexOf('Checkout: alarms'));
  });

  test('the catalog and the readiness report list the dependency, its alarms and their cost under the function', () => {
    const entry = (json.Metadata['cdk-opex'].services as any[]).find((s) => s.name === 'Checkout');
    expect(entry.dependencies).toEqual([{ kind: 'dynamodb', name: 'Orders', resource: id(table), alarms: expect.objectContaining({ 'Orders-errors': id(own[0]) }) }]);
    const service = report.stacks[0].services.find((s) => s.name === 'Checkout')!;
    for (const a of own) expect(service.alarms.items.map((i) => i.logicalId)).toContain(id(a));
    // 3 own + 5 table alarms, 1 metric each except the math ones; the composite is $0.50.
    expect(service.cost.lines.find((l) => l.item === 'composite-alarms')!.quantity).toBe(1);
    expect(service.cost.lines.find((l) => l.item === 'standard-alarm-metrics')!.resources).toEqual(expect.arrayContaining(own.map(id)));
  });

  test('a second service depending on the same table alarms on it too but leaves its tag to the first', () => {
    expect(catalog.dependencyAlarms.map((a) => props(a).AlarmName)).toEqual([
      'Shop-Catalog-orders-errors-info', 'Shop-Catalog-orders-throttles-info', 'Shop-Catalog-orders-latency-query-info',
    ]);
    expect(props(table).Tags).toEqual([{ Key: 'service', Value: 'Checkout' }]);
    const inReport = report.stacks[0].services.find((s) => s.name === 'Catalog')!;
    expect(inReport.alarms.items.map((i) => i.logicalId)).toEqual(expect.arrayContaining(catalog.dependencyAlarms.map(id)));
    expect(inReport.alarms.items.map((i) => i.logicalId)).not.toContain(id(checkout.dependencyAlarms[0]));
  });
});

describe('the API diagnostics runbook', () => {
  const runbook = api.runbooks[0] as Runbook;
  const policy = () => {
    const roleId = id(runbook.role);
    const policies = Object.values(R).filter((r: any) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleId));
    return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .map((s: any) => ({ actions: [s.Action].flat(), resources: [s.Resource].flat().map(flat) }));
  };

  test('starts when the API\'s health alarm enters ALARM, with the stage, its log group and the health alarms to read', () => {
    const rule = props(api.responseRules[0]);
    const refs = { [id(api.healthAlarm)]: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServiceAggregatedAlarm' };
    const event = fixtureEvent('cloudwatch-alarm-state-change-composite.json');
    expect(matches(resolveRefs(rule.EventPattern, refs), event)).toBe(true);
    expect(matches(resolveRefs(rule.EventPattern, refs), fixtureEvent('cloudwatch-alarm-state-change-single-metric-ok.json'))).toBe(false);
    const input = flat(rule.Targets[0].InputTransformer.InputTemplate);
    expect(input).toContain(`"RestApiId":["<${id(restApi)}>"]`);
    expect(input).toContain(`"HealthAlarmNames":["Shop-ShopApi-health-critical","<${id(checkout.healthAlarm)}>","<${id(catalog.healthAlarm)}>"]`);
  });

  test('its role reads this stage, queries this log group and reads these health alarms, nothing more', () => {
    const statements = policy();
    const find = (action: string) => statements.find((s) => s.actions.includes(action))!;
    expect(find('apigateway:GET').resources).toEqual([`arn:<AWS::Partition>:apigateway:us-east-1::/restapis/<${id(restApi)}>/stages/<${id(restApi.deploymentStage)}>`]);
    expect(find('logs:StartQuery').resources).toEqual([`arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:<${id(api.accessLogGroup)}>:*`]);
    expect(find('cloudwatch:DescribeAlarms').resources).toEqual([
      'arn:<AWS::Partition>:cloudwatch:us-east-1:123456789012:alarm:Shop-ShopApi-health-critical',
      `<${id(checkout.healthAlarm)}.Arn>`, `<${id(catalog.healthAlarm)}.Arn>`,
    ]);
    expect(find('logs:GetQueryResults').resources).toEqual(['*']);
    const wildcards = statements.filter((s) => s.resources.includes('*')).flatMap((s) => s.actions).sort();
    expect(wildcards).toEqual(['logs:GetQueryResults', 'ssm:CreateOpsItem']);
  });

  test('its API calls match AWS\'s service models', () => {
    const steps = (runbook.document.content as any).mainSteps.filter((s: any) => API_ACTIONS.has(s.action));
    expect(steps.map((s: any) => `${s.inputs.Service}.${s.inputs.Api}`)).toEqual(['logs.StartQuery', 'logs.GetQueryResults', 'cloudwatch.DescribeAlarms', 'ssm.CreateOpsItem']);
    expect(steps.flatMap(apiStepProblems)).toEqual([]);
  });

  const parameters = {
    RestApiId: 'a1b2c3',
    StageName: 'prod',
    LogGroupName: '/cdk-opex/Shop/ShopApi/api-access',
    HealthAlarmNames: ['Shop-ShopApi-health-critical', 'Shop-Checkout-health-critical'],
    ServiceName: 'ShopApi',
    AlarmName: 'Shop-ShopApi-health-critical',
  };
  const env = () => new MockAwsEnvironment()
    .onScript('DescribeStage', { DeploymentId: 'd-1', Settings: 'tracing on', StartTime: 1700000000, EndTime: 1700000900 })
    .onApi('logs', 'StartQuery', { queryId: 'q-1' })
    .onApi('cloudwatch', 'DescribeAlarms', { CompositeAlarms: [{ AlarmName: 'Shop-Checkout-health-critical', StateValue: 'ALARM' }], MetricAlarms: [] })
    .onScript('Summarize', { QueryStatus: 'Complete', Recent5xxCount: 2, Recent5xx: '502 POST /checkout', UnhealthyAlarms: 'Shop-Checkout-health-critical' })
    .onApi('ssm', 'CreateOpsItem', { OpsItemId: 'oi-9' });

  test('simulated: queries the last 15 minutes, waits for Complete, reads the health alarms and records them on one OpsItem', () => {
    const mock = env().onApi('logs', 'GetQueryResults', { status: 'Running' }).onApi('logs', 'GetQueryResults', { status: 'Complete' });
    const result = RunbookSimulator.fromRunbook(runbook).run({ environment: mock, parameters });
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(result.stepNames).toEqual(['DescribeStage', 'StartQuery', 'WaitForQuery', 'DescribeHealth', 'Summarize', 'RecordOpsItem']);
    expect(mock.callsTo('logs', 'StartQuery')[0].parameters).toEqual({
      logGroupName: parameters.LogGroupName, startTime: 1700000000, endTime: 1700000900, queryString: RECENT_5XX_QUERY, limit: 20,
    });
    expect(mock.callsTo('logs', 'GetQueryResults').length).toBeGreaterThanOrEqual(2);
    expect(mock.callsTo('cloudwatch', 'DescribeAlarms')[0].parameters.AlarmNames).toEqual(parameters.HealthAlarmNames);
    const [opsItem] = mock.callsTo('ssm', 'CreateOpsItem');
    expect(opsItem.parameters.Description).toContain('Health alarms in ALARM: Shop-Checkout-health-critical.');
    expect(opsItem.parameters.OperationalData['/aws/dedup'].Value).toBe('{"dedupString":"cdk-opex:a1b2c3:prod:unhealthy"}');
    expect(result.outputs['RecordOpsItem.OpsItemId']).toBe('oi-9');
  });

  test('simulated: a query that never completes still records an OpsItem; a stage it cannot read fails at once, with none', () => {
    const slow = env().onApi('logs', 'GetQueryResults', { status: 'Running' });
    const result = RunbookSimulator.fromRunbook(runbook).run({ environment: slow, parameters });
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(result.steps.find((s) => s.name === 'WaitForQuery')!.status).toBe(SimulationStatus.TIMED_OUT);
    expect(slow.callsTo('ssm', 'CreateOpsItem')).toHaveLength(1);
    const denied = new MockAwsEnvironment().failScript('DescribeStage', 'AccessDeniedException: apigateway:GET');
    const failed = RunbookSimulator.fromRunbook(runbook).run({ environment: denied, parameters });
    expect(failed.status).toBe(SimulationStatus.FAILED);
    expect(failed.stepNames).toEqual(['DescribeStage']);
    expect(denied.callsTo('ssm', 'CreateOpsItem')).toHaveLength(0);
  });
});

describe('the readiness report', () => {
  test('lists the API as an apigateway service with its runbook, no rollout, and its alarms\' cost', () => {
    const service = report.stacks[0].services.find((s) => s.name === 'ShopApi')!;
    expect(service).toMatchObject({ kind: 'apigateway', source: 'catalog', resourceType: 'AWS::ApiGateway::Stage' });
    expect(service.runbooks).toEqual([
      expect.objectContaining({ document: id(api.runbooks[0].document), automatic: true, rule: id(api.responseRules[0]) }),
    ]);
    expect(service.detection.seconds).toBe(180);
    expect(service.deployment.rollbackOnAlarm).toBe(false);
    // 4 signal alarms, 12 burn-rate alarms, 2 pages, 2 tickets, the health alarm and the backends' suppressor.
    expect(service.cost.lines.find((l) => l.item === 'composite-alarms')!.quantity).toBe(6);
    expect(service.cost.monthlyUsd).toBeGreaterThan(3);
    expect(report.stacks[0].services.map((s) => s.name).sort()).toEqual(['Catalog', 'Checkout', 'ShopApi']);
  });
});

// ---- bad props and properties ----

function restApiIn(s: Stack, name = 'shop-api'): apigateway.RestApi {
  const a = new apigateway.RestApi(s, `Api${Math.random()}`.replace('.', ''), { restApiName: name });
  a.root.addMethod('GET', new apigateway.MockIntegration());
  return a;
}

describe('bad props fail at synth, naming the prop', () => {
  const build = (p: Partial<OperationalApiProps>) => () => {
    const s = strictStack();
    return new OperationalApi(s, 'Api', { restApi: restApiIn(s), ...p });
  };
  test.each([
    ['serverErrorRateThreshold', { serverErrorRateThreshold: 0 }, /must be greater than 0 % of requests/],
    ['serverErrorRateThreshold', { serverErrorRateThreshold: 101 }, /at most 100/],
    ['clientErrorRateThreshold', { clientErrorRateThreshold: -1 }, /greater than 0/],
    ['latencyThreshold', { latencyThreshold: Duration.millis(0) }, /greater than 0 ms/],
    ['integrationLatencyThreshold', { integrationLatencyThreshold: Duration.millis(0) }, /greater than 0 ms/],
    ['latencySlo.threshold', { latencySlo: { target: 99, threshold: Duration.millis(0) } }, /greater than 0 ms/],
  ])('%s', (prop, p, message) => {
    expect(build(p as any)).toThrow(invalidPropError(prop));
    expect(build(p as any)).toThrow(message);
  });

  test('neither or both of restApi and stage; a stage that already logs; a token API name; a backend of another stack', () => {
    const s = strictStack();
    expect(() => new OperationalApi(s, 'None', {})).toThrow(/Shop\/None: invalid `restApi`: give exactly one of restApi and stage/);
    const a = restApiIn(s);
    expect(() => new OperationalApi(s, 'Both', { restApi: a, stage: a.deploymentStage })).toThrow(invalidPropError('restApi'));
    const undeployed = new apigateway.RestApi(s, 'Undeployed', { deploy: false });
    undeployed.root.addMethod('GET', new apigateway.MockIntegration());
    expect(() => new OperationalApi(s, 'NoStage', { restApi: undeployed })).toThrow(/invalid `restApi`: Shop\/Undeployed has no deployment stage/);
    const logged = new apigateway.RestApi(s, 'Logged', { deployOptions: { accessLogDestination: new apigateway.LogGroupLogDestination(new logs.LogGroup(s, 'L')) } });
    logged.root.addMethod('GET', new apigateway.MockIntegration());
    expect(() => new OperationalApi(s, 'Logged2', { restApi: logged })).toThrow(invalidPropError('accessLogDestination'));
    const tokenName = restApiIn(s, Stack.of(s).stackName + Stack.of(s).urlSuffix);
    expect(() => new OperationalApi(s, 'Token', { restApi: tokenName })).toThrow(/invalid `restApi`: must be a literal string/);
    const other = strictStack('Other');
    const fn = new OperationalFunction(other, 'Fn', { lambdaFunction: plainFunction(other, 'F') });
    expect(() => new OperationalApi(s, 'Far', { restApi: restApiIn(s), backends: [fn] })).toThrow(/invalid `backends`: backends\[0\] \(Other\/Fn\) is in another stack/);
  });

  test('a dependency with a bad threshold, too many operations, a duplicate name, or in another stack', () => {
    const s = strictStack();
    const tbl = new dynamodb.Table(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const fnWith = (deps: ServiceDependency[]) => () => new OperationalFunction(s, `F${Math.random()}`.replace('.', ''), { lambdaFunction: plainFunction(s, `Fn${Math.random()}`.replace('.', '')), dependencies: deps });
    expect(fnWith([ServiceDependency.dynamoDbTable(tbl, { systemErrorRateThreshold: 150 })])).toThrow(invalidPropError('dependencies[0].systemErrorRateThreshold'));
    expect(fnWith([ServiceDependency.dynamoDbTable(tbl, { throttleThreshold: 0 })])).toThrow(invalidPropError('dependencies[0].throttleThreshold'));
    expect(fnWith([ServiceDependency.dynamoDbTable(tbl, { latencyThreshold: Duration.millis(0) })])).toThrow(invalidPropError('dependencies[0].latencyThreshold'));
    expect(fnWith([ServiceDependency.dynamoDbTable(tbl, { operations: [] })])).toThrow(invalidPropError('dependencies[0].operations'));
    expect(fnWith([ServiceDependency.dynamoDbTable(tbl, { name: 'a b' })])).toThrow(invalidPropError('dependencies[0].name'));
    expect(fnWith([ServiceDependency.dynamoDbTable(tbl), ServiceDependency.dynamoDbTable(tbl)])).toThrow(invalidPropError('dependencies[1].name'));
    const far = new dynamodb.Table(strictStack('Far'), 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    expect(fnWith([ServiceDependency.dynamoDbTable(far)])).toThrow(/invalid `dependencies\[0\]`: table Far\/T is in another stack/);
  });

  test('a latency SLO on a kind with no rankable latency metric', () => {
    // The Lambda kind declares no latency unit yet.
    const s = strictStack();
    expect(() => new OperationalFunction(s, 'F', { lambdaFunction: plainFunction(s, 'Fn'), latencySlo: { target: 99, threshold: Duration.millis(100) } }))
      .toThrow(/invalid `latencySlo`: a lambda service has no latency objective yet/);
  });
});

describe('properties', () => {
  const percent = fc.double({ min: 0.01, max: 100, noNaN: true });
  const ms = fc.integer({ min: 1, max: 29_000 });
  const valid = fc.record({
    serverErrorRateThreshold: fc.option(percent, { nil: undefined }),
    clientErrorRateThreshold: fc.option(percent, { nil: undefined }),
    latencyMs: fc.option(ms, { nil: undefined }),
    integrationMs: fc.option(ms, { nil: undefined }),
    backends: fc.integer({ min: 0, max: 3 }),
  });
  const make = (c: any, patch: Partial<OperationalApiProps> = {}) => {
    const s = strictStack();
    const backends = [...Array(c.backends).keys()].map((i) => new OperationalFunction(s, `B${i}`, { lambdaFunction: plainFunction(s, `F${i}`) }));
    return new OperationalApi(s, 'Api', {
      restApi: restApiIn(s),
      serverErrorRateThreshold: c.serverErrorRateThreshold,
      clientErrorRateThreshold: c.clientErrorRateThreshold,
      latencyThreshold: c.latencyMs === undefined ? undefined : Duration.millis(c.latencyMs),
      integrationLatencyThreshold: c.integrationMs === undefined ? undefined : Duration.millis(c.integrationMs),
      backends,
      ...patch,
    });
  };

  test('valid props build: four signal alarms, health over the three that page plus every backend, a suppressor with backends', () => {
    fc.assert(fc.property(valid, (c) => {
      const built = make(c);
      expect(built.alarms).toHaveLength(4);
      expect(built.detectionTime.toSeconds()).toBe(180);
      expect(built.node.tryFindChild('BackendsAlarm') !== undefined).toBe(c.backends > 1);
      const suppressor = (built.healthAlarm.node.defaultChild as any).actionsSuppressor;
      expect(suppressor !== undefined).toBe(c.backends > 0);
    }), runs(10));
  });

  test('a table dependency: valid options make 2 alarms plus one per operation; one invalid field throws naming it', () => {
    const ops = fc.uniqueArray(fc.constantFrom(...Object.values(dynamodb.Operation)), { minLength: 1, maxLength: 5 });
    const options = fc.record({
      operations: fc.option(ops, { nil: undefined }),
      systemErrorRateThreshold: fc.option(percent, { nil: undefined }),
      throttleThreshold: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
      latencyMs: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
    });
    const invalid = fc.oneof(
      fc.constant({ prop: 'systemErrorRateThreshold', patch: { systemErrorRateThreshold: 0 } }),
      fc.double({ min: 100.001, max: 1e6, noNaN: true }).map((v) => ({ prop: 'systemErrorRateThreshold', patch: { systemErrorRateThreshold: v } })),
      fc.integer({ min: -5, max: 0 }).map((v) => ({ prop: 'throttleThreshold', patch: { throttleThreshold: v } })),
      fc.constant({ prop: 'latencyThreshold', patch: { latencyThreshold: Duration.millis(0) } }),
      fc.constant({ prop: 'operations', patch: { operations: [] } }),
      fc.constantFrom('', 'a b', 'x'.repeat(65)).map((v) => ({ prop: 'name', patch: { name: v } })),
    );
    const withTable = (o: any, patch: any = {}) => {
      const s = strictStack();
      const tbl = new dynamodb.Table(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
      const dependency = ServiceDependency.dynamoDbTable(tbl, {
        operations: o.operations,
        systemErrorRateThreshold: o.systemErrorRateThreshold,
        throttleThreshold: o.throttleThreshold,
        latencyThreshold: o.latencyMs === undefined ? undefined : Duration.millis(o.latencyMs),
        ...patch,
      });
      return new OperationalApi(s, 'Api', { restApi: restApiIn(s), dependencies: [dependency] });
    };
    fc.assert(fc.property(options, (o) => {
      expect(withTable(o).dependencyAlarms).toHaveLength(2 + (o.operations ?? [0, 0, 0]).length);
    }), runs(8));
    fc.assert(fc.property(options, invalid, (o, bad) => {
      expect(() => withTable(o, bad.patch)).toThrow(invalidPropError(`dependencies[0].${bad.prop}`));
    }), runs(12));
  });

  test('one invalid field throws naming it', () => {
    const invalid = fc.oneof(
      fc.record({ prop: fc.constant('serverErrorRateThreshold'), patch: fc.oneof(fc.double({ max: 0, noNaN: true }), fc.double({ min: 100.001, max: 1e6, noNaN: true })).map((v) => ({ serverErrorRateThreshold: v })) }),
      fc.record({ prop: fc.constant('clientErrorRateThreshold'), patch: fc.oneof(fc.double({ max: 0, noNaN: true }), fc.double({ min: 100.001, max: 1e6, noNaN: true })).map((v) => ({ clientErrorRateThreshold: v })) }),
      fc.record({ prop: fc.constant('latencyThreshold'), patch: fc.constantFrom(0, NaN).map((v) => ({ latencyThreshold: Duration.millis(v) })) }),
      fc.record({ prop: fc.constant('integrationLatencyThreshold'), patch: fc.constantFrom(0, NaN).map((v) => ({ integrationLatencyThreshold: Duration.millis(v) })) }),
    );
    fc.assert(fc.property(valid, invalid, (c, bad) => {
      expect(() => make(c, bad.patch as any)).toThrow(invalidPropError(bad.prop));
    }), runs(15));
  });
});
