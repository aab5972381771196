import { execFileSync } from 'child_process';
import { readdirSync } from 'fs';
import { join } from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as fc from 'fast-check';
import {
  MaintenanceWindow, MockAwsEnvironment, OperationalExcellenceChecks, OperationalFunction, OperationalService, OperationsEventSource,
  OperationsHub, OperationsLog, OperationsLogAccess, OperationsMetric, RunbookSimulator, SimulationStatus,
} from '../../src';
import { OPERATIONS_LOG_ACCESS_WARNING } from '../../src/incidents/operations-log';
import { LOGS_RESOURCE_POLICY_CHARS } from '../../src/incidents/operations-log-access';
import { changeFailureRate, OPERATIONS_FILTERS, operationsMetric, OperationsDimension } from '../../src/incidents/operations-metrics';
import { TIMELINE_SCRIPT } from '../../src/incidents/timeline-script';
import { analyzeAssembly } from '../../src/report/analyze';
import { renderMarkdown } from '../../src/report/render';
import { EcsServiceKind } from '../../src/services/ecs-kind';
import { runs } from '../support/arbitraries';
import { expandMetrics } from '../support/dashboard-rows';
import { matches, resolveRefs } from '../support/event-pattern';
import { filterMatches, selectField } from '../support/log-filter-pattern';
import { albFargateService, dashboardBody, fixtureEvent, flat, plainFunction, strictApp } from '../support/stacks';

const env = { account: '123456789012', region: 'us-east-1' };
const app = strictApp();

// The Lambda service exists before the log is turned on, the ECS service after: both are routed.
const stack = new Stack(app, 'Shop', { env });
const checkout = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
const log = OperationsLog.enable(stack, { createAccess: true });
const fargate = albFargateService(stack);
const web = new OperationalService(stack, 'Web', { kind: new EcsServiceKind({ service: fargate.service, targetGroup: fargate.targetGroup, loadBalancer: fargate.loadBalancer }) });
log.routeExperimentTemplate('EXTa1b2c3de5f6g7h', stack);
const sundays = new MaintenanceWindow(stack, 'SundayPatching', {
  alarms: [checkout.healthAlarm, web.healthAlarm],
  recurrence: cloudwatch.ScheduleExpression.cron({ minute: '0', hour: '2', weekDay: 'SUN' }),
  duration: Duration.hours(2),
});

// Measures what the log adds: per stack (log on vs off) and per service (one more function).
const sized = (id: string, functions: number, withLog: boolean): Stack => {
  const s = new Stack(app, id, { env });
  if (withLog) OperationsLog.enable(s, { createAccess: true });
  for (let i = 0; i < functions; i++) new OperationalFunction(s, `Fn${i}Svc`, { lambdaFunction: plainFunction(s, `Fn${i}`) });
  return s;
};
const measured = { off1: sized('Off1', 1, false), on1: sized('On1', 1, true), on2: sized('On2', 2, true) };
// In an app of its own: Annotations.fromStack synthesizes the whole app again.
const bare = new Stack(strictApp(), 'NoAccess', { env });
OperationsLog.of(bare);

const t = Template.fromStack(stack);
const resources = t.toJSON().Resources as Record<string, any>;
const id = (c: any): string => stack.getLogicalId((c.node.defaultChild ?? c) as any);
const hub = OperationsHub.of(stack);
const rule = (source: OperationsEventSource): any => resources[id(log.ruleFor(source)!)].Properties;

/** Deployed values of the references the rules' patterns hold. */
const appId = Object.keys(resources).find((k) => resources[k].Type === 'AWS::CodeDeploy::Application')!;
const documentId = id(checkout.runbooks[0].node.findChild('Document'));
const serviceId = id(fargate.service);
const refs: Record<string, string> = {
  ...Object.fromEntries(Object.keys(resources).filter((k) => resources[k].Type === 'AWS::SSM::Document').map((k) => [k, `Shop-${k}-XYZ`])),
  [appId]: 'Shop-LambdaApplication-ABC',
  [serviceId]: 'arn:aws:ecs:us-east-1:123456789012:service/shop/web',
};

const FIXTURES = readdirSync(join(__dirname, '..', 'fixtures', 'events')).filter((f) => f.endsWith('.json')).sort();

