import { Duration, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as events from 'aws-cdk-lib/aws-events';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { row, stackIn, strictAppInTempDir } from './support';
import { analyzeAssembly } from '../../src/report/analyze';
import { reportFromAssembly } from '../../src/report/write';
import { plainFunction } from '../support/stacks';

describe('readiness report of a plain CDK app (no cdk-opex construct)', () => {
  function synthesizePlainApp() {
    const { app, outdir } = strictAppInTempDir();
    const stack = stackIn(app, 'Plain');
    const orders = plainFunction(stack, 'Orders');
    const billing = plainFunction(stack, 'Billing');
    new sqs.Queue(stack, 'Jobs', { enforceSSL: true });
    new cloudwatch.Alarm(stack, 'OrdersErrors', {
      metric: orders.metricErrors({ period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    app.synth();
    return { report: reportFromAssembly(outdir), billing, orders, stack };
  }
  const { report, orders, billing, stack } = synthesizePlainApp();
  const [plain] = report.stacks;
  const byName = (name: string) => plain.services.find((s) => s.name === name)!;

  test('lists the two functions and the queue as services', () => {
    expect(plain.catalog).toBe(false);
    expect(plain.services.map((s) => [s.name, s.kind, s.source])).toEqual([
      ['Orders', 'lambda', 'template'],
      ['Billing', 'lambda', 'template'],
      ['Jobs', 'sqs', 'template'],
    ]);
    expect(byName('Orders').logicalId).toBe(stack.getLogicalId(orders.node.defaultChild as lambda.CfnFunction));
    expect(byName('Billing').logicalId).toBe(stack.getLogicalId(billing.node.defaultChild as lambda.CfnFunction));
  });

  test('links the alarm to the function it measures; it pages nobody, so detection is null', () => {
    const o = byName('Orders');
    expect(o.alarms).toMatchObject({ count: 1, paging: 0 });
    expect(o.alarms.items[0]).toMatchObject({ alarmType: 'metric', pages: false, actions: [], detectionSeconds: 120, monthlyUsd: 0.1 });
    expect(o.detection.seconds).toBeUndefined();
    expect(o.detection.basis).toMatch(/pages anyone/);
    expect(byName('Billing').alarms.count).toBe(0);
  });

  test('reports the gaps of each function', () => {
    for (const name of ['Orders', 'Billing']) {
      const s = byName(name);
      expect(s.deployment).toMatchObject({ applicable: true, deploymentGroup: undefined, rollbackOnAlarm: false });
      expect(s.deployment.strategy).toMatch(/^all at once/);
      expect(s.runbooks).toEqual([]);
      expect(s.owner).toEqual({ service: undefined, team: undefined });
      expect(s.findings).toEqual(expect.arrayContaining([
        'OPS02-BP01', 'OPS04-BP05', 'OPS06-BP03', 'OPS06-BP04', 'OPS07-BP03', 'OPS08-BP04', 'OPS08-BP05', 'OPS10-BP02', 'OPS10-BP07', 'REL12-BP05',
      ]));
    }
    expect(row(byName('Orders'), 'OPS04-BP02').status).toBe('met');
    expect(row(byName('Billing'), 'OPS04-BP02')).toMatchObject({ status: 'not met', reason: 'no alarm watches its metrics' });
    expect(row(byName('Orders'), 'OPS08-BP04').reason).toBe('1 alarm(s), none pages anyone or opens a ticket');
  });

  test('a queue has no deployment or tracing to judge', () => {
    const jobs = byName('Jobs');
    expect(jobs.deployment.applicable).toBe(false);
    for (const id of ['OPS04-BP05', 'OPS06-BP03', 'OPS06-BP04']) expect(row(jobs, id).status).toBe('not applicable');
    expect(jobs.findings).toContain('OPS08-BP04');
  });

  test('costs only the alarm: no dashboard, no key', () => {
    expect(plain.cost).toEqual({ monthlyUsd: 0.1, lines: [expect.objectContaining({ item: 'standard-alarm-metrics', quantity: 1 })] });
    expect(report.summary).toMatchObject({ stacks: 1, services: 3, monthlyUsd: 0.1, monthlyUsdBeyondFreeTier: 0.1 });
    expect(report.summary.findings).toBe(plain.services.reduce((n, s) => n + s.findings.length, 0));
  });
});

describe('linking by references in a hand-written operational setup', () => {
  /** A function with paging, rollback, a runbook started by its alarm, a game day and a dashboard, all by hand. */
  function handWritten(): Stack {
    const { app } = strictAppInTempDir();
    const stack = stackIn(app, 'Hand');
    const fn = new lambda.Function(stack, 'Api', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      tracing: lambda.Tracing.ACTIVE,
    });
    Tags.of(fn).add('service', 'api');
    Tags.of(fn).add('team', 'core');
    const topic = new sns.Topic(stack, 'Pager', { enforceSSL: true });
    const errors = new cloudwatch.Alarm(stack, 'ApiErrors', {
      alarmName: 'api-errors',
      alarmDescription: 'Errors on the API. Check the last deployment.',
      metric: fn.metricErrors({ period: Duration.seconds(10) }), // high resolution
      threshold: 1,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    const slow = new cloudwatch.Alarm(stack, 'ApiSlow', {
      metric: fn.metricDuration({ period: Duration.minutes(5) }),
      threshold: 1000,
      evaluationPeriods: 2,
    });
    const both = new cloudwatch.CompositeAlarm(stack, 'ApiBoth', {
      compositeAlarmName: 'api-both',
      alarmDescription: 'Errors and slow at once. Roll back.',
      alarmRule: cloudwatch.AlarmRule.allOf(errors, slow),
    });
    both.addAlarmAction(new cw_actions.SnsAction(topic));
    new cloudwatch.AnomalyDetectionAlarm(stack, 'ApiInvocationsAnomaly', {
      metric: fn.metricInvocations({ period: Duration.minutes(1) }),
      stdDevs: 2,
      evaluationPeriods: 1,
    });

    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    const config = new codedeploy.LambdaDeploymentConfig(stack, 'Linear', {
      trafficRouting: new codedeploy.TimeBasedLinearTrafficRouting({ interval: Duration.minutes(2), percentage: 25 }),
    });
    new codedeploy.LambdaDeploymentGroup(stack, 'Deploy', { alias, deploymentConfig: config, alarms: [errors] });

    const doc = new ssm.CfnDocument(stack, 'Restart', {
      documentType: 'Automation',
      content: { schemaVersion: '0.3', mainSteps: [{ name: 'Sleep', action: 'aws:sleep', inputs: { Duration: 'PT1S' } }] },
    });
    const role = new iam.Role(stack, 'StartRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
    new events.CfnRule(stack, 'OnBoth', {
      eventPattern: { 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], 'resources': [both.alarmArn], 'detail': { state: { value: ['ALARM'] } } },
      targets: [{
        id: 'Restart',
        arn: `arn:${stack.partition}:ssm:${stack.region}:${stack.account}:automation-definition/${doc.ref}:$DEFAULT`,
        roleArn: role.roleArn,
      }],
    });
    const fisRole = new iam.Role(stack, 'FisRole', { assumedBy: new iam.ServicePrincipal('fis.amazonaws.com') });
    new fis.CfnExperimentTemplate(stack, 'GameDay', {
      description: 'Inject errors into the API',
      roleArn: fisRole.roleArn,
      stopConditions: [{ source: 'aws:cloudwatch:alarm', value: both.alarmArn }],
      targets: { fn: { resourceType: 'aws:lambda:function', resourceArns: [fn.functionArn], selectionMode: 'ALL' } },
      actions: { inject: { actionId: 'aws:lambda:invocation-error', targets: { Functions: 'fn' }, parameters: { duration: 'PT5M' } } },
      tags: { Name: 'api game day' },
    });
    new cloudwatch.Dashboard(stack, 'Board', { widgets: [[new cloudwatch.AlarmStatusWidget({ alarms: [both] })]] });
    return stack;
  }

  const stack = handWritten();
  const template = stack.node.root.node.children.length ? (stack.node.root as any).synth().getStackByName('Hand').template : undefined;
  const report = analyzeAssembly([{ stackName: 'Hand', template }]);
  const [svc] = report.stacks[0].services;

  test('names the service by its tag and finds its owner', () => {
    expect(report.stacks[0].services).toHaveLength(1);
    expect(svc).toMatchObject({ name: 'api', kind: 'lambda', owner: { service: 'api', team: 'core' } });
  });

  test('an AND composite pages when its slower child fires: 2 x 300 s + 60 s', () => {
    expect(svc.alarms.count).toBe(4);
    expect(svc.alarms.paging).toBe(1);
    const errors = svc.alarms.items.find((a) => a.alarmName === 'api-errors')!;
    expect(errors).toMatchObject({ highResolution: true, detectionSeconds: 3 * 10 + 60, monthlyUsd: 0.3 });
    expect(svc.detection.seconds).toBe(2 * 300 + 60);
    expect(svc.alarms.items.find((a) => a.alarmName === 'api-both')!.detectionSeconds).toBe(660);
  });

  test('costs a high-resolution alarm $0.30, an anomaly detection alarm 3 metrics and a composite $0.50', () => {
    const anomaly = svc.alarms.items.find((a) => a.alarmType === 'anomaly')!;
    expect(anomaly).toMatchObject({ metrics: 3, monthlyUsd: 0.3 });
    // errors (high resolution) $0.30 + slow $0.10 + anomaly 3 x $0.10 + composite $0.50 = $1.20
    expect(svc.cost.monthlyUsd).toBe(1.2);
    // + dashboard $3.00; the topic is not encrypted with a key of the stack
    expect(report.stacks[0].cost.monthlyUsd).toBe(4.2);
  });

  test('reads the deployment group behind the alias and its custom linear configuration', () => {
    expect(svc.deployment.strategy).toBe('linear: +25% every 2 min');
    expect(svc.deployment.rollbackOnAlarm).toBe(true);
    expect(svc.deployment.rollbackAlarms).toEqual([svc.alarms.items.find((a) => a.alarmName === 'api-errors')!.logicalId]);
  });

  test('finds the runbook its composite alarm starts and the game day that targets it', () => {
    expect(svc.runbooks).toEqual([expect.objectContaining({
      document: stack.resolve((stack.node.findChild('Restart') as ssm.CfnDocument).logicalId),
      trigger: 'EventBridge, when api-both enters ALARM',
      automatic: true,
    })]);
    expect(svc.gameDays).toHaveLength(1);
    // Everything a hand-written setup wires is found; it has no operations log, so nothing measures operations or writes a timeline.
    expect(svc.findings).toEqual(['OPS09-BP01', 'OPS11-BP02']);
    expect(svc.wellArchitected.filter((r) => r.status !== 'met').map((r) => r.id)).toEqual(['OPS09-BP01', 'OPS11-BP02']);
  });
});
