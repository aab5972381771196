import { Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { OpsItemCategory, OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { OperationalFunction, RolloutStrategy } from '../src';
import { dashboardBody, flat, plainFunction, strictStack } from './support/stacks';

function defaultService() {
  const stack = strictStack();
  const fn = plainFunction(stack, 'CheckoutFn');
  const service = new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn });
  return { stack, fn, service, t: Template.fromStack(stack) };
}

function only(t: Template, type: string, props?: any): [string, any] {
  const found = Object.entries(t.findResources(type, props));
  expect(found).toHaveLength(1);
  return found[0];
}

/** Periods of every metric an alarm reads, whether rendered flat or as a Metrics list. */
function alarmPeriods(alarm: any): number[] {
  if (alarm.Period) return [alarm.Period];
  return alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Period);
}

/** The single metric a non-math alarm reads, as { name, stat }. */
function alarmMetric(alarm: any): { name: string; stat: string } {
  if (alarm.MetricName) return { name: alarm.MetricName, stat: alarm.Statistic ?? alarm.ExtendedStatistic };
  const [metric] = alarm.Metrics;
  return { name: metric.MetricStat.Metric.MetricName, stat: metric.MetricStat.Stat };
}

function alarmBySignal(t: Template, signal: string): any {
  return only(t, 'AWS::CloudWatch::Alarm', { Properties: { AlarmName: `Shop-Checkout-${signal}-info` } })[1].Properties;
}

