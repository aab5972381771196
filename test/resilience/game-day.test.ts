import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GameDay, GameDayFault, OperationalExcellenceChecks, OperationalFunction, OperationalService } from '../../src';
import { analyzeAssembly } from '../../src/report';
import { EcsServiceKind } from '../../src/services/ecs-kind';
import { expandMetrics } from '../support/dashboard-rows';
import { albFargateService, dashboardBody, flat, plainFunction, strictApp } from '../support/stacks';

const env = { account: '123456789012', region: 'us-east-1' };
const app = strictApp();
const stack = new Stack(app, 'Shop', { env });
const checkout = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
const lambdaDay = new GameDay(stack, 'CheckoutGameDay', {
  service: checkout,
  installLambdaExtension: true,
  scenarios: [
    { name: 'errors', fault: GameDayFault.LAMBDA_INVOCATION_ERROR },
    { name: 'slow', fault: GameDayFault.LAMBDA_INVOCATION_DELAY, percentage: 20, duration: Duration.minutes(10) },
  ],
});
const { service: fargate, targetGroup, loadBalancer } = albFargateService(stack);
const orders = new OperationalService(stack, 'Orders', { kind: new EcsServiceKind({ service: fargate, targetGroup, loadBalancer }) });
const ecsDay = new GameDay(stack, 'OrdersGameDay', {
  service: orders,
  enableSchedule: true,
  scenarios: [{ name: 'stop-tasks', fault: GameDayFault.ECS_STOP_TASKS, percentage: 25, schedule: { timeZone: 'Europe/Paris' } }],
});
// An operated service without a game day, for the check.
new OperationalFunction(stack, 'Search', { lambdaFunction: plainFunction(stack, 'SearchFn') });
const t = Template.fromStack(stack);
const json = t.toJSON();
const resources = json.Resources as Record<string, any>;
const id = (c: any) => stack.getLogicalId((c.node?.defaultChild ?? c) as any);
const props = (c: any) => resources[id(c)].Properties;
const policyOf = (role: any) => Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy'
  && r.Properties.Roles.some((x: any) => x.Ref === id(role))).flatMap((r) => r.Properties.PolicyDocument.Statement);

describe('experiment templates', () => {
  test('Lambda: invocation errors on the service\'s function only, 10% for 5 minutes by default, stopped by a guard alarm', () => {
    const p = props(lambdaDay.experiments[0].template);
    expect(p.Targets.Service).toEqual({
      ResourceType: 'aws:lambda:function', SelectionMode: 'ALL', ResourceArns: [{ 'Fn::GetAtt': [id(checkout.node.scope!.node.findChild('Fn')), 'Arn'] }],
    });
    expect(p.Actions.Inject).toMatchObject({
      ActionId: 'aws:lambda:invocation-error',
      Parameters: { invocationPercentage: '10', duration: 'PT5M', preventExecution: 'true' },
      Targets: { Functions: 'Service' },
    });
    expect(p.StopConditions).toEqual([{ Source: 'aws:cloudwatch:alarm', Value: { 'Fn::GetAtt': [id(lambdaDay.experiments[0].guardAlarm), 'Arn'] } }]);
    expect(p.RoleArn).toEqual({ 'Fn::GetAtt': [id(lambdaDay.experimentRole), 'Arn'] });
    expect(p.LogConfiguration).toEqual({ LogSchemaVersion: 2, CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [id(lambdaDay.logGroup), 'Arn'] } } });
    expect(p.Tags).toMatchObject({ 'service': 'Checkout', 'cdk-opex:scenario': 'errors' });
  });

  test('Lambda: added latency past the latency alarm\'s threshold, at the blast radius and duration the user set', () => {
    const p = props(lambdaDay.experiments[1].template);
    const latency = resources[id(checkout.alarms.find((a) => a.node.id === 'LatencyAlarm'))].Properties.Threshold;
    expect(p.Actions.Inject.ActionId).toBe('aws:lambda:invocation-add-delay');
    expect(p.Actions.Inject.Parameters).toEqual({ invocationPercentage: '20', duration: 'PT10M', startupDelayMilliseconds: String(Math.ceil(latency) + 1000) });
    expect(lambdaDay.experiments[1].trips).toEqual(['latency']);
  });

  test('ECS: stops 25% of this service\'s tasks, selected by cluster and service', () => {
    const p = props(ecsDay.experiments[0].template);
    expect(p.Targets.Service).toEqual({
      ResourceType: 'aws:ecs:task',
      SelectionMode: 'PERCENT(25)',
      Parameters: { cluster: { Ref: id(fargate.cluster) }, service: { 'Fn::GetAtt': [id(fargate), 'Name'] } },
    });
    expect(p.Actions.Inject).toEqual(expect.objectContaining({ ActionId: 'aws:ecs:stop-task', Targets: { Tasks: 'Service' }, Parameters: {} }));
  });

  test('the guard watches customer impact beyond the fault: the error rate above twice the blast radius plus 10, not the alarm the fault trips', () => {
    const guard = props(lambdaDay.experiments[0].guardAlarm);
    const errors = props(checkout.alarms.find((a) => a.node.id === 'ErrorsAlarm'));
    expect(guard.Threshold).toBe(30);
    expect(guard.ComparisonOperator).toBe('GreaterThanThreshold');
    expect(guard.Metrics).toEqual(errors.Metrics);
    expect(guard.AlarmName).not.toEqual(errors.AlarmName);
    expect(guard.AlarmName).toBe('Shop-Checkout-gameday-errors-guard-info');
    const ecsGuard = props(ecsDay.experiments[0].guardAlarm);
    const lbErrors = props(orders.alarms.find((a) => a.node.id === 'LbErrorsAlarm'));
    expect(ecsGuard.Metrics).toEqual(lbErrors.Metrics);
    expect(ecsGuard.Threshold).toBe(60);
  });
});

