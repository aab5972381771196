import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  AlarmAction, AlarmPolicy, AlarmSeverity, GameDay, GameDayFault, Kpi, KpiBand, MaintenanceWindow, OperationalApi, OperationalFargateService,
  OperationalFunction, OperationalQueueWorker, OperationalService, OperationsHub, OperationsLog, RunbookLibrary, RunbookTrigger, ServiceDependency,
  ServiceLevelObjective, SloIndicator, SsmAutomationTarget, SsmAutomationTargetProps,
} from '../src';
import { complianceReport, Finding, findingLines, isOurs, Whose } from './support/compliance';
import { albFargateService, flat, plainFunction, strictApp } from './support/stacks';
import { EcsServiceKind } from '../src/services/ecs-kind';

const env = { account: '123456789012', region: 'us-east-1' };
const orders = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'OrdersPlaced', statistic: 'Sum', period: Duration.minutes(1) });

/** Every construct's defaults, and the documented settings, one stack each; all synthesized once. */
const scenarios: Record<string, (stack: Stack) => void> = {
  OperationalFunction: (stack) => {
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
  },
  OperationalFunctionWithSlo: (stack) => {
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), slo: { target: 99.9 } });
  },
  // The VPC, load balancer and listener are the user's (their findings are theirs); the cluster, service and the rest are cdk-opex's.
  OperationalFargateService: (stack) => {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const listener = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true })
      .addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(404) });
    new OperationalFargateService(stack, 'Storefront', { vpc, listener, image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') });
  },
  ServiceLevelObjective: (stack) => {
    new ServiceLevelObjective(stack, 'Slo', {
      serviceName: 'Checkout',
      target: 99.5,
      indicator: SloIndicator.availabilityFromErrors({
        errors: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Failed', statistic: 'Sum' }),
        total: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Requests', statistic: 'Sum' }),
      }),
    });
  },
  Kpi: (stack) => {
    new Kpi(stack, 'Orders', { serviceName: 'Checkout', kpiName: 'orders', metric: orders, band: KpiBand.below(5) });
    new Kpi(stack, 'Revenue', { serviceName: 'Checkout', kpiName: 'revenue', metric: orders, band: KpiBand.below(1), severity: AlarmSeverity.CRITICAL });
    new Kpi(stack, 'Visits', { serviceName: 'Catalog', kpiName: 'visits', metric: orders, band: KpiBand.below(1), severity: AlarmSeverity.INFO });
  },
  RunbookLibrary: (stack) => {
    const fn = plainFunction(stack, 'Fn');
    const service = ecs.FargateService.fromFargateServiceAttributes(stack, 'Svc', {
      serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/shop/checkout',
      cluster: ecs.Cluster.fromClusterArn(stack, 'Cluster', 'arn:aws:ecs:us-east-1:123456789012:cluster/shop'),
    });
    const topic = new sns.Topic(stack, 'Team', { enforceSSL: true });
    for (const runbook of [RunbookLibrary.lambdaDiagnostics(stack), RunbookLibrary.lambdaRollback(stack), RunbookLibrary.lambdaConcurrency(stack)]) {
      RunbookLibrary.allowLambda(runbook, fn);
    }
    for (const runbook of [RunbookLibrary.ecsForceNewDeployment(stack), RunbookLibrary.ecsScaleOut(stack), RunbookLibrary.ecsStoppedTasks(stack)]) {
      RunbookLibrary.allowEcsService(runbook, service);
    }
    RunbookLibrary.allowTopic(RunbookLibrary.notify(stack), topic);
    RunbookLibrary.createOpsItem(stack);
  },
  RunbookTrigger: (stack) => {
    new RunbookTrigger(stack, 'WeeklyReview', {
      runbook: RunbookLibrary.createOpsItem(stack),
      schedule: events.Schedule.rate(Duration.days(7)),
      parameters: { Title: ['Weekly operations review'], Description: ['Review last week\'s pages and runbook runs.'] },
    });
  },
  OperationsHub: (stack) => {
    new OperationsHub(stack, 'Ops');
  },
  OperationalQueueWorker: (stack) => {
    new OperationalQueueWorker(stack, 'OrderEvents', { lambdaFunction: plainFunction(stack, 'Fn') });
  },
  // The operations log, on, with the account's resource policy in the stack (a single-stack app), and a maintenance window.
  OperationsLog: (stack) => {
    OperationsLog.enable(stack, { createAccess: true });
    const svc = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    new MaintenanceWindow(stack, 'Patching', { alarms: [svc.healthAlarm], recurrence: cloudwatch.ScheduleExpression.cron({ minute: '0', hour: '2' }), duration: Duration.hours(1) });
  },
  // Documented settings: info and warning alarms notify a topic of the team's; they are still not pages.
  TopicForInfoAndWarning: (stack) => {
    const chat = new sns.Topic(stack, 'Chat', { enforceSSL: true });
    AlarmPolicy.set(stack, new AlarmPolicy({ info: [AlarmAction.topic(chat)], warning: [AlarmAction.topic(chat)] }));
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), slo: { target: 99.9 } });
    new Kpi(stack, 'Orders', { serviceName: 'Checkout', kpiName: 'orders', metric: orders, band: KpiBand.below(5) });
  },
  // Critical alarms open an OpsItem instead of notifying a topic.
  OpsItemForCritical: (stack) => {
    AlarmPolicy.set(stack, new AlarmPolicy({ critical: [AlarmAction.opsItem(OpsItemSeverity.CRITICAL)] }));
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
  },
  // An API in front of a function that depends on a table, with the API's defaults.
  OperationalApi: (stack) => {
    const table = new dynamodb.Table(stack, 'Orders', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const fn = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), dependencies: [ServiceDependency.dynamoDbTable(table)] });
    const api = new apigateway.RestApi(stack, 'Api', { restApiName: 'shop-api', cloudWatchRole: true });
    api.root.addMethod('POST', new apigateway.LambdaIntegration(fn.alias));
    new OperationalApi(stack, 'ShopApi', { restApi: api, backends: [fn], slo: { target: 99.9 } });
  },
  // Game days on a Lambda service (with the FIS extension) and an ECS service, one scheduled.
  GameDay: (stack) => {
    const checkout = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    new GameDay(stack, 'CheckoutGameDay', {
      service: checkout,
      installLambdaExtension: true,
      scenarios: [
        { name: 'errors', fault: GameDayFault.LAMBDA_INVOCATION_ERROR }, { name: 'slow', fault: GameDayFault.LAMBDA_INVOCATION_DELAY },
      ],
    });
    const { service, targetGroup, loadBalancer } = albFargateService(stack);
    const fulfilment = new OperationalService(stack, 'Orders', { kind: new EcsServiceKind({ service, targetGroup, loadBalancer }) });
    new GameDay(stack, 'OrdersGameDay', {
      service: fulfilment,
      enableSchedule: true,
      scenarios: [{ name: 'stop-tasks', fault: GameDayFault.ECS_STOP_TASKS, schedule: {} }],
    });
  },
  // The helper can fail: an alarm without actions, added under an OperationalFunction, is cdk-opex's to fix;
  // an unencrypted topic next to it is the user's.
  NonCompliant: (stack) => {
    const svc = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    new cloudwatch.Alarm(svc, 'Silent', { metric: orders, threshold: 1, evaluationPeriods: 1 });
    new sns.Topic(stack, 'Plain');
  },
};