describe('OperationalFunction defaults', () => {
  test('creates a live alias on the current version', () => {
    const { t } = defaultService();
    const [, alias] = only(t, 'AWS::Lambda::Alias');
    expect(alias.Properties.Name).toBe('live');
    const [versionId] = only(t, 'AWS::Lambda::Version');
    expect(alias.Properties.FunctionVersion).toEqual({ 'Fn::GetAtt': [versionId, 'Version'] });
  });

  test('rolls out as a 10% / 5 minute canary that rolls back on failure, stop and alarm', () => {
    const { t } = defaultService();
    const [groupId, group] = only(t, 'AWS::CodeDeploy::DeploymentGroup');
    expect(group.Properties.DeploymentConfigName).toBe('CodeDeployDefault.LambdaCanary10Percent5Minutes');
    expect(group.Properties.DeploymentStyle).toEqual({ DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' });
    expect(group.Properties.AutoRollbackConfiguration.Enabled).toBe(true);
    expect([...group.Properties.AutoRollbackConfiguration.Events].sort())
      .toEqual(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST']);
    // CloudFormation hands alias updates to this group.
    const [, alias] = only(t, 'AWS::Lambda::Alias');
    expect(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName).toEqual({ Ref: groupId });
  });

  test('the deployment group watches exactly the three signal alarms', () => {
    const { t, stack, service } = defaultService();
    const [, group] = only(t, 'AWS::CodeDeploy::DeploymentGroup');
    const signalAlarmIds = service.alarms.map((a) => stack.getLogicalId(a.node.defaultChild as any));
    expect(group.Properties.AlarmConfiguration.Enabled).toBe(true);
    expect(group.Properties.AlarmConfiguration.Alarms).toEqual(signalAlarmIds.map((id) => ({ Name: { Ref: id } })));
    expect(signalAlarmIds).toHaveLength(3);
  });

  test.each(['errors', 'latency', 'throttles'])('%s alarm: 1-minute periods, 2 of 3 datapoints, missing data is healthy', (signal) => {
    const { t, stack, service } = defaultService();
    const alarm = alarmBySignal(t, signal);
    expect(alarm.EvaluationPeriods).toBe(3);
    expect(alarm.DatapointsToAlarm).toBe(2);
    expect(alarm.TreatMissingData).toBe('notBreaching');
    expect(alarm.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect(new Set(alarmPeriods(alarm))).toEqual(new Set([60]));
    // The health alarm pages, once; a signal's state changes go to the stack's signal topic, which pages no one.
    const signalTopic = { Ref: stack.getLogicalId(service.hub.signalTopic.node.defaultChild as any) };
    expect(alarm.AlarmActions).toEqual([signalTopic]);
    expect(alarm.OKActions).toEqual([signalTopic]);
  });

  test('errors alarm is the worse error rate of the alias and of the new version, default 5%', () => {
    const { t, fn } = defaultService();
    const alarm = alarmBySignal(t, 'errors');
    expect(alarm.Threshold).toBe(5);
    const expression = alarm.Metrics.find((m: any) => m.Expression);
    expect(expression.Expression).toBe('MAX([IF(invocations > 0, 100 * FILL(errors, 0) / invocations, 0), '
      + '100 * FILL(versionErrors, 0) / IF(FILL(versionInvocations, 0) >= 50, versionInvocations, 50)])');
    expect(expression.ReturnData).not.toBe(false);
    const inputs = alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric);
    expect(inputs.map((m: any) => m.MetricName).sort()).toEqual(['Errors', 'Errors', 'Invocations', 'Invocations']);
    const fnRef = Stack.of(fn).resolve(fn.functionName);
    for (const metric of inputs) {
      expect(metric.Namespace).toBe('AWS/Lambda');
      expect(metric.Dimensions).toEqual(expect.arrayContaining([
        { Name: 'FunctionName', Value: fnRef },
        { Name: 'Resource', Value: { 'Fn::Join': ['', [fnRef, ':live']] } },
      ]));
    }
  });

  test('latency alarm is p99 duration at 80% of the function timeout, of the alias and of the new version', () => {
    const { t } = defaultService();
    const alarm = alarmBySignal(t, 'latency');
    const stats = alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Stat]);
    expect(stats).toEqual([['latency', 'Duration', 'p99'], ['versionLatency', 'Duration', 'p99'], ['versionInvocations', 'Invocations', 'Sum']]);
    expect(alarm.Threshold).toBe(8000); // timeout 10 s
  });

  test('throttles alarm fires on any sustained throttling', () => {
    const { t } = defaultService();
    const alarm = alarmBySignal(t, 'throttles');
    expect(alarmMetric(alarm)).toEqual({ name: 'Throttles', stat: 'Sum' });
    expect(alarm.Threshold).toBe(1);
  });

  test('a total outage is detected within 3 minutes', () => {
    const { service } = defaultService();
    expect(service.detectionTime.toSeconds()).toBe(180);
    expect(service.detectionTime.toSeconds()).toBeLessThanOrEqual(Duration.minutes(3).toSeconds());
  });

  test('the composite health alarm fires on any signal alarm and notifies the shared topic', () => {
    const { t, stack, service } = defaultService();
    const [, health] = only(t, 'AWS::CloudWatch::CompositeAlarm');
    expect(health.Properties.AlarmName).toBe('Shop-Checkout-health-critical');
    const rule = JSON.stringify(health.Properties.AlarmRule);
    for (const id of service.alarms.map((a) => stack.getLogicalId(a.node.defaultChild as any))) {
      expect(rule).toContain(`"Fn::GetAtt":["${id}","Arn"]`);
    }
    expect(rule.match(/ OR /g)).toHaveLength(2);
    const topicId = stack.getLogicalId(service.hub.alarmTopic.node.defaultChild as any);
    expect(health.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    expect(health.Properties.OKActions).toEqual([{ Ref: topicId }]);
    expect(flat(health.Properties.AlarmDescription)).toMatch(/LambdaDiagnostics runbook starts/);
  });

  test('the alarm topic is KMS-encrypted, SSL-only and lets only CloudWatch alarms of this account publish', () => {
    const { t, stack, service } = defaultService();
    const [keyId, key] = only(t, 'AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    const topicRef = { Ref: stack.getLogicalId(service.hub.alarmTopic.node.defaultChild as any) };
    const [, policy] = only(t, 'AWS::SNS::TopicPolicy', { Properties: { Topics: [topicRef] } });
    const statements = policy.Properties.PolicyDocument.Statement.map((st: any) => JSON.parse(JSON.stringify(st), (_k, v) => (v?.['Fn::Join'] ? flat(v) : v)));
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:<AWS::Partition>:cloudwatch:us-east-1:123456789012:alarm:*' },
        },
      }),
    ]));
    // CloudWatch must be able to use the key to publish to the encrypted topic.
    expect(key.Properties.KeyPolicy.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    ]));
  });

  test('the dashboard section shows traffic, errors, latency, throttles, concurrency, alarm states and links', () => {
    const { t } = defaultService();
    const [, dashboard] = only(t, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties.DashboardName).toBe('Shop-operations');
    const body = dashboardBody(dashboard);
    // The summary row first (a header and every service's health), then this service's section.
    expect(body.widgets.slice(0, 2).map((w: any) => w.type)).toEqual(['text', 'alarm']);
    expect(body.widgets[1].properties.alarms).toHaveLength(2); // the health alarm and the stack's response dead-letter alarm
    const titles = body.widgets.slice(2).map((w: any) => w.properties.title).filter(Boolean);
    expect(titles).toEqual([
      'Checkout: traffic (invocations)', 'Checkout: errors', 'Checkout: latency (ms)',
      'Checkout: throttles', 'Checkout: concurrency (max)', 'Checkout: alarms',
    ]);
    const text = body.widgets.slice(2).find((w: any) => w.type === 'text').properties.markdown;
    expect(text).toMatch(/\[diagnostics runbook\]\(https:\/\/us-east-1\.console\.aws\.amazon\.com\/systems-manager\/documents\//);
    expect(text).toMatch(/\[deployment group\]\(https:\/\/us-east-1\.console\.aws\.amazon\.com\/codesuite\/codedeploy\/applications\//);
    const alarmWidget = body.widgets.find((w: any) => w.properties.title === 'Checkout: alarms');
    expect(alarmWidget.properties.alarms).toHaveLength(4);
  });

  test('turns on X-Ray tracing, with its permissions in a policy of its own', () => {
    const { t, stack, fn } = defaultService();
    const fnId = stack.getLogicalId(fn.node.defaultChild as any);
    expect(t.toJSON().Resources[fnId].Properties.TracingConfig).toEqual({ Mode: 'Active' });
    const tracing = Object.values(t.findResources('AWS::IAM::Policy'))
      .filter((p: any) => p.Properties.PolicyDocument.Statement.some((st: any) => [st.Action].flat().includes('xray:PutTraceSegments'))) as any[];
    expect(tracing).toHaveLength(1);
    expect(tracing[0].Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
    ]);
    expect(tracing[0].Properties.Roles).toEqual([{ Ref: stack.getLogicalId(fn.role!.node.defaultChild as any) }]);

    const off = strictStack();
    const untraced = plainFunction(off, 'Fn');
    new OperationalFunction(off, 'Checkout', { lambdaFunction: untraced, tracing: false });
    const offTemplate = Template.fromStack(off);
    expect(offTemplate.toJSON().Resources[off.getLogicalId(untraced.node.defaultChild as any)].Properties.TracingConfig).toBeUndefined();
  });

  test('tags everything it creates, and the function, with the owning service and team', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    const service = new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn, team: 'payments' });
    const t = Template.fromStack(stack);
    const ownership = [{ Key: 'service', Value: 'Checkout' }, { Key: 'team', Value: 'payments' }];
    // Everything under the service and the function; the hub's shared resources belong to the stack.
    const ours = [service, fn].map((c) => `${c.node.path}/`);
    let checked = 0;
    for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm', 'AWS::Events::Rule', 'AWS::Lambda::Function']) {
      for (const r of stack.node.findAll().filter((c) => (c as any).cfnResourceType === type && ours.some((p) => c.node.path.startsWith(p)))) {
        expect(t.toJSON().Resources[stack.getLogicalId(r as any)].Properties.Tags).toEqual(expect.arrayContaining(ownership));
        checked++;
      }
    }
    expect(checked).toBe(3 + 1 + 1 + 1);
    // The hub's own alarm belongs to cdk-opex, and to the stack's one team.
    const dlqAlarm = t.toJSON().Resources[stack.getLogicalId(service.hub.responseDeadLetterAlarm!.node.defaultChild as any)];
    expect(dlqAlarm.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'service', Value: 'cdk-opex' }, { Key: 'team', Value: 'payments' }]));
  });
});