describe('experiment role', () => {
  test('trusted by FIS in this account only', () => {
    const trust = props(lambdaDay.experimentRole).AssumeRolePolicyDocument.Statement[0];
    expect(trust.Principal).toEqual({ Service: 'fis.amazonaws.com' });
    expect(trust.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '123456789012' });
  });

  test('Lambda: GetFunction on the function, writes under the FIS configuration prefix, log delivery; nothing else', () => {
    const statements = policyOf(lambdaDay.experimentRole).map((s: any) => `${[s.Action].flat().join(',')} on ${flat(s.Resource)}`);
    expect(statements).toEqual(expect.arrayContaining([
      `lambda:GetFunction on <${id(checkout.node.scope!.node.findChild('Fn'))}.Arn>`,
      expect.stringMatching(/^s3:PutObject,s3:DeleteObject on <CdkOpexOperationsFisLambdaConfiguration\w+\.Arn>\/FisConfigs\/\*$/),
      'tag:GetResources,logs:CreateLogDelivery,logs:DescribeLogGroups,logs:DescribeResourcePolicies,logs:PutResourcePolicy,cloudwatch:GetMetricWidgetImage on *',
    ]));
    expect(statements.some((s: string) => s.startsWith('ecs:'))).toBe(false);
  });

  test('the experiment report: the service\'s dashboard, before and after the fault, written under the service\'s prefix of the FIS bucket', () => {
    const template = props(lambdaDay.experiments[0].template);
    expect(template.ExperimentReportConfiguration).toEqual({
      Outputs: { ExperimentReportS3Configuration: { BucketName: { Ref: expect.stringMatching(/^CdkOpexOperationsFisLambdaConfiguration/) }, Prefix: 'GameDayReports/Checkout/' } },
      DataSources: { CloudWatchDashboards: [{ DashboardIdentifier: expect.anything() }] },
      PreExperimentDuration: 'PT10M',
      PostExperimentDuration: 'PT10M',
    });
    expect(flat(template.ExperimentReportConfiguration.DataSources.CloudWatchDashboards[0].DashboardIdentifier)).toContain(':dashboard/');
    const statements = policyOf(lambdaDay.experimentRole).map((s: any) => `${[s.Action].flat().join(',')} on ${flat(s.Resource)}`);
    expect(statements).toEqual(expect.arrayContaining([
      expect.stringMatching(/^s3:PutObject on <CdkOpexOperationsFisLambdaConfiguration\w+\.Arn>\/GameDayReports\/Checkout\/\*$/),
      expect.stringMatching(/^cloudwatch:GetDashboard on arn:.*:dashboard\//),
    ]));
  });

  test('ECS: stop and describe only the tasks of the service\'s cluster; list them only in that cluster', () => {
    const statements = policyOf(ecsDay.experimentRole);
    const stop = statements.find((s: any) => [s.Action].flat().includes('ecs:StopTask'));
    expect(stop.Action).toEqual(['ecs:DescribeTasks', 'ecs:StopTask']);
    expect(flat(stop.Resource)).toBe(`arn:<AWS::Partition>:ecs:us-east-1:123456789012:task/<${id(fargate.cluster)}>/*`);
    const list = statements.find((s: any) => s.Action === 'ecs:ListTasks');
    expect(list.Condition).toEqual({ ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [id(fargate.cluster), 'Arn'] } } });
  });
});