const app = strictApp();
const stacks = Object.fromEntries(Object.entries(scenarios).map(([id, build]) => {
  const stack = new Stack(app, id, { env });
  build(stack);
  return [id, stack];
}));
const names = Object.keys(stacks);
let ours: Record<string, Finding[]>;
let users: Record<string, Finding[]>;

beforeAll(() => {
  const all = complianceReport(names.map((n) => stacks[n]), { whose: Whose.ALL });
  ours = Object.fromEntries(names.map((n, i) => [n, all[i].filter((f) => f.ours)]));
  users = Object.fromEntries(names.map((n, i) => [n, all[i].filter((f) => !f.ours)]));
});

const compliant = names.filter((n) => n !== 'NonCompliant');

describe('Control Tower, the five cdk-nag packs and OperationalExcellenceChecks', () => {
  test.each(compliant)('%s: zero unacknowledged findings on the resources cdk-opex creates', (name) => {
    expect(findingLines(ours[name])).toEqual([]);
  });

  test('the helper can fail: a non-compliant resource under a cdk-opex construct is reported as ours, one beside it as the user\'s', () => {
    const rules = new Set(ours.NonCompliant.map((f) => `${f.pack} ${f.rule} ${f.path}`));
    expect(rules).toContain('ControlTower cloudwatch_alarm_action_check NonCompliant/Checkout/Silent/Resource');
    expect(rules).toContain('NIST.800.53.R5 NIST.800.53.R5-CloudWatchAlarmAction NonCompliant/Checkout/Silent/Resource');
    expect(rules).toContain('OPEX OPEX-AlarmHasAction NonCompliant/Checkout/Silent/Resource');
    expect(ours.NonCompliant.every((f) => f.path === 'NonCompliant/Checkout/Silent/Resource')).toBe(true);
    const theirs = new Set(users.NonCompliant.map((f) => `${f.pack} ${f.rule} ${f.path}`));
    expect(theirs).toContain('AwsSolutions AwsSolutions-SNS3 NonCompliant/Plain/Resource');
    expect(theirs).toContain('ControlTower lambda_inside_vpc_check NonCompliant/Fn/Resource');
  });
});