describe('OperationalFunction props', () => {
  test('thresholds, periods and datapoints can be overridden', () => {
    const stack = strictStack();
    const service = new OperationalFunction(stack, 'Checkout', {
      lambdaFunction: plainFunction(stack, 'Fn'),
      errorRateThreshold: 1,
      latencyThreshold: Duration.seconds(2),
      throttleThreshold: 10,
      alarmPeriod: Duration.minutes(2),
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    const t = Template.fromStack(stack);
    expect(alarmBySignal(t, 'errors').Threshold).toBe(1);
    const latency = alarmBySignal(t, 'latency');
    expect(latency).toMatchObject({ Threshold: 2000, EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    expect(new Set(alarmPeriods(latency))).toEqual(new Set([120]));
    expect(alarmBySignal(t, 'throttles').Threshold).toBe(10);
    expect(service.detectionTime.toSeconds()).toBe(120 * 3 + 60);
  });

  test.each([
    ['no timeout (Lambda\'s 3 s)', null, undefined, 2400],
    ['a 7 s timeout', Duration.seconds(7), undefined, 5600],
    ['a sub-second threshold', Duration.seconds(3), Duration.millis(800), 800],
  ])('latency threshold with %s', (_case, timeout, latencyThreshold, expected) => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn', timeout);
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn, latencyThreshold });
    expect(alarmBySignal(Template.fromStack(stack), 'latency').Threshold).toBe(expected);
  });

  test('an SLO: a fast burn makes the service unhealthy (one page), a slow burn opens a ticket', () => {
    const stack = strictStack();
    const other = strictStack();
    expect(() => new OperationalFunction(other, 'Bad', { lambdaFunction: plainFunction(other, 'Fn'), slo: { target: 100 } }))
      .toThrow(/Bad\/Slo: invalid `target`/);
    const service = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), slo: { target: 99.9 } });
    const t = Template.fromStack(stack);
    const id = (c: any) => stack.getLogicalId(c.node.defaultChild ?? c);
    const composites = t.findResources('AWS::CloudWatch::CompositeAlarm');
    const health = composites[id(service.healthAlarm)].Properties;
    expect(flat(health.AlarmRule)).toContain(`ALARM("<${id(service.slo!.pageAlarm)}.Arn>")`);
    expect(composites[id(service.slo!.pageAlarm)].Properties.AlarmActions).toBeUndefined();
    expect(composites[id(service.slo!.ticketAlarm!)].Properties.AlarmActions.map(flat))
      .toEqual(['arn:<AWS::Partition>:ssm:us-east-1:123456789012:opsitem:3#CATEGORY=Availability']);
    // The SLO reads the alias's errors and invocations.
    const oneHour = Object.values(t.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'Shop-Checkout-slo-availability-1h-info' } }))[0] as any;
    const inputs = oneHour.Properties.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
    expect(inputs.map((m: any) => [m.Metric.MetricName, m.Period]).sort()).toEqual([['Errors', 3600], ['Invocations', 3600]]);
  });

  test('an OpsItem action is added to the health alarm', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', {
      lambdaFunction: plainFunction(stack, 'Fn'),
      opsItem: { severity: OpsItemSeverity.HIGH, category: OpsItemCategory.PERFORMANCE },
    });
    const [, health] = only(Template.fromStack(stack), 'AWS::CloudWatch::CompositeAlarm');
    expect(health.Properties.AlarmActions).toContainEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:123456789012:opsitem:2#CATEGORY=Performance']],
    });
  });

  test('a linear rollout and extra rollback alarms reach the deployment group', () => {
    const stack = strictStack();
    const upstream = new cloudwatch.Alarm(stack, 'Upstream', {
      metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'PaymentsFailed' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    new OperationalFunction(stack, 'Checkout', {
      lambdaFunction: plainFunction(stack, 'Fn'),
      rollout: RolloutStrategy.linear({ percentage: 10, interval: Duration.minutes(1) }),
      additionalRollbackAlarms: [upstream],
    });
    const t = Template.fromStack(stack);
    const [, group] = only(t, 'AWS::CodeDeploy::DeploymentGroup');
    expect(group.Properties.DeploymentConfigName).toBe('CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    expect(group.Properties.AlarmConfiguration.Alarms).toHaveLength(4);
    const upstreamId = stack.getLogicalId(upstream.node.defaultChild as any);
    expect(group.Properties.AlarmConfiguration.Alarms).toContainEqual({ Name: { Ref: upstreamId } });
    // CodeDeploy may read the extra alarm too: it is not named `<stack>-...`.
    const describe = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .find((st: any) => st.Action === 'cloudwatch:DescribeAlarms');
    expect(describe.Resource).toContainEqual({ 'Fn::GetAtt': [upstreamId, 'Arn'] });
  });

  test('the log group the function is configured with is the one the runbook reads', () => {
    const stack = strictStack();
    const logGroup = new logs.LogGroup(stack, 'Logs', { logGroupName: '/shop/checkout', retention: logs.RetentionDays.ONE_MONTH });
    const fn = plainFunction(stack, 'Fn');
    (fn.node.defaultChild as any).loggingConfig = { logGroup: logGroup.logGroupName };
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn });
    const t = Template.fromStack(stack);
    const logGroupId = stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup);
    const [, rule] = only(t, 'AWS::Events::Rule', { Properties: { Description: Match.stringLikeRegexp('LambdaDiagnostics') } });
    expect(flat(rule.Properties.Targets[0].InputTransformer.InputTemplate)).toContain(`"LogGroupName":["<${logGroupId}>"]`);
    const runbookPolicy = Object.values(t.findResources('AWS::IAM::Policy'))
      .find((p: any) => p.Properties.PolicyDocument.Statement.some((st: any) => st.Action === 'logs:FilterLogEvents')) as any;
    const statement = runbookPolicy.Properties.PolicyDocument.Statement.find((st: any) => st.Action === 'logs:FilterLogEvents');
    expect(flat(statement.Resource)).toBe(`arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:<${logGroupId}>:*`);
  });
});

