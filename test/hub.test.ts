import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Kpi, KpiBand, Limits, OperationalFunction, OperationsHub, ServicePlacement } from '../src';
import { dashboardBody, plainFunction, strictApp, strictStack } from './support/stacks';

function stackWith(services: number): Stack {
  const stack = strictStack();
  for (let i = 0; i < services; i++) {
    new OperationalFunction(stack, `Svc${i}`, { lambdaFunction: plainFunction(stack, `Fn${i}`) });
  }
  return stack;
}

function countByType(stack: Stack): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of Object.values(Template.fromStack(stack).toJSON().Resources) as any[]) counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  return counts;
}

describe('OperationsHub', () => {
  test('services of one stack share the topic, key, runbook, roles, CodeDeploy application and dashboard', () => {
    const counts = countByType(stackWith(2));
    expect(counts).toMatchObject({
      'AWS::SNS::Topic': 2, // the alarm topic and the signal topic
      'AWS::KMS::Key': 1,
      'AWS::SQS::Queue': 1, // the response dead-letter queue
      'AWS::SSM::Document': 4, // diagnostics, rollback, concurrency; the OpsItem the dead-letter alarm opens
      'AWS::CodeDeploy::Application': 1,
      'AWS::CloudWatch::Dashboard': 1,
      // 4 runbook roles, 2 start roles, the deployment role, and the two test functions' own roles
      'AWS::IAM::Role': 9,
      'AWS::CodeDeploy::DeploymentGroup': 2,
      // the 4 runbook roles', the 2 start roles' and the deployment role's; one tracing policy for both functions
      'AWS::IAM::Policy': 8,
      'AWS::CloudWatch::CompositeAlarm': 2,
    });
  });

  test('each service adds a fixed number of resources', () => {
    const total = (n: number) => Object.values(countByType(stackWith(n))).reduce((a, b) => a + b, 0);
    const [one, two, three, five] = [1, 2, 3, 5].map(total);
    const perService = two - one;
    // alias, 3 alarms, health alarm, deployment group, rule; plus the test's function, role and version
    expect(perService).toBe(7 + 3);
    expect(three - two).toBe(perService);
    expect(five - three).toBe(2 * perService);
  });

  test('of() finds the one hub of a stack; a second hub is rejected', () => {
    const stack = strictStack();
    const a = OperationsHub.of(stack);
    const fnScope = new Stack(stack.node.root as any, 'Other');
    expect(OperationsHub.of(stack)).toBe(a);
    expect(OperationsHub.of(fnScope)).not.toBe(a);
    expect(() => new OperationsHub(stack, 'Another')).toThrow(/Shop\/Another: invalid `scope`: stack Shop already has an OperationsHub/);
    expect(() => new OperationsHub(a, 'Nested')).toThrow(/invalid `scope`: an OperationsHub belongs directly to its stack/);
  });

  test('a hub created first with an existing topic is the one services use', () => {
    const stack = strictStack();
    const topic = new sns.Topic(stack, 'Pager', { enforceSSL: true });
    new OperationsHub(stack, 'Ops', { alarmTopic: topic, dashboardName: 'shop-ops' });
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    const t = Template.fromStack(stack);
    // The hub still encrypts its own signal topic and response dead-letter queue, with one key.
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.resourceCountIs('AWS::SNS::Topic', 2);
    t.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmActions: [{ Ref: stack.getLogicalId(topic.node.defaultChild as any) }] });
    t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'shop-ops' });
  });

  test('sections that would pass 500 widgets start a new dashboard', () => {
    const stack = new Stack(strictApp(), 'Big');
    const hub = OperationsHub.of(stack);
    const section = (i: number) => Array.from({ length: 7 }, (_, j) => new cloudwatch.TextWidget({ markdown: `s${i} w${j}` }));
    const sections = Math.ceil(Limits.DASHBOARD_WIDGETS / 7) + 1; // 73 sections, 511 widgets
    const used = Array.from({ length: sections }, (_, i) => hub.addDashboardSection(section(i)));
    expect(hub.dashboards).toHaveLength(2);
    expect(used[70]).toBe(hub.dashboards[0]); // a 2-widget summary row and 71 sections = 499 widgets fit
    expect(used[71]).toBe(hub.dashboards[1]);
    const dashboards = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')) as any[];
    const widgets = dashboards.map((d) => JSON.parse(d.Properties.DashboardBody).widgets.length);
    expect(widgets).toEqual([499, 16]);
    expect(Math.max(...widgets)).toBeLessThanOrEqual(Limits.DASHBOARD_WIDGETS);
    expect(dashboards.map((d) => d.Properties.DashboardName)).toEqual(['Big-operations', 'Big-operations-2']);
    expect(() => hub.addDashboardSection(Array.from({ length: 499 }, () => new cloudwatch.TextWidget({ markdown: 'x' }))))
      .toThrow(/invalid `widgets`: a section of 499 widgets cannot fit on one dashboard/);
  });

  test('each dashboard starts with the health of its services; a full summary starts a new dashboard', () => {
    const stack = new Stack(strictApp(), 'Big');
    const hub = OperationsHub.of(stack);
    const alarm = (i: number) => cloudwatch.Alarm.fromAlarmArn(stack, `A${i}`, `arn:aws:cloudwatch:us-east-1:123456789012:alarm:a${i}`);
    for (let i = 0; i < 101; i++) hub.addDashboardSection([new cloudwatch.TextWidget({ markdown: `s${i}` })], [alarm(i)]);
    const bodies = (Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard')) as any[])
      .map((d) => JSON.parse(d.Properties.DashboardBody));
    expect(bodies).toHaveLength(2); // 101 widgets fit one dashboard, 101 alarms do not fit one alarm status widget
    const summaries = bodies.map((b) => b.widgets[1]);
    expect(summaries.map((w) => [w.type, w.properties.alarms.length])).toEqual([['alarm', 100], ['alarm', 1]]);
    expect(summaries[0].properties.alarms[0]).toBe('arn:aws:cloudwatch:us-east-1:123456789012:alarm:a0');
    expect(bodies[0].widgets[0].properties.markdown).toMatch(/^# Big-operations\n/);
  });

  test('the template carries a catalog of the stack\'s services', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), team: 'payments' });
    const catalog = Template.fromStack(stack).toJSON().Metadata['cdk-opex'];
    expect(catalog.shared.resources).toBe(30);
    expect(catalog.services).toEqual([expect.objectContaining({
      name: 'Checkout',
      kind: 'lambda',
      team: 'payments',
      resources: 7,
      detectionSeconds: 180,
      rollout: expect.objectContaining({ type: 'canary', percentage: 10, intervalMinutes: 5 }),
      responses: [
        { runbook: expect.stringMatching(/^CdkOpexOperationsLambdaDiagnosticsDocument/), automatic: true, trigger: 'EventBridge, when Shop-Checkout-health-critical enters ALARM' },
        { runbook: expect.stringMatching(/^CdkOpexOperationsLambdaRollbackDocument/), automatic: false, trigger: 'an operator; waits for approval' },
        { runbook: expect.stringMatching(/^CdkOpexOperationsLambdaConcurrencyDocument/), automatic: false, trigger: 'an operator; waits for approval' },
      ],
    })]);
    expect(catalog.services[0].rollout.rollbackAlarms).toHaveLength(3);
    expect(catalog.services[0].rollout.deploymentGroup).toMatch(/^CheckoutDeploymentGroup[0-9A-F]{8}$/);
  });
});