describe('experiment log', () => {
  test('encrypted with the stack\'s key, kept a year, and the key lets CloudWatch Logs use it for this account\'s log groups', () => {
    const p = props(lambdaDay.logGroup);
    const key = id(checkout.hub.topicKey);
    expect(p).toEqual({ RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] }, Tags: [{ Key: 'service', Value: 'Checkout' }] });
    const keyPolicy = resources[key].Properties.KeyPolicy.Statement;
    const logs = keyPolicy.filter((s: any) => s.Principal?.Service === 'logs.us-east-1.amazonaws.com');
    expect(logs).toHaveLength(1);
    expect(flat(logs[0].Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'])).toBe('arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:*');
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::Logs::ResourcePolicy')).toEqual([]);
  });
});

describe('Lambda fault wiring (opt-in)', () => {
  const fn = () => resources[id(checkout.node.scope!.node.findChild('Fn'))].Properties;

  test('the layer is the FIS extension from AWS\'s public SSM parameter for the function\'s architecture', () => {
    const [layer] = fn().Layers;
    const parameter = json.Parameters[layer.Ref];
    expect(parameter).toEqual({ Type: 'AWS::SSM::Parameter::Value<String>', Default: '/aws/service/fis/lambda-extension/AWS-FIS-extension-x86_64/1.x.x' });
  });

  test('the wrapper and the configuration location are set; the function may read only that location', () => {
    const variables = fn().Environment.Variables;
    expect(variables.AWS_LAMBDA_EXEC_WRAPPER).toBe('/opt/aws-fis/bootstrap');
    expect(flat(variables.AWS_FIS_CONFIGURATION_LOCATION)).toMatch(/^<CdkOpexOperationsFisLambdaConfiguration\w+\.Arn>\/FisConfigs\/$/);
    const role = checkout.node.scope!.node.findChild('Fn').node.findChild('ServiceRole');
    // A managed policy of cdk-opex's on the app's role; the role's own inline policy is untouched.
    expect(policyOf(role).flatMap((s: any) => [s.Action].flat()).filter((a: string) => /^(s3|kms):/.test(a))).toEqual([]);
    const [managed] = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties.Roles?.some((x: any) => x.Ref === id(role)));
    const statements = managed.Properties.PolicyDocument.Statement;
    expect(statements.find((s: any) => s.Action === 'kms:Decrypt').Resource).toEqual({ 'Fn::GetAtt': [id(checkout.hub.topicKey), 'Arn'] });
    const list = statements.find((s: any) => s.Action === 's3:ListBucket');
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['FisConfigs/*'] } });
    expect(flat(statements.find((s: any) => s.Action === 's3:GetObject').Resource)).toMatch(/\/FisConfigs\/\*$/);
  });

  test('the configuration bucket: KMS with the stack\'s key, SSL only, versioned, public access blocked, no auto-delete', () => {
    const [bucketId, bucket] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::S3::Bucket')!;
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault)
      .toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [id(checkout.hub.topicKey), 'Arn'] } });
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties.PublicAccessBlockConfiguration)
      .toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === bucketId)!;
    expect(policy.Properties.PolicyDocument.Statement)
      .toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(Object.values(resources).filter((r) => r.Type.startsWith('Custom::'))).toEqual([]);
  });

  test('an ECS game day changes nothing on the service', () => {
    expect(props(fargate).Tags ?? []).not.toContainEqual(expect.objectContaining({ Key: 'AWS_FIS_CONFIGURATION_LOCATION' }));
    expect(JSON.stringify(resources[id(fargate.taskDefinition)])).not.toContain('aws-fis');
  });
});