describe('OperationalFunction rejects bad props at synth', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['errorRateThreshold', { errorRateThreshold: 0 }, /Checkout: invalid `errorRateThreshold`: must be greater than 0 % of invocations \(got 0 % of invocations\)/],
    ['errorRateThreshold', { errorRateThreshold: 150 }, /invalid `errorRateThreshold`: .*at most 100/],
    ['throttleThreshold', { throttleThreshold: -1 }, /invalid `throttleThreshold`: must be greater than 0/],
    ['latencyThreshold', { latencyThreshold: Duration.seconds(0) }, /invalid `latencyThreshold`: must be greater than 0 ms \(got 0 ms\)/],
    ['latencyThreshold', { latencyThreshold: Duration.seconds(10) }, /invalid `latencyThreshold`: must be below the function's timeout of 10000 ms/],
    ['alarmPeriod', { alarmPeriod: Duration.seconds(45) }, /Checkout: invalid `alarmPeriod`: CloudWatch accepts 10, 20, 30 seconds or a multiple of 60 seconds \(got 45 s\)/],
    ['datapointsToAlarm', { datapointsToAlarm: 4 }, /invalid `datapointsToAlarm`: must be a whole number of periods .*from 1 to 3 \(got 4\)/],
    ['evaluationPeriods', { evaluationPeriods: 1441 }, /invalid `evaluationPeriods`: must be at most 1440 \(got 1441\): .*1 day/],
    ['serviceName', { serviceName: 'check out!' }, /invalid `serviceName`: must be 1-64 letters/],
    ['team', { team: '' }, /invalid `team`/],
    ['aliasName', { aliasName: '42' }, /invalid `aliasName`/],
  ];
  test.each(cases)('%s: %j', (_prop, props, message) => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    expect(() => new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn, ...props })).toThrow(message);
  });

  test('tokens where a literal is needed', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    const lazyNumber = Token.asNumber(Lazy.number({ produce: () => 5 }));
    expect(() => new OperationalFunction(stack, 'A', { lambdaFunction: fn, errorRateThreshold: lazyNumber }))
      .toThrow(/A: invalid `errorRateThreshold`: must be a literal number, not a token/);
    expect(() => new OperationalFunction(stack, 'B', { lambdaFunction: fn, serviceName: Lazy.string({ produce: () => 'x' }) }))
      .toThrow(/B: invalid `serviceName`: must be a literal string, not a token/);
    expect(() => new OperationalFunction(stack, 'C', { lambdaFunction: fn, latencyThreshold: Duration.seconds(lazyNumber) }))
      .toThrow(/C: invalid `latencyThreshold`: must be a literal duration/);
  });

  test('more than 10 rollback alarms', () => {
    const stack = strictStack();
    const extra = Array.from({ length: 8 }, (_, i) => new cloudwatch.Alarm(stack, `A${i}`, {
      metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: `M${i}` }), threshold: 1, evaluationPeriods: 1,
    }));
    expect(() => new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), additionalRollbackAlarms: extra }))
      .toThrow(/invalid `additionalRollbackAlarms`: a deployment group takes at most 10 alarms; the 3 signal alarms and 8 more make 11/);
  });

  test('two services with one name in a stack', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'A', { lambdaFunction: plainFunction(stack, 'Fn1'), serviceName: 'checkout' });
    expect(() => new OperationalFunction(stack, 'B', { lambdaFunction: plainFunction(stack, 'Fn2'), serviceName: 'checkout' }))
      .toThrow(/B: invalid `serviceName`: 'checkout' is already a service of this stack/);
  });
});
