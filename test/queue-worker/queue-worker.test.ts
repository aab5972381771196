import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { MockAwsEnvironment, OperationalQueueWorker, Runbook, RunbookSimulator, SimulationStatus } from '../../src';
import { readCatalog } from '../../src/report/catalog';
import { reportFromAssembly } from '../../src/report/write';
import { QUEUE_WORKER_DEFAULTS } from '../../src/services/sqs';
import { stackIn, strictAppInTempDir } from '../report/support';
import { matches } from '../support/event-pattern';
import { API_ACTIONS, apiStepProblems } from '../support/service-models';
import { dashboardBody, fixtureEvent, flat, plainFunction } from '../support/stacks';

// One app, synthesized once: a worker with every default, and one on the app team's own KMS-encrypted queue.
const { app, outdir } = strictAppInTempDir();
const stack = stackIn(app, 'Shop');
const orders = new OperationalQueueWorker(stack, 'OrderEvents', { lambdaFunction: plainFunction(stack, 'OrdersFn') });
const key = new kms.Key(stack, 'PaymentsKey', { enableKeyRotation: true });
const paymentsDlq = new sqs.Queue(stack, 'PaymentsDlq', { encryptionMasterKey: key, retentionPeriod: Duration.days(14) });
const paymentsQueue = new sqs.Queue(stack, 'PaymentsQueue', {
  encryptionMasterKey: key, visibilityTimeout: Duration.seconds(30), deadLetterQueue: { queue: paymentsDlq, maxReceiveCount: 5 },
});
const payments = new OperationalQueueWorker(stack, 'Payments', { lambdaFunction: plainFunction(stack, 'PaymentsFn'), queue: paymentsQueue });
const assembly = app.synth();
const t = Template.fromJSON(assembly.getStackByName('Shop').template);
const resources = t.toJSON().Resources as Record<string, any>;
const id = (c: any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);
const alarm = (signal: string, service = 'OrderEvents', severity = 'info') =>
  Object.values(t.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: `Shop-${service}-${signal}-${severity}` } }))[0] as any;
const runbook = (worker: OperationalQueueWorker, name: string) => worker.runbooks.find((r) => r.node.id === name)!;
const policyOf = (r: Runbook) => Object.values(resources).filter((x) => x.Type === 'AWS::IAM::Policy'
  && x.Properties.Roles.some((role: any) => role.Ref === id(r.role))).flatMap((p) => p.Properties.PolicyDocument.Statement);
const statementFor = (r: Runbook, action: string) => policyOf(r).find((s: any) => [s.Action].flat().includes(action));

describe('the consumer is fed through its live alias', () => {
  test('the event source mapping is on the alias, reads the queue in batches of 10 and reports batch item failures', () => {
    const [mapping] = Object.values(t.findResources('AWS::Lambda::EventSourceMapping')).filter((m: any) =>
      flat(m.Properties.EventSourceArn) === flat({ 'Fn::GetAtt': [id(orders.queue), 'Arn'] }));
    expect(JSON.stringify((mapping as any).Properties.FunctionName)).toContain(`{"Ref":"${id(orders.alias)}"}`);
    expect(flat((mapping as any).Properties.FunctionName)).toMatch(/:live$/);
    expect((mapping as any).Properties).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  test('the consumer is rolled out by the canary, rolled back by every signal alarm except dead letters', () => {
    const group = resources[id(orders.deploymentGroup)].Properties;
    expect(group.DeploymentConfigName).toBe('CodeDeployDefault.LambdaCanary10Percent5Minutes');
    const names = group.AlarmConfiguration.Alarms.map((a: any) => a.Name.Ref);
    expect(names).toEqual(['errors', 'latency', 'throttles', 'message-age', 'item-failures'].map((s) => id(orders.alarms.find((a) =>
      resources[id(a)].Properties.AlarmName === `Shop-OrderEvents-${s}-info`)!)));
  });
});

describe('the queue and its dead-letter queue', () => {
  test('created: SQS-managed encryption, SSL only, visibility 6x the 10 s timeout, 3 receives, DLQ kept 14 days', () => {
    const queue = resources[id(orders.queue)].Properties;
    const dlq = resources[id(orders.deadLetterQueue)].Properties;
    expect(queue).toMatchObject({ SqsManagedSseEnabled: true, VisibilityTimeout: 60, MessageRetentionPeriod: 345600 });
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [id(orders.deadLetterQueue), 'Arn'] }, maxReceiveCount: 3 });
    expect(dlq).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600, RedriveAllowPolicy: { redrivePermission: 'allowAll' } });
    for (const q of [orders.queue, orders.deadLetterQueue]) {
      const policy = Object.values(t.findResources('AWS::SQS::QueuePolicy')).find((p: any) => p.Properties.Queues[0].Ref === id(q)) as any;
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
        Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
      expect(resources[id(q)].Properties.Tags).toContainEqual({ Key: 'service', Value: 'OrderEvents' });
    }
  });

  test('given: the app\'s queue and its own dead-letter queue are used, not copied', () => {
    expect(payments.queue).toBe(paymentsQueue);
    expect(payments.deadLetterQueue).toBe(paymentsDlq);
    // The two of OrderEvents, the two of the app's, and the hub's response dead-letter queue.
    expect(Object.keys(t.findResources('AWS::SQS::Queue'))).toHaveLength(5);
  });
});