describe('managed services only', () => {
  test.each(names)('%s: cdk-opex creates no Lambda function and no custom resource', (name) => {
    const stack = stacks[name];
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
    const appFunctions = stack.node.findAll().filter((c) => c.node.id === 'Fn').map((fn) => stack.getLogicalId(fn.node.defaultChild as any));
    const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function').map(([id]) => id);
    expect(functions.filter((id) => !appFunctions.includes(id))).toEqual([]);
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::CloudFormation::CustomResource' || r.Type.startsWith('Custom::'))).toEqual([]);
  });
});

describe('no response is lost', () => {
  test.each(names)('%s: every EventBridge target that starts a runbook retries, then dead-letters to the hub\'s queue', (name) => {
    const stack = stacks[name];
    const t = Template.fromStack(stack);
    const rules = Object.values(t.findResources('AWS::Events::Rule')) as any[];
    const targets = rules.flatMap((r) => r.Properties.Targets).filter((target: any) => flat(target.Arn).includes(':automation-definition/'));
    const hub = stack.node.tryFindChild('CdkOpexOperations') as OperationsHub | undefined;
    if (targets.length === 0) return;
    const dlq = stack.getLogicalId(hub!.responseDeadLetterQueue.node.defaultChild as any);
    for (const target of targets) {
      expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 900 });
      expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } });
    }
  });

  test('the dead-letter queue is encrypted with the hub\'s key, SSL-only, kept 14 days, and open to this account\'s rules only', () => {
    const stack = stacks.OperationalFunction;
    const hub = OperationsHub.of(stack);
    const t = Template.fromStack(stack);
    const queueId = stack.getLogicalId(hub.responseDeadLetterQueue.node.defaultChild as any);
    t.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(hub.topicKey.node.defaultChild as any), 'Arn'] },
      MessageRetentionPeriod: 14 * 86_400,
      RedriveAllowPolicy: { redrivePermission: 'allowAll' },
    });
    const [policy] = Object.values(t.findResources('AWS::SQS::QueuePolicy')) as any[];
    expect(policy.Properties.Queues).toEqual([{ Ref: queueId }]);
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(expect.objectContaining({
      Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
    const send = statements.find((s: any) => s.Action === 'sqs:SendMessage');
    expect(send.Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(send.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '123456789012' });
    expect(flat(send.Condition.ArnLike['aws:SourceArn'])).toBe('arn:<AWS::Partition>:events:us-east-1:123456789012:rule/*');
  });

  test('a message in the dead-letter queue takes the policy\'s critical actions, is on the dashboard and opens an OpsItem', () => {
    const stack = stacks.OperationalFunction;
    const hub = OperationsHub.of(stack);
    const t = Template.fromStack(stack);
    const alarmId = stack.getLogicalId(hub.responseDeadLetterAlarm!.node.defaultChild as any);
    const alarm = t.toJSON().Resources[alarmId].Properties;
    expect(alarm).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: stack.getLogicalId(hub.alarmTopic.node.defaultChild as any) }],
    });
    const body = JSON.stringify(t.toJSON().Resources[stack.getLogicalId(hub.dashboards[0].node.defaultChild as any)].Properties.DashboardBody);
    expect(body).toContain(alarmId);
    const rules = Object.values(t.findResources('AWS::Events::Rule')) as any[];
    expect(rules.some((r) => JSON.stringify(r.Properties.EventPattern).includes(alarmId))).toBe(true);
  });

  test('under a policy whose critical action is an OpsItem, the dead-letter alarm opens one', () => {
    const stack = stacks.OpsItemForCritical;
    const alarm = OperationsHub.of(stack).responseDeadLetterAlarm!;
    const props = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(alarm.node.defaultChild as any)].Properties;
    expect(props.AlarmActions.map(flat)).toEqual(['arn:<AWS::Partition>:ssm:us-east-1:123456789012:opsitem:1#CATEGORY=Availability']);
    // The OpsItem is the record already: no runbook opens a second one.
    expect(OperationsHub.of(stack).node.tryFindChild('OnUndeliveredResponse')).toBeUndefined();
  });

  test('a target may name its own dead-letter queue and retries; out-of-range retries or event age fail at synth', () => {
    const stack = new Stack(strictApp(), 'Own', { env });
    const queue = new sqs.Queue(stack, 'MyDlq', { enforceSSL: true });
    const runbook = RunbookLibrary.createOpsItem(stack);
    const rule = new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.days(1)) });
    rule.addTarget(new SsmAutomationTarget(runbook, {
      parameters: { Title: ['t'], Description: ['d'] }, deadLetterQueue: queue, retryAttempts: 0, maxEventAge: Duration.hours(1),
    }));
    const [target] = (Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(rule.node.defaultChild as any)].Properties.Targets);
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 3600 });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as any), 'Arn'] } });
    const bad = (props: Partial<SsmAutomationTargetProps>) => () => new events.Rule(stack, `Bad${Math.random()}`.replace('.', ''), {
      schedule: events.Schedule.rate(Duration.days(1)),
      targets: [new SsmAutomationTarget(runbook, { parameters: { Title: ['t'], Description: ['d'] }, ...props })],
    });
    expect(bad({ retryAttempts: 186 })).toThrow(/invalid `retryAttempts`: EventBridge retries 0 to 185 times \(got 186\)/);
    expect(bad({ retryAttempts: 1.5 })).toThrow(/invalid `retryAttempts`/);
    expect(bad({ maxEventAge: Duration.seconds(30) })).toThrow(/invalid `maxEventAge`: EventBridge keeps an event 60 to 86,400 seconds \(got 30 s\)/);
    expect(bad({ maxEventAge: Duration.hours(25) })).toThrow(/invalid `maxEventAge`/);
  });

  test('signal alarms record to the signal topic, which pages no one; the health alarm pages on the alarm topic', () => {
    const stack = stacks.OperationalFunction;
    const hub = OperationsHub.of(stack);
    const svc = stack.node.findChild('Checkout') as OperationalFunction;
    const t = Template.fromStack(stack).toJSON().Resources;
    const signalTopic = { Ref: stack.getLogicalId(hub.signalTopic.node.defaultChild as any) };
    for (const a of svc.alarms) {
      const p = t[stack.getLogicalId(a.node.defaultChild as any)].Properties;
      expect(p.AlarmActions).toEqual([signalTopic]);
      expect(p.OKActions).toEqual([signalTopic]);
    }
    expect(t[stack.getLogicalId(svc.healthAlarm.node.defaultChild as any)].Properties.AlarmActions)
      .toEqual([{ Ref: stack.getLogicalId(hub.alarmTopic.node.defaultChild as any) }]);
    const topic = t[stack.getLogicalId(hub.signalTopic.node.defaultChild as any)].Properties;
    expect(topic.KmsMasterKeyId).toBeDefined();
    expect(topic.Tags).toContainEqual({ Key: 'cdk-opex:pages', Value: 'false' });
  });

  test('the topic key lets only AWS services create grants (CT.KMS.PR.3)', () => {
    const stack = stacks.OperationalFunction;
    const key = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(OperationsHub.of(stack).topicKey.node.defaultChild as any)];
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });
});

test('isOurs: resources under cdk-opex constructs are ours, the app\'s function is not', () => {
  const stack = stacks.OperationalFunction;
  expect(isOurs(stack.node.findChild('Fn'))).toBe(false);
  expect(isOurs(OperationsHub.of(stack).alarmTopic)).toBe(true);
  expect(isOurs((stack.node.findChild('Checkout') as OperationalFunction).alias)).toBe(true);
});