/** The sample events with this stack's names in them, as its rules would see them. */
function ourEvent(name: string): any {
  const e = fixtureEvent(name);
  if (e.source === 'aws.cloudwatch') {
    e.detail.alarmName = `Shop-Checkout-health-critical${e.detail.alarmName}`;
  }
  if (e.source === 'aws.codedeploy') e.detail.application = refs[appId];
  if (e['detail-type'] === 'ECS Deployment State Change') e.resources = [refs[serviceId]];
  if (e['detail-type'] === 'EC2 Automation Execution Status-change Notification') e.detail.Definition = refs[documentId];
  return e;
}

const EXPECTED_RULE_MATCHES: Record<OperationsEventSource, string[]> = {
  [OperationsEventSource.ALARMS]: ['cloudwatch-alarm-state-change-composite.json'],
  [OperationsEventSource.CODEDEPLOY]: ['codedeploy-deployment-state-change-failure.json', 'codedeploy-deployment-state-change-success.json'],
  [OperationsEventSource.ECS]: ['ecs-deployment-state-change-failed.json'],
  [OperationsEventSource.RUNBOOKS]: ['ssm-automation-execution-status-change.json'],
  [OperationsEventSource.EXPERIMENTS]: ['fis-experiment-state-change.json'],
};

describe('the operations log', () => {
  test('one KMS-encrypted log group per stack, under the shared prefix, kept a year; the key lets Logs use it for operations logs only', () => {
    const group = resources[id(log.logGroup)].Properties;
    expect(group).toMatchObject({ LogGroupName: '/cdk-opex/operations/Shop', RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [id(hub.topicKey), 'Arn'] } });
    const statements = resources[id(hub.topicKey)].Properties.KeyPolicy.Statement;
    const forLogs = statements.find((s: any) => flat(s.Principal?.Service ?? '').startsWith('logs.'));
    expect(flat(forLogs.Principal.Service)).toBe('logs.us-east-1.amazonaws.com');
    expect(flat(forLogs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toBe('arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:/cdk-opex/operations/*');
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::Logs::LogGroup')).toHaveLength(1);
  });

  test('one Logs resource policy for every operations log of the account and region, for this account\'s rules only', () => {
    const [policy, ...more] = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::ResourcePolicy');
    expect(more).toEqual([]);
    expect(policy.Properties.PolicyName).toBe('cdk-opex-operations-log');
    const doc = JSON.parse(flat(policy.Properties.PolicyDocument).replace(/<AWS::Partition>/g, 'aws'));
    expect(doc.Statement).toEqual([expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/cdk-opex/operations/*:*',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:123456789012:rule/*' } },
    })]);
    const access = stack.node.findChild('OperationsLogAccess') as OperationsLogAccess;
    expect(access.policyChars).toBeLessThan(LOGS_RESOURCE_POLICY_CHARS / 5);
    const other = new Stack(strictApp(), 'Other', { env });
    new OperationsLogAccess(other, 'Access');
    expect(() => new OperationsLogAccess(other, 'Again')).toThrow(/Other\/Again: invalid `scope`: stack Other already has an OperationsLogAccess/);
    expect(OperationsLogAccess.existsFor(bare)).toBe(false);
  });

  test('without an OperationsLogAccess for its account and region in the app, the log warns how to set one up', () => {
    const warnings = Annotations.fromStack(bare);
    warnings.hasWarning('/NoAccess/CdkOpexOperations/OperationsLog', Match.stringLikeRegexp('deploy OperationsLogAccess once per account and region'));
    // The app is synthesized already: its messages are read, not made again.
    expect(JSON.stringify(app.synth().getStackArtifact('Shop').messages)).not.toContain(OPERATIONS_LOG_ACCESS_WARNING);
    expect(JSON.stringify(warnings.findWarning('*', Match.anyValue()))).toContain(OPERATIONS_LOG_ACCESS_WARNING);
  });

  test.each(Object.values(OperationsEventSource))('%s rule matches its sample events, not unrelated ones, nor other stacks\'', (source) => {
    const pattern = resolveRefs(rule(source).EventPattern, refs);
    expect(FIXTURES.filter((f) => matches(pattern, ourEvent(f)))).toEqual(EXPECTED_RULE_MATCHES[source]);
    // The same events from another stack's resources are not this stack's.
    const elsewhere = source === OperationsEventSource.EXPERIMENTS ? EXPECTED_RULE_MATCHES[source] : [];
    expect(FIXTURES.filter((f) => matches(pattern, fixtureEvent(f)))).toEqual(elsewhere);
  });

  test('each rule writes the whole event to the log group (its ARN without `:*`) and dead-letters to the hub\'s queue; no custom resource', () => {
    for (const source of Object.values(OperationsEventSource)) {
      const [target] = rule(source).Targets;
      expect(flat(target.Arn)).toBe(`arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:<${id(log.logGroup)}>`);
      expect(target.Input).toBeUndefined();
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [id(hub.responseDeadLetterQueue), 'Arn'] } });
    }
    expect(Object.values(resources).filter((r) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource')).toEqual([]);
    // Routed: the one CodeDeploy application, the ECS service, each runbook once.
    expect(rule(OperationsEventSource.RUNBOOKS).EventPattern.detail.Definition).toHaveLength(new Set([...checkout.runbooks, ...web.runbooks]).size);
  });
});

/** Each filter's events among the samples, as EventBridge writes them (the event JSON is the log message). */
const EXPECTED_FILTER_MATCHES: Record<string, string[]> = {
  CodeDeployDeployments: ['codedeploy-deployment-state-change-failure.json', 'codedeploy-deployment-state-change-success.json'],
  CodeDeployFailedDeployments: ['codedeploy-deployment-state-change-failure.json'],
  EcsDeployments: ['ecs-deployment-state-change-failed.json'],
  EcsFailedDeployments: ['ecs-deployment-state-change-failed.json'],
  Pages: ['cloudwatch-alarm-state-change-composite.json', 'cloudwatch-alarm-state-change-metric-math.json', 'cloudwatch-alarm-state-change-single-metric.json'],
  Recoveries: [],
  RunbookRuns: ['ssm-automation-execution-status-change.json'],
  RunbookFailures: [],
  GameDaysPassed: ['fis-experiment-state-change.json'],
  GameDaysFailed: [],
};

describe('operations-health metric filters', () => {
  test.each(OPERATIONS_FILTERS.map((f) => [f.id, f] as const))('%s counts the right events, with its dimension read from them', (_name, filter) => {
    const hits = FIXTURES.filter((f) => filterMatches(filter.pattern, JSON.stringify(fixtureEvent(f))));
    expect(hits).toEqual(EXPECTED_FILTER_MATCHES[filter.id]);
    for (const hit of hits) expect(typeof selectField(filter.dimensionField, fixtureEvent(hit))).toBe('string');
  });

  test('the other outcomes: a recovery, a failed runbook, a stopped game day, a stopped deployment', () => {
    const byId = Object.fromEntries(OPERATIONS_FILTERS.map((f) => [f.id, f.pattern]));
    const ok = fixtureEvent('cloudwatch-alarm-state-change-composite.json');
    ok.detail.previousState.value = 'ALARM';
    ok.detail.state.value = 'OK';
    expect([filterMatches(byId.Recoveries, JSON.stringify(ok)), filterMatches(byId.Pages, JSON.stringify(ok))]).toEqual([true, false]);
    const failedRun = { ...fixtureEvent('ssm-automation-execution-status-change.json') };
    failedRun.detail = { ...failedRun.detail, Status: 'TimedOut' };
    const counted = (ids: string[], e: unknown) => ids.map((i) => filterMatches(byId[i], JSON.stringify(e)));
    expect(counted(['RunbookFailures', 'RunbookRuns'], failedRun)).toEqual([true, true]);
    const stopped = fixtureEvent('fis-experiment-state-change.json');
    stopped.detail['new-state'].status = 'stopped';
    expect(counted(['GameDaysFailed', 'GameDaysPassed'], stopped)).toEqual([true, false]);
    const stop = fixtureEvent('codedeploy-deployment-state-change-failure.json');
    stop.detail.state = 'STOP';
    expect(filterMatches(byId.CodeDeployFailedDeployments, JSON.stringify(stop))).toBe(true);
    const started = { ...stop, detail: { ...stop.detail, state: 'START' } };
    expect(filterMatches(byId.CodeDeployDeployments, JSON.stringify(started))).toBe(false);
  });

  test('ten filters per stack, each with one dimension from a field of the event, counting 1 per event', () => {
    const filters = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter').map((r) => r.Properties);
    expect(filters).toHaveLength(OPERATIONS_FILTERS.length);
    for (const f of filters) {
      expect(f.LogGroupName).toEqual({ Ref: id(log.logGroup) });
      const [m] = f.MetricTransformations;
      expect(m).toMatchObject({ MetricNamespace: 'CdkOpex/Operations/Shop', MetricValue: '1', Unit: 'Count' });
      expect(m.Dimensions).toHaveLength(1);
      expect(m.DefaultValue).toBeUndefined(); // Logs rejects a default value with dimensions
      expect(OPERATIONS_FILTERS.find((o) => o.pattern === f.FilterPattern)?.dimensionField).toBe(m.Dimensions[0].Value);
    }
  });

  test('change failure rate is failed over finished deployments in percent, 0 with no deployment', () => {
    const ns = log.metricNamespace;
    const math = changeFailureRate(
      [operationsMetric(ns, OperationsMetric.DEPLOYMENTS, OperationsDimension.DEPLOYMENT_GROUP, 'a'), operationsMetric(ns, OperationsMetric.DEPLOYMENTS, OperationsDimension.ECS_SERVICE, 'b')],
      [operationsMetric(ns, OperationsMetric.FAILED_DEPLOYMENTS, OperationsDimension.DEPLOYMENT_GROUP, 'a'), operationsMetric(ns, OperationsMetric.FAILED_DEPLOYMENTS, OperationsDimension.ECS_SERVICE, 'b')],
    );
    const evaluate = (values: Record<string, number | undefined>): number => {
      const js = math.expression.replace(/FILL\((\w+), 0\)/g, (_m, v) => `(${values[v] ?? 0})`).replace(/IF\((.*) > 0, (.*), 0\)$/, '($1 > 0 ? $2 : 0)');
      return Function(`return ${js};`)();
    };
    expect(Object.keys(math.usingMetrics).sort()).toEqual(['d0', 'd1', 'f0', 'f1']);
    expect(evaluate({ d0: 3, d1: 1, f0: 1 })).toBe(25);
    expect(evaluate({ d0: 2, f0: 2 })).toBe(100);
    expect(evaluate({})).toBe(0);
    expect(() => changeFailureRate([], [])).toThrow(/at least one/);
  });
});

describe('what the operations log adds', () => {
  const size = (s: Stack) => {
    const json = Template.fromStack(s).toJSON();
    return { resources: Object.keys(json.Resources).length, bytes: JSON.stringify(json).length };
  };
  test('a fixed set of resources per stack and none per service', () => {
    const [off1, on1] = [measured.off1, measured.on1].map(size);
    const perStack = { resources: on1.resources - off1.resources, bytes: on1.bytes - off1.bytes };
    // What the log itself holds (its rules, filters and group, and the access policy) with one Lambda service, then two.
    const logOwned = (s: Stack) => {
      const json = Template.fromStack(s).toJSON().Resources as Record<string, unknown>;
      const ids = s.node.findAll().filter((c) => (c.node.scopes.some((p) => p instanceof OperationsLog || p instanceof OperationsLogAccess))
        && (c as any).cfnResourceType !== undefined).map((c) => s.getLogicalId(c as any));
      return { resources: ids.length, bytes: ids.reduce((n, k) => n + JSON.stringify(json[k]).length, 0) };
    };
    const [one, two] = [measured.on1, measured.on2].map(logOwned);
    const perService = { resources: two.resources - one.resources, bytes: two.bytes - one.bytes };
    // Log group, resource policy, 3 rules (alarms, runbooks, CodeDeploy) and their 6 filters; the incident timeline's
    // document, role and policy, start role and policy, and rule: 17, all per stack.
    expect(perStack.resources).toBe(17);
    expect(one.resources).toBe(perStack.resources);
    expect(Object.keys(Template.fromStack(measured.on1).findResources('AWS::Logs::MetricFilter'))).toHaveLength(6);
    expect(perService.resources).toBe(0);
    expect(perService.bytes).toBeLessThan(1_000); // the timeline's line for the service and its role's statements
    // eslint-disable-next-line no-console
    console.log(`operations log: +${perStack.resources} resources / +${perStack.bytes} bytes per stack; `
      + `+${perService.resources} resources / +${perService.bytes} bytes per Lambda service`);
  });
});

describe('props', () => {
  const retentions = Object.values(logs.RetentionDays).filter((v): v is logs.RetentionDays => typeof v === 'number');
  test('valid props build; a retention Logs does not offer or a bad policy name throws naming the prop', () => {
    fc.assert(fc.property(fc.constantFrom(...retentions), fc.boolean(), (retention, createAccess) => {
      const s = new Stack(strictApp(), 'P', { env });
      expect(OperationsLog.enable(s, { retention, createAccess }).logGroup).toBeDefined();
      expect(() => OperationsLog.enable(s)).toThrow(/invalid `OperationsLog`/);
    }), runs(5));
    fc.assert(fc.property(fc.integer({ min: 2, max: 5000 }).filter((n) => !retentions.includes(n)), (retention) => {
      expect(() => OperationsLog.enable(new Stack(strictApp(), 'P', { env }), { retention })).toThrow(/invalid `retention`/);
    }), runs(5));
    fc.assert(fc.property(fc.constantFrom('', 'has space', 'a:b', 'x'.repeat(256)), (policyName) => {
      expect(() => new OperationsLogAccess(new Stack(strictApp(), 'P', { env }), 'A', { policyName })).toThrow(/invalid `policyName`/);
    }), runs(4));
  });
});

describe('the operations-health row', () => {
  const body = dashboardBody(resources[id(hub.dashboards[0])]);
  const widgets = body.widgets as any[];
  // Each graph's rows as CloudWatch reads them ("." written out).
  const graph = (title: string) => {
    const properties = widgets.find((w) => w.properties?.title === title)?.properties;
    return properties && { ...properties, metrics: expandMetrics(properties) };
  };

  test('comes right after the summary: a header and six graphs, one line per service', () => {
    expect(widgets.slice(0, 3).map((w) => w.type)).toEqual(['text', 'alarm', 'text']);
    expect(widgets[2].properties.markdown).toMatch(/^## Operations health/);
    expect(widgets.slice(3, 9).map((w) => w.properties.title)).toEqual([
      'Deployments per day', 'Change failure rate (%)', 'Pages and recoveries', 'Mean time to restore (s)', 'Runbook runs and failures', 'Game days passed and failed',
    ]);
    expect(widgets.slice(2, 9).every((w) => w.y === widgets[2].y || w.y === widgets[2].y + 2)).toBe(true);
    expect(widgets[9].properties.markdown).toMatch(/^## Checkout/);
  });

  test('per-service metrics come from the filters\' dimensions: deployment group or ECS service, health alarm, runbook, experiment', () => {
    const text = JSON.stringify(graph('Deployments per day').metrics);
    expect(text).toContain('"CdkOpex/Operations/Shop","Deployments","DeploymentGroup"');
    expect(text).toContain('"EcsService"');
    const pages = JSON.stringify(graph('Pages and recoveries').metrics);
    for (const svc of [checkout, web]) expect(pages).toContain(`"Alarm","Shop-${svc.serviceName}-health-critical"`);
    expect(pages).toContain('"Recoveries"');
    expect(JSON.stringify(graph('Mean time to restore (s)').metrics)).toContain('"TimeToRestore"');
    expect(JSON.stringify(graph('Game days passed and failed').metrics)).toContain('"ExperimentTemplate","EXTa1b2c3de5f6g7h"');
    expect(JSON.stringify(graph('Runbook runs and failures').metrics)).toContain('"RunbookFailures"');
    const rates = (graph('Change failure rate (%)').metrics as any[]).filter((m) => m[0]?.expression).map((m) => m[0].expression);
    expect(rates).toContain('IF((FILL(cfr0d0, 0)) > 0, 100 * (FILL(cfr0f0, 0)) / (FILL(cfr0d0, 0)), 0)');
    expect(rates.some((e: string) => e.startsWith('IF((FILL(alld0, 0) + FILL(alld1, 0)) > 0'))).toBe(true);
  });

  test('a stack whose operations log is off has no such row (its dashboards are unchanged)', () => {
    const offStack = measured.off1;
    const dashboardId = offStack.getLogicalId(OperationsHub.of(offStack).dashboards[0].node.defaultChild as any);
    const off = dashboardBody(Template.fromStack(offStack).toJSON().Resources[dashboardId]);
    expect(JSON.stringify(off)).not.toContain('Operations health');
  });
});

describe('the incident timeline', () => {
  const timeline = log.incidentTimeline!;
  const simulate = (mock: MockAwsEnvironment) => RunbookSimulator.fromRunbook(timeline.runbook).run({
    environment: mock,
    parameters: {
      AutomationAssumeRole: 'arn:aws:iam::123456789012:role/t',
      AlarmName: 'Shop-Checkout-health-critical',
      AlarmedAt: '2026-12-01T10:00:00.000+0000',
      RecoveredAt: '2026-12-01T10:07:00.000+0000',
    },
  });
  const collected = (over: Record<string, unknown> = {}) => ({
    Timeline: 'Shop-Checkout-health-critical: detected 120s after impact began, restored 420s after the page; 1 deployments in the window, one rolled back.',
    TimeToDetectSeconds: 120,
    TimeToRestoreSeconds: 420,
    OpsItemId: 'oi-0123456789ab',
    DedupString: 'cdk-opex:fn:unhealthy',
    ...over,
  });
  const apis = (m: MockAwsEnvironment) => m.calls.map((c) => `${c.service}.${c.api}`);

  test('starts when a health alarm of this stack returns from ALARM to OK, with AWS\'s timestamps', () => {
    const props = resources[id(timeline.rule)].Properties;
    const recovered = ourEvent('cloudwatch-alarm-state-change-composite.json');
    [recovered.detail.previousState.value, recovered.detail.state.value] = ['ALARM', 'OK'];
    expect(matches(props.EventPattern, recovered)).toBe(true);
    expect(FIXTURES.filter((f) => matches(props.EventPattern, ourEvent(f)))).toEqual([]);
    expect(props.Targets[0].InputTransformer.InputPathsMap).toMatchObject({
      'detail-alarmName': '$.detail.alarmName', 'detail-previousState-timestamp': '$.detail.previousState.timestamp', 'detail-state-timestamp': '$.detail.state.timestamp',
    });
  });

  test('its role reads this stack\'s alarms, deployment groups and ECS services only, and publishes only to the operations namespace', () => {
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::IAM::Policy'
      && JSON.stringify(r.Properties.Roles).includes(id(timeline.runbook.role))).Properties.PolicyDocument.Statement;
    const on = (action: string) => policy.filter((s: any) => s.Effect === 'Allow' && [s.Action].flat().includes(action)).map((s: any) => flat(s.Resource));
    expect(on('cloudwatch:DescribeAlarmHistory')).toEqual(['arn:<AWS::Partition>:cloudwatch:us-east-1:123456789012:alarm:Shop-*']);
    expect(on('codedeploy:GetDeployment')).toHaveLength(1);
    expect(on('codedeploy:GetDeployment')[0]).toContain(':deploymentgroup:');
    expect(on('ecs:DescribeServices')).toEqual([`<${serviceId}>`]);
    expect(on('ssm:UpdateOpsItem')).toEqual(['arn:<AWS::Partition>:ssm:us-east-1:123456789012:opsitem/*']);
    expect(policy).toContainEqual({
      Effect: 'Deny',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringNotEquals: { 'cloudwatch:namespace': 'CdkOpex/Operations/Shop' } },
    });
  });

  test('a page with a rollback in its window: the timeline goes onto the incident\'s OpsItem, marked for review; time to restore is published', () => {
    const mock = new MockAwsEnvironment().onScript('CollectTimeline', collected()).onApi('ssm', 'UpdateOpsItem', {}).onApi('cloudwatch', 'PutMetricData', {});
    const result = simulate(mock);
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(apis(mock)).toEqual(['ssm.UpdateOpsItem', 'cloudwatch.PutMetricData']);
    const update = mock.callsTo('ssm', 'UpdateOpsItem')[0].parameters;
    expect(update.OpsItemId).toBe('oi-0123456789ab');
    expect(update.OperationalData['cdk-opex:timeline'].Value).toContain('one rolled back');
    expect(update.OperationalData['cdk-opex:post-incident-review']).toEqual({ Type: 'SearchableString', Value: 'required' });
    const [datum] = mock.callsTo('cloudwatch', 'PutMetricData')[0].parameters.MetricData;
    expect(datum).toMatchObject({ MetricName: 'TimeToRestore', Value: 420, Unit: 'Seconds', Dimensions: [{ Name: 'Alarm', Value: 'Shop-Checkout-health-critical' }] });
    expect(mock.scriptCalls[0].payload.Services['Shop-Checkout-health-critical']).toMatchObject({ alarmPrefix: 'Shop-Checkout-' });
  });

  test('a page with no deployment, and no open OpsItem: a new OpsItem holds the timeline', () => {
    const mock = new MockAwsEnvironment().onScript('CollectTimeline', collected({ OpsItemId: '', Timeline: 'restored 420s after the page; 0 deployments in the window.' }))
      .onApi('ssm', 'CreateOpsItem', { OpsItemId: 'oi-new' }).onApi('cloudwatch', 'PutMetricData', {});
    expect(simulate(mock).status).toBe(SimulationStatus.SUCCESS);
    expect(apis(mock)).toEqual(['ssm.CreateOpsItem', 'cloudwatch.PutMetricData']);
    const created = mock.callsTo('ssm', 'CreateOpsItem')[0].parameters;
    expect(created).toMatchObject({ Title: 'Post-incident review: Shop-Checkout-health-critical', Description: expect.stringContaining('0 deployments') });
    expect(created.OperationalData['/aws/dedup'].Value).toBe(JSON.stringify({ dedupString: 'cdk-opex:fn:unhealthy' }));
    expect(created.OperationalData['cdk-opex:post-incident-review'].Value).toBe('required');
  });

  test('an API error fails the execution before anything is published', () => {
    const mock = new MockAwsEnvironment().onScript('CollectTimeline', collected()).failApi('ssm', 'UpdateOpsItem', 'ThrottlingException', 'Rate exceeded');
    const result = simulate(mock);
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.failureMessage).toMatch(/ThrottlingException/);
    expect(mock.callsTo('cloudwatch', 'PutMetricData')).toEqual([]);
    const failing = new MockAwsEnvironment().failScript('CollectTimeline', 'AccessDeniedException: DescribeAlarmHistory');
    expect(simulate(failing).status).toBe(SimulationStatus.FAILED);
    expect(failing.calls).toEqual([]);
  });

  test('the script\'s timeline, run in Python: detection from the first breaching datapoint, restore from the page, the rollback found', () => {
    const history = [
      {
        AlarmName: 'Shop-Checkout-errors-info',
        Timestamp: '2026-12-01T09:59:00+00:00',
        HistoryData: JSON.stringify({ newState: { stateValue: 'ALARM', stateReasonData: { startDate: '2026-12-01T09:58:00.000+0000' } } }),
      },
      { AlarmName: 'Shop-Checkout-health-critical', Timestamp: '2026-12-01T10:00:00+00:00', HistoryData: JSON.stringify({ newState: { stateValue: 'ALARM' } }) },
    ];
    const call = (deployments: unknown[]) => 'print(json.dumps(build_timeline(\'Shop-Checkout-health-critical\', \'2026-12-01T10:00:00.000+0000\', '
      + `'2026-12-01T10:07:00.000+0000', json.loads(${JSON.stringify(JSON.stringify(history))}), json.loads(${JSON.stringify(JSON.stringify(deployments))}), `
      + '[{\'DocumentName\': \'d\', \'AutomationExecutionStatus\': \'Success\', \'ExecutionStartTime\': \'2026-12-01T10:01:00+00:00\'}])))';
    const run = (deployments: unknown[]) => JSON.parse(execFileSync('python3', ['-c', `${TIMELINE_SCRIPT}\n${call(deployments)}`]).toString());
    const rolledBack = run([{ id: 'd-1', status: 'Stopped', createTime: '2026-12-01T09:55:00+00:00', rollback: true }]);
    expect(rolledBack).toMatchObject({ TimeToDetectSeconds: 120, TimeToRestoreSeconds: 420, RolledBack: true, DeploymentCount: 1 });
    expect(rolledBack.Timeline.split('\n').slice(2)).toEqual([
      '- 2026-12-01T09:55:00Z deployment d-1 Stopped (rolled back)', '- 2026-12-01T09:59:00Z Shop-Checkout-errors-info -> ALARM',
      '- 2026-12-01T10:00:00Z Shop-Checkout-health-critical -> ALARM', '- 2026-12-01T10:01:00Z runbook d Success',
    ]);
    expect(run([])).toMatchObject({ RolledBack: false, DeploymentCount: 0, TimeToRestoreSeconds: 420 });
  });
});

describe('maintenance windows', () => {
  test('a recurring window mutes the paging alarms with a CloudWatch alarm mute rule; they keep evaluating', () => {
    const mute = resources[id(sundays.muteRule)];
    expect(mute.Type).toBe('AWS::CloudWatch::AlarmMuteRule');
    expect(mute.Properties).toMatchObject({
      Rule: { Schedule: { Expression: 'cron(0 2 * * SUN)', Duration: 'PT2H' } },
      MuteTargets: { AlarmNames: [{ Ref: id(checkout.healthAlarm) }, { Ref: id(web.healthAlarm) }] },
    });
    expect(sundays.durationMinutes).toBe(120);
  });

  test('the readiness report says which windows exist, and a stack without any has no such key', () => {
    const report = analyzeAssembly([{ stackName: 'Shop', template: t.toJSON() }, { stackName: 'Off1', template: Template.fromStack(measured.off1).toJSON() }]);
    expect(report.stacks[0].maintenanceWindows).toEqual([{
      muteRule: id(sundays.muteRule), schedule: 'cron(0 2 * * SUN)', duration: 'PT2H', alarms: [id(checkout.healthAlarm), id(web.healthAlarm)],
    }]);
    expect('maintenanceWindows' in report.stacks[1]).toBe(false);
    expect(renderMarkdown(report)).toContain(`Maintenance windows (paging alarms muted, still evaluating): \`${id(sundays.muteRule)}\` cron(0 2 * * SUN) for PT2H`);
  });

  test('with the log on, the report meets OPS09-BP01 (operations metrics) and OPS11-BP02 (a timeline per page); without it, neither', () => {
    const report = analyzeAssembly([{ stackName: 'Shop', template: t.toJSON() }, { stackName: 'Off1', template: Template.fromStack(measured.off1).toJSON() }]);
    const row = (at: number, bp: string) => report.stacks[at].services[0].wellArchitected.find((r) => r.id === bp)!;
    expect(row(0, 'OPS09-BP01')).toMatchObject({ status: 'met', evidence: expect.arrayContaining(Object.keys(t.findResources('AWS::Logs::MetricFilter'))) });
    expect(row(0, 'OPS11-BP02')).toMatchObject({ status: 'met', evidence: [id(log.incidentTimeline!.rule)] });
    expect(row(0, 'OPS07-BP04').status).toBe('met'); // the diagnostics runbook investigates on its own
    expect(row(1, 'OPS09-BP01').status).toBe('not met');
    expect(row(1, 'OPS11-BP02').status).toBe('not met');
  });

  test('OPEX-PagingAlarmHasIncidentTimeline (opt-in, warning): a paging composite with no timeline is flagged, one with the log is not', () => {
    const checks = new OperationalExcellenceChecks(undefined, { requireIncidentTimelines: true });
    const flagged = (s: Stack) => checks.validateScope(s).violations
      .filter((v) => v.ruleName.endsWith('PagingAlarmHasIncidentTimeline')).flatMap((v) => v.violatingResources.map((r) => r.constructPath ?? ''));
    expect(flagged(stack)).toEqual([]);
    expect(flagged(measured.off1).some((p) => p.includes('HealthAlarm'))).toBe(true);
  });

  test('a one-off window lasts from its start to its end; bad windows fail at synth naming the prop', () => {
    const s = new Stack(strictApp(), 'W', { env });
    const alarms = [new cloudwatch.Alarm(s, 'A', { metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }), threshold: 1, evaluationPeriods: 1 })];
    const at = (day: number, hour: number) => ({ year: 2027, month: 1, day, hour, minute: 30 });
    expect(new MaintenanceWindow(s, 'Once', { alarms, startsAt: at(9, 22), endsAt: at(10, 1) }).durationMinutes).toBe(180);
    const bad = (props: Partial<ConstructorParameters<typeof MaintenanceWindow>[2]>) => () => new MaintenanceWindow(s, `B${Math.random()}`.replace('.', ''), { alarms, ...props });
    expect(bad({ startsAt: at(9, 22) })).toThrow(/invalid `endsAt`: a one-off window needs both/);
    expect(bad({ startsAt: at(9, 22), endsAt: at(9, 21) })).toThrow(/invalid `endsAt`: must be after startsAt/);
    expect(bad({ startsAt: at(1, 0), endsAt: at(20, 0) })).toThrow(/invalid `endsAt`: must be a whole number of minutes after startsAt from 1 to 10080/);
    expect(bad({ startsAt: { ...at(9, 0), month: 2, day: 30 }, endsAt: at(10, 0) })).toThrow(/invalid `startsAt`: 2027-2-30 is not a date/);
    expect(bad({ recurrence: cloudwatch.ScheduleExpression.cron({ minute: '0' }) })).toThrow(/invalid `duration`: a recurring window needs a duration/);
    expect(bad({ recurrence: cloudwatch.ScheduleExpression.cron({ minute: '0' }), duration: Duration.seconds(90) })).toThrow(/invalid `duration`: must be a whole number of minutes/);
    expect(bad({})).toThrow(/invalid `recurrence`: give either/);
    expect(bad({ alarms: [], recurrence: cloudwatch.ScheduleExpression.cron({ minute: '0' }), duration: Duration.hours(1) })).toThrow(/invalid `alarms`/);
  });
});