describe('signals: metrics, periods, datapoints', () => {
  const queueName = (q: sqs.IQueue) => ({ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(q), 'QueueName'] } });
  /** The one metric an alarm reads, whether rendered as a metric or as a one-metric list. */
  const stat = (a: any) => {
    const p = a.Properties;
    if (p.Metrics) return p.Metrics[0].MetricStat;
    const metric = { MetricName: p.MetricName, Namespace: p.Namespace, Dimensions: p.Dimensions };
    return { Metric: metric, Period: p.Period, Stat: p.Statistic ?? p.ExtendedStatistic };
  };

  test('age of the oldest message against the 30 s budget, and any dead letter, measured once a minute', () => {
    expect(alarm('message-age').Properties).toMatchObject({
      Threshold: 30, EvaluationPeriods: 3, DatapointsToAlarm: 2, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching',
    });
    expect(stat(alarm('message-age'))).toEqual({
      Metric: {
        MetricName: 'ApproximateAgeOfOldestMessage',
        Namespace: 'AWS/SQS',
        Dimensions: [queueName(orders.queue)],
      },
      Period: 60,
      Stat: 'Maximum',
    });
    expect(alarm('dead-letters').Properties.Threshold).toBe(1);
    expect(stat(alarm('dead-letters'))).toEqual({
      Metric: {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [queueName(orders.deadLetterQueue)],
      },
      Period: 60,
      Stat: 'Maximum',
    });
    expect(stat(alarm('dead-letters', 'Payments')).Metric.Dimensions).toEqual([queueName(paymentsDlq)]);
  });

  test('item failures: received messages not deleted, in percent of received', () => {
    const p = alarm('item-failures').Properties;
    expect(p.Threshold).toBe(5);
    expect(p.Metrics.find((m: any) => m.ReturnData !== false).Expression).toBe('IF(received > 0, 100 * (received - FILL(deleted, 0)) / received, 0)');
    expect(p.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Period]))
      .toEqual([['received', 'NumberOfMessagesReceived', 60], ['deleted', 'NumberOfMessagesDeleted', 60]]);
  });

  test('the consumer\'s errors, throttles and duration are the Lambda kind\'s, on the alias', () => {
    const onAlias = { Name: 'Resource', Value: { 'Fn::Join': ['', [{ Ref: id(orders.node.scope!.node.findChild('OrdersFn')) }, ':live']] } };
    expect(stat(alarm('throttles')).Metric).toMatchObject({ MetricName: 'Throttles', Dimensions: expect.arrayContaining([onAlias]) });
    // p99 Duration on the alias (and, during a canary, on the new version alone: the Lambda kind's metric math)
    const durations = alarm('latency').Properties.Metrics.filter((m: any) => m.MetricStat?.Metric.MetricName === 'Duration');
    expect(durations.map((m: any) => m.MetricStat.Stat)).toEqual(['p99', 'p99']);
    expect(durations[0].MetricStat.Metric.Dimensions).toEqual(expect.arrayContaining([onAlias]));
    expect(alarm('latency').Properties.Threshold).toBe(8000);
  });

  test('the health alarm is any of the six signal alarms; the backlog warning pages no one and is not part of it', () => {
    const health = resources[id(orders.healthAlarm)].Properties;
    expect(orders.alarms).toHaveLength(7);
    const paging = orders.alarms.filter((a) => a !== orders.backlogAlarm);
    expect(paging).toHaveLength(6);
    for (const a of paging) expect(flat(health.AlarmRule)).toContain(`<${id(a)}.Arn>`);
    expect(orders.signalAlarm('backlog')).toBe(orders.backlogAlarm);
    // Each says what it does: dead letters page but roll nothing back; the backlog is a warning.
    expect(alarm('dead-letters').Properties.AlarmDescription).toMatch(/health alarm, which pages\.$/);
    expect(alarm('errors').Properties.AlarmDescription).toMatch(/which pages, and rolls back a deployment in progress\.$/);
    expect(alarm('backlog', 'OrderEvents', 'warning').Properties.AlarmDescription).toMatch(/A warning: .* never part of the health alarm\.$/);
    const backlog = alarm('backlog', 'OrderEvents', 'warning').Properties;
    expect(backlog.Threshold).toBe(1000);
    expect(stat({ Properties: backlog }).Metric.MetricName).toBe('ApproximateNumberOfMessagesVisible');
    expect(flat(health.AlarmRule)).not.toContain(`<${id(orders.backlogAlarm)}.Arn>`);
  });

  test('a stalled consumer is detected within 180 s: whatever the phase of SQS\'s 1-minute sampling', () => {
    expect(orders.detectionTime.toSeconds()).toBe(180);
    const budget = QUEUE_WORKER_DEFAULTS.processingTimeBudget.toSeconds();
    // The consumer stalls at 0 s; SQS samples at phase, phase + 60, ...: the oldest message's age at a sample is its time.
    const secondBreach = (phase: number) => [0, 1, 2, 3, 4].map((k) => phase + 60 * k).filter((at) => at >= budget)[1];
    const worst = Math.max(...Array.from({ length: 60 }, (_, phase) => secondBreach(phase)));
    expect(worst).toBeLessThanOrEqual(150); // 2 breaching datapoints; SQS's publish delay fits in the 30 s left
  });
});