describe('game-day runbook, failure alarm and schedule', () => {
  test('one runbook document per stack, allowed to start exactly these templates and read the health alarms', () => {
    expect(lambdaDay.runbook).toBe(ecsDay.runbook);
    const statements = policyOf(lambdaDay.runbook.role);
    const start = statements.filter((s: any) => [s.Action].flat().includes('fis:StartExperiment')).flatMap((s: any) => [s.Resource].flat().map(flat));
    expect(start).toEqual(expect.arrayContaining([
      ...[...lambdaDay.experiments, ...ecsDay.experiments].map((e) => `arn:<AWS::Partition>:fis:us-east-1:123456789012:experiment-template/<${id(e.template)}>`),
      'arn:<AWS::Partition>:fis:us-east-1:123456789012:experiment/*',
    ]));
    const alarms = statements.filter((s: any) => [s.Action].flat().includes('cloudwatch:DescribeAlarmHistory')).flatMap((s: any) => [s.Resource].flat().map(flat));
    expect(alarms).toEqual(expect.arrayContaining([`<${id(checkout.healthAlarm)}.Arn>`, `<${id(orders.healthAlarm)}.Arn>`]));
  });

  test('a failed game day raises a ticket-level (warning) alarm on the pass/fail metric', () => {
    const p = props(lambdaDay.failedAlarm);
    expect(p).toMatchObject({
      AlarmName: 'Shop-Checkout-gameday-warning',
      Namespace: 'cdk-opex/GameDays',
      MetricName: 'GameDayFailed',
      Dimensions: [{ Name: 'ServiceName', Value: 'Checkout' }],
      Statistic: 'Maximum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    // It answers to the service's owners, though the GameDay is not under the service.
    expect(p.Tags).toEqual(expect.arrayContaining([{ Key: 'service', Value: 'Checkout' }]));
  });

  test('the dashboard shows each service\'s last game-day results and its failure alarm', () => {
    const dashboards = Object.values(resources).filter((r: any) => r.Type === 'AWS::CloudWatch::Dashboard');
    const widgets = dashboards.flatMap((d: any) => dashboardBody(d).widgets);
    const graph = widgets.find((w: any) => w.properties?.title?.startsWith('Checkout game days'));
    expect(expandMetrics(graph.properties)).toEqual([['cdk-opex/GameDays', 'GameDayFailed', 'ServiceName', 'Checkout', expect.objectContaining({ stat: 'Maximum', period: 3600 })]]);
    expect(widgets.some((w: any) => w.type === 'alarm' && w.properties?.title === 'Checkout game day')).toBe(true);
    expect(dashboards.map((d: any) => flat(d.Properties.DashboardBody)).join()).toContain(`<${id(lambdaDay.failedAlarm)}.Arn>`);
  });

  test('the schedule starts only the game-day runbook, with its parameters, never retried, with a role allowed to start only it', () => {
    const schedules = Object.values(resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(1);
    const p = schedules[0].Properties;
    expect(p).toMatchObject({ ScheduleExpression: 'cron(0 10 ? * TUE *)', ScheduleExpressionTimezone: 'Europe/Paris', FlexibleTimeWindow: { Mode: 'OFF' } });
    expect(p.Target.Arn).toBe('arn:aws:scheduler:::aws-sdk:ssm:startAutomationExecution');
    expect(p.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0 });
    const input = flat(p.Target.Input);
    expect(input).toContain(`"DocumentName":"<${id(lambdaDay.runbook.document)}>"`);
    expect(input).toContain(`"ExperimentTemplateId":["<${id(ecsDay.experiments[0].template)}>"]`);
    const role = p.Target.RoleArn['Fn::GetAtt'][0];
    const statements = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === role))
      .flatMap((r) => r.Properties.PolicyDocument.Statement);
    expect(statements.map((s: any) => `${s.Action} on ${flat(s.Resource)}`)).toEqual([
      `ssm:StartAutomationExecution on arn:<AWS::Partition>:ssm:us-east-1:123456789012:automation-definition/<${id(lambdaDay.runbook.document)}>:$DEFAULT`,
      `iam:PassRole on <${id(lambdaDay.runbook.role)}.Arn>`,
    ]);
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule' && flat(r.Properties.Target.Input).includes(id(lambdaDay.experiments[0].template)))).toEqual([]);
  });
});