test('the catalog records objectives and KPIs', () => {
  const stack = strictStack();
  const svc = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), slo: { target: 99.5, window: Duration.days(14) } });
  new Kpi(stack, 'Orders', {
    serviceName: 'Checkout', kpiName: 'orders', metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Orders' }), band: KpiBand.below(1),
  });
  const catalog = Template.fromStack(stack).toJSON().Metadata['cdk-opex'];
  expect(catalog.services[0].objectives).toEqual([{
    target: 99.5,
    windowDays: 14,
    alerts: 'page: 14.4x over 1h and 5m, or 6x over 6h and 30m; ticket: 3x over 1d and 2h',
    pageAlarm: stack.getLogicalId(svc.slo!.pageAlarm.node.defaultChild as any),
  }]);
  expect(catalog.kpis).toEqual([{ service: 'Checkout', name: 'orders', alarm: expect.stringMatching(/^OrdersAlarm/) }]);
});

describe('a stack of 72 services', () => {
  /** 72 functions in one stack, synthesized once for the tests below (strict validation on). */
  let template: Template | undefined;
  const big = (): Template => {
    if (template) return template;
    // Past CloudFormation's 500 resources on purpose: these tests are about CloudWatch's and IAM's limits.
    const app = new App({ context: { '@aws-cdk/core:strictCfnValidateErrors': true, '@aws-cdk/core:stackResourceLimit': 0 } });
    const stack = new Stack(app, 'Big', { env: { account: '123456789012', region: 'us-east-1' } });
    Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::F0007', reason: 'this test measures dashboards past the resource limit' });
    // Every service in the one stack: its own dashboards, not nested stacks' (see placement.test.ts).
    new OperationsHub(stack, 'CdkOpexOperations', { placement: ServicePlacement.sameStack() });
    for (let i = 0; i < 72; i++) new OperationalFunction(stack, `Svc${i}`, { lambdaFunction: plainFunction(stack, `Fn${i}`) });
    template = Template.fromStack(stack);
    return template;
  };

  test('72 services need two dashboards, and neither passes 500 widgets', () => {
    const bodies = (Object.values(big().findResources('AWS::CloudWatch::Dashboard')) as any[]).map(dashboardBody);
    const widgets = bodies.map((b) => b.widgets.length);
    expect(widgets).toEqual([2 + 71 * 7, 2 + 7]);
    expect(Math.max(...widgets)).toBeLessThanOrEqual(Limits.DASHBOARD_WIDGETS);
    // Each summary row also shows the response dead-letter alarm.
    expect(bodies.map((b) => b.widgets[1].properties.alarms.length)).toEqual([1 + 71, 1 + 1]);
  });

  test('shared roles merge services into statements of at most 30 resources, so policies stay small as a stack grows', () => {
    const t = big();
    const documents = [
      ...Object.values(t.findResources('AWS::IAM::Policy')),
      ...Object.values(t.findResources('AWS::IAM::ManagedPolicy')),
    ].map((p: any) => p.Properties.PolicyDocument);
    const statements = documents.flatMap((d) => d.Statement);
    const resourceCount = (st: any) => (Array.isArray(st.Resource) ? st.Resource.length : 1);
    expect(Math.max(...statements.map(resourceCount))).toBeLessThanOrEqual(30);
    // 72 functions and 72 aliases: 144 ARNs in five statements, not 72 statements.
    const aliasStatements = statements.filter((st: any) => [st.Action].flat().includes('lambda:GetProvisionedConcurrencyConfig'));
    expect(aliasStatements.map(resourceCount)).toEqual([30, 30, 30, 30, 24]);
    // The services' own alarms are one pattern, however many services there are.
    const describe = statements.filter((st: any) => st.Action === 'cloudwatch:DescribeAlarms');
    expect(describe.map(resourceCount)).toEqual([1]);
    // CDK moves whole statements to managed policies past its size estimate: at most 3 on a role here, far under IAM's 10.
    const perRole = new Map<string, number>();
    for (const p of Object.values(t.findResources('AWS::IAM::ManagedPolicy')) as any[]) {
      for (const role of p.Properties.Roles) perRole.set(role.Ref, (perRole.get(role.Ref) ?? 0) + 1);
    }
    expect(perRole.size).toBeGreaterThan(0);
    expect(Math.max(...perRole.values())).toBeLessThanOrEqual(3);
  });
});

describe('the hub knows no service kind', () => {
  test('the Lambda deployment pieces and the tracing policy are shared children of the hub, made once by their capability', () => {
    const stack = stackWith(2);
    const hub = OperationsHub.of(stack);
    const ids = hub.node.children.map((c) => c.node.id);
    for (const id of ['LambdaApplication', 'DeploymentRole', 'TracingPolicy']) expect(ids.filter((i) => i === id)).toEqual([id]);
    const counts = countByType(stack);
    expect(counts['AWS::CodeDeploy::Application']).toBe(1);
    expect(Object.keys(Template.fromStack(stack).findResources('AWS::IAM::Policy')).filter((id) => id.startsWith('CdkOpexOperationsTracingPolicy'))).toHaveLength(1);
  });

  test('a stack with no runbook target has no response dead-letter queue, and the hub says why', () => {
    const stack = strictStack();
    const hub = OperationsHub.of(stack);
    expect(hub.responseDeadLetterAlarm).toBeUndefined();
    expect(() => hub.responseDeadLetterQueue).toThrow(/CdkOpexOperations: invalid `responseDeadLetterQueue`: no runbook target of this stack has made it yet/);
    Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 0);
  });
});