test('the dashboard section: the consumer\'s graphs, then the queue\'s, and every alarm\'s state, the backlog warning\'s included', () => {
  const [dashboard] = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
  const widgets = dashboardBody(dashboard).widgets.map((w: any) => w.properties);
  const titles = widgets.map((w: any) => w.title).filter((x: any) => x?.startsWith('OrderEvents:'));
  expect(titles).toEqual(expect.arrayContaining(['OrderEvents: errors', 'OrderEvents: age of oldest message (s)', 'OrderEvents: backlog',
    'OrderEvents: received, not deleted (%)', 'OrderEvents: dead letters']));
  const status = widgets.find((w: any) => w.title === 'OrderEvents: alarms');
  expect(status.alarms).toHaveLength(8);
  expect(flat((dashboard as any).Properties.DashboardBody)).toContain(`<${id(orders.backlogAlarm)}.Arn>`);
});

describe('responses', () => {
  test('diagnostics start on unhealthy, from the health alarm\'s state change event, with the queue\'s and consumer\'s ids', () => {
    const rule = resources[id(orders.responseRules[0])].Properties;
    const pattern = JSON.parse(JSON.stringify(rule.EventPattern).replace(/\{"Fn::GetAtt":\["[A-Za-z0-9]+","Arn"\]\}/g,
      '"arn:aws:cloudwatch:us-east-1:123456789012:alarm:Shop-OrderEvents-health-critical"'));
    const event = fixtureEvent('cloudwatch-alarm-state-change-composite.json');
    const named = (name: string, state: string) => ({
      ...event,
      resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`],
      detail: { ...event.detail, alarmName: name, state: { ...event.detail.state, value: state } },
    });
    expect(matches(pattern, named('Shop-OrderEvents-health-critical', 'ALARM'))).toBe(true);
    expect(matches(pattern, named('Shop-OrderEvents-health-critical', 'OK'))).toBe(false);
    expect(matches(pattern, named('Shop-Payments-health-critical', 'ALARM'))).toBe(false);
    const input = flat(rule.Targets[0].InputTransformer.InputTemplate);
    expect(input).toContain(`"QueueUrl":["<${id(orders.queue)}>"]`);
    expect(input).toContain(`"DeadLetterQueueUrl":["<${id(orders.deadLetterQueue)}>"]`);
    expect(input).toContain(`"EventSourceMappingId":["<${id(orders.eventSourceMapping)}>"]`);
  });

  test('runbook IAM is scoped to these queues, dead-letter queues, event source mappings and the app\'s queue key', () => {
    const arns = (...qs: sqs.IQueue[]) => qs.map((q) => ({ 'Fn::GetAtt': [id(q), 'Arn'] }));
    const diagnostics = runbook(orders, 'SqsDiagnostics');
    expect(statementFor(diagnostics, 'lambda:GetEventSourceMapping').Resource).toHaveLength(2);
    const read = policyOf(diagnostics).filter((s: any) => [s.Action].flat().includes('sqs:GetQueueAttributes'));
    const everyQueue = arns(orders.queue, orders.deadLetterQueue, paymentsQueue, paymentsDlq);
    expect(read.flatMap((s: any) => [s.Resource].flat())).toEqual(expect.arrayContaining(everyQueue));
    expect(policyOf(diagnostics).filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('kms:')))).toEqual([]);
    const redrive = runbook(orders, 'SqsRedrive');
    const start = statementFor(redrive, 'sqs:StartMessageMoveTask');
    expect([start.Action].flat().sort()).toEqual(['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ListMessageMoveTasks',
      'sqs:ReceiveMessage', 'sqs:StartMessageMoveTask']);
    expect([start.Resource].flat()).toEqual(arns(orders.deadLetterQueue, paymentsDlq));
    expect([statementFor(redrive, 'sqs:SendMessage').Resource].flat()).toEqual(arns(orders.queue, paymentsQueue));
    const kmsStatements = policyOf(redrive).filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('kms:')));
    expect(kmsStatements.flatMap((s: any) => [s.Resource].flat())).toEqual(kmsStatements.map(() => ({ 'Fn::GetAtt': [id(key), 'Arn'] })));
    expect([...new Set(kmsStatements.flatMap((s: any) => [s.Action].flat()))].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    for (const r of [diagnostics, redrive]) {
      expect(policyOf(r).filter((s: any) => [s.Resource].flat().includes('*')).flatMap((s: any) => [s.Action].flat())).toEqual(['ssm:CreateOpsItem'].slice(0, r === diagnostics ? 1 : 0));
    }
  });

  test('the runbooks\' API calls exist in AWS\'s service models', () => {
    for (const r of [runbook(orders, 'SqsDiagnostics'), runbook(orders, 'SqsRedrive')]) {
      const steps = (r.document.content as any).mainSteps.filter((s: any) => API_ACTIONS.has(s.action));
      expect(steps.map((s: any) => `${s.inputs.Service}.${s.inputs.Api}`).length).toBeGreaterThan(1);
      expect(steps.flatMap(apiStepProblems)).toEqual([]);
    }
  });
});

describe('the redrive runbook, simulated', () => {
  const simulator = RunbookSimulator.fromRunbook(runbook(orders, 'SqsRedrive'));
  const parameters = {
    QueueArn: 'arn:aws:sqs:us-east-1:123456789012:orders',
    DeadLetterQueueArn: 'arn:aws:sqs:us-east-1:123456789012:orders-dlq',
    DeadLetterQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq',
    Approvers: ['arn:aws:iam::123456789012:role/oncall'],
  };
  const env = () => new MockAwsEnvironment().onApi('sqs', 'GetQueueAttributes', { Attributes: { ApproximateNumberOfMessages: '42' } })
    .onApi('sqs', 'StartMessageMoveTask', { TaskHandle: 'task-1' });
  const task = (Status: string) => ({ Results: [{ Status, SourceArn: parameters.DeadLetterQueueArn, ApproximateNumberOfMessagesMoved: 42 }] });

  test('success: approved, the move starts from the DLQ to the queue, and the runbook waits until it COMPLETED', () => {
    const aws = env().approveAll().onApi('sqs', 'ListMessageMoveTasks', task('RUNNING')).onApi('sqs', 'ListMessageMoveTasks', task('RUNNING'))
      .onApi('sqs', 'ListMessageMoveTasks', task('COMPLETED'));
    const result = simulator.run({ environment: aws, parameters });
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(result.stepNames).toEqual(['CountDeadLetters', 'Approve', 'StartRedrive', 'WaitForRedrive', 'ConfirmCompleted']);
    expect(aws.callsTo('sqs', 'StartMessageMoveTask')[0].parameters).toEqual({ SourceArn: parameters.DeadLetterQueueArn, DestinationArn: parameters.QueueArn });
    expect(aws.callsTo('sqs', 'ListMessageMoveTasks').length).toBeGreaterThanOrEqual(3);
    expect(result.outputs).toEqual({ 'CountDeadLetters.Messages': '42', 'StartRedrive.TaskHandle': 'task-1' });
  });

  test('approval denied: nothing moves', () => {
    const aws = env().deny('Approve');
    const result = simulator.run({ environment: aws, parameters });
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.stepNames).toEqual(['CountDeadLetters', 'Approve']);
    expect(aws.callsTo('sqs', 'StartMessageMoveTask')).toEqual([]);
  });

  test.each(['FAILED', 'CANCELLED'])('move task %s: the runbook fails, it does not wait out its timeout', (status) => {
    const aws = env().approveAll().onApi('sqs', 'ListMessageMoveTasks', task('RUNNING')).onApi('sqs', 'ListMessageMoveTasks', task(status));
    const result = simulator.run({ environment: aws, parameters });
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.steps.at(-1)).toMatchObject({ name: 'ConfirmCompleted', status: SimulationStatus.FAILED });
    expect(result.steps.at(-1)!.failureMessage).toContain(status);
    expect(result.elapsedSeconds).toBeLessThan(600);
  });

  test('the diagnostics runbook records queue, dead letters and the consumer\'s state on an OpsItem', () => {
    const aws = new MockAwsEnvironment()
      .onApi('sqs', 'GetQueueAttributes', { Attributes: { ApproximateNumberOfMessages: '900', ApproximateNumberOfMessagesNotVisible: '10', VisibilityTimeout: '60' } })
      .onApi('sqs', 'GetQueueAttributes', { Attributes: { ApproximateNumberOfMessages: '3' } })
      .onApi('lambda', 'GetAlias', { FunctionVersion: '7' })
      .onApi('lambda', 'GetEventSourceMapping', { State: 'Disabled', StateTransitionReason: 'USER_INITIATED' })
      .onApi('ssm', 'CreateOpsItem', { OpsItemId: 'oi-1' });
    const result = RunbookSimulator.fromRunbook(runbook(orders, 'SqsDiagnostics')).run({
      environment: aws,
      parameters: {
        QueueUrl: 'q', DeadLetterQueueUrl: 'dlq', FunctionName: 'orders', EventSourceMappingId: 'uuid-1', ServiceName: 'OrderEvents',
      },
    });
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(aws.callsTo('ssm', 'CreateOpsItem')[0].parameters.Description).toMatch(/900 messages waiting.*\n.*3 messages.*\n.*version 7.*Disabled \(USER_INITIATED\)/);
  });
});

test('the catalog lists each worker as kind queue-worker, with the 16 resources under it and its responses', () => {
  const catalog = readCatalog(assembly.getStackByName('Shop').template)!;
  const entry = catalog.services.find((e) => e.name === 'OrderEvents')!;
  expect(entry).toMatchObject({ kind: 'queue-worker', path: 'Shop/OrderEvents', detectionSeconds: 180, resources: 16 });
  expect(entry.responses!.map((r) => [r.runbook.replace(/Document[0-9A-F]{8}$/, ''), r.automatic])).toEqual([
    ['CdkOpexOperationsSqsDiagnostics', true], ['CdkOpexOperationsSqsRedrive', false], ['CdkOpexOperationsLambdaDiagnostics', false],
    ['CdkOpexOperationsLambdaRollback', false], ['CdkOpexOperationsLambdaConcurrency', false],
  ]);
});

describe('the readiness report shows each queue worker as one service', () => {
  const report = reportFromAssembly(outdir);
  const services = report.stacks[0].services;

  test('one service per worker: its function, queue and dead-letter queue; no separate queue service', () => {
    expect(services.map((s) => [s.name, s.kind, s.source])).toEqual([['OrderEvents', 'queue-worker', 'catalog'], ['Payments', 'queue-worker', 'catalog']]);
    const [o, p] = services;
    expect(o.members.sort()).toEqual([id(orders.queue), id(orders.deadLetterQueue), o.logicalId].sort());
    expect(p.members.sort()).toEqual([id(paymentsQueue), id(paymentsDlq), p.logicalId].sort());
    expect(o.resourceType).toBe('AWS::Lambda::Function');
  });

  test('with its rollout, runbooks, detection and cost', () => {
    const [o] = services;
    expect(o.deployment).toMatchObject({ applicable: true, rolloutType: 'canary', rollbackOnAlarm: true });
    expect(o.deployment.rollbackAlarms).toHaveLength(5);
    expect(o.detection.seconds).toBe(180);
    const runbooks = o.runbooks.map((r) => [r.documentName.replace(/[0-9A-F]{8}$/, ''), r.automatic]);
    expect(runbooks).toEqual(expect.arrayContaining([[expect.stringContaining('SqsDiagnostics'), true], [expect.stringContaining('SqsRedrive'), false]]));
    expect(o.alarms.count).toBe(8); // 6 signals, the backlog warning, the health alarm
    expect(o.alarms.paging).toBe(1);
    expect(o.cost.monthlyUsd).toBeGreaterThan(0);
  });
});