describe('seen everywhere', () => {
  const report = analyzeAssembly([{ stackName: 'Shop', template: json }]);
  const svc = (name: string) => report.stacks[0].services.find((s) => s.name === name)!;

  test('the readiness report lists each service\'s experiment templates as its game days, and the game-day row is met with them', () => {
    expect(svc('Checkout').gameDays.sort()).toEqual(lambdaDay.experiments.map((e) => id(e.template)).sort());
    expect(svc('Orders').gameDays).toEqual([id(ecsDay.experiments[0].template)]);
    const row = svc('Orders').wellArchitected.find((r) => r.id === 'REL12-BP05')!;
    expect(row.status).toBe('met');
    expect(row.evidence).toEqual([id(ecsDay.experiments[0].template)]);
    expect(row.reason).toMatch(/scheduled/);
    expect(svc('Checkout').wellArchitected.find((r) => r.id === 'REL12-BP05')!.reason).toMatch(/started by an operator/);
  });

  test('the catalog records each scenario, its schedule and what it verifies', () => {
    const entries = json.Metadata['cdk-opex'].gameDays;
    expect(entries.map((e: any) => `${e.service}/${e.scenario}`)).toEqual(['Checkout/errors', 'Checkout/slow', 'Orders/stop-tasks']);
    expect(entries[2]).toEqual({
      service: 'Orders',
      scenario: 'stop-tasks',
      actionId: 'aws:ecs:stop-task',
      template: id(ecsDay.experiments[0].template),
      blastRadius: { percentage: 25, unit: 'tasks' },
      guardAlarm: id(ecsDay.experiments[0].guardAlarm),
      trips: ['unhealthy-tasks', 'errors'],
      schedule: 'cron(0 10 ? * TUE *)',
      runbook: id(ecsDay.runbook.document),
      verifies: {
        healthAlarm: id(orders.healthAlarm), detectionSeconds: orders.detectionTime.toSeconds(), response: id(orders.runbooks[0].document),
      },
      failedAlarm: id(ecsDay.failedAlarm),
    });
    expect(entries[0]).toMatchObject({ durationSeconds: 300, blastRadius: { percentage: 10, unit: 'invocations' } });
    expect(entries[0].schedule).toBeUndefined();
  });

  test('with requireGameDays, the check warns about an operated service no experiment targets, and only about it', () => {
    const checked = new OperationalExcellenceChecks(undefined, { requireGameDays: true }).validateScope(stack);
    const found = checked.violations.filter((v) => v.ruleName.includes('OperatedServiceHasGameDay'));
    expect(found.map((v) => [v.severity, v.violatingResources.map((r) => r.constructPath)])).toEqual([['warning', ['Shop/SearchFn/Resource']]]);
    const plain = new OperationalExcellenceChecks(undefined, {}).validateScope(stack.node.findChild('SearchFn'));
    expect(plain.violations.filter((v) => v.ruleName.includes('OperatedServiceHasGameDay'))).toEqual([]);
  });
});
