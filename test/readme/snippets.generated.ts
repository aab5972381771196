// Generated from README.md by scripts/readme-snippets.ts: do not edit; `npm test` regenerates it.
/* eslint-disable */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { AlarmAction, AlarmPolicy, Kpi, KpiBand, MockAwsEnvironment, OperationalExcellenceChecks, OperationalFunction, RolloutStrategy, Runbook, RunbookLibrary, RunbookSimulator, RunbookStep, RunbookTrigger, RunbookValueType, ServiceLevelObjective, SimulationStatus, SloIndicator, StepResources, Triggers } from '../../src';

const LAMBDA_BASIC_EXECUTION = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** Runs every snippet of the README, in order, in one app (the Quick start's), and returns it. */
export function readmeApp() {
  // README snippet 1

  const app = new App();
  const stack = new Stack(app, 'Shop');

  const fn = new lambda.Function(stack, 'CheckoutFn', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    timeout: Duration.seconds(10),
  });
  // The function's role is yours, not cdk-opex's: say why its managed policy is fine (AwsSolutions-IAM4).
  Validations.of(fn.role!).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole only lets the function write its own logs',
  });

  const checkout = new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn, team: 'payments' });
  // Point callers (API Gateway, event sources) at checkout.alias, not at fn.
  // --- given by the reader: their own resources (not in the README) ---
  const catalogFn = new lambda.Function(stack, 'CatalogFn', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    timeout: Duration.seconds(5),
  });
  Validations.of(catalogFn.role!).acknowledge({ id: LAMBDA_BASIC_EXECUTION, reason: 'The reader\'s own function: its role may only write its logs.' });
  const pagerTopic = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager');
  const ordersPlaced = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'OrdersPlaced', statistic: 'Sum', period: Duration.minutes(1) });
  const cluster = ecs.Cluster.fromClusterArn(stack, 'Cluster', 'arn:aws:ecs:us-east-1:123456789012:cluster/shop');
  const checkoutService = ecs.FargateService.fromFargateServiceAttributes(stack, 'CheckoutService', {
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/shop/checkout', cluster,
  });
  // --- end of what is given ---
  // README snippet 2

  new OperationalFunction(stack, 'Catalog', {
    lambdaFunction: catalogFn,
    errorRateThreshold: 1,                    // % of invocations (default 5)
    latencyThreshold: Duration.seconds(2),    // p99 (default 80% of the timeout)
    rollout: RolloutStrategy.linear({ percentage: 10, interval: Duration.minutes(2) }),
    opsItem: { severity: OpsItemSeverity.HIGH }, // also open an OpsItem when it pages
  });
  // README snippet 3

  Validations.of(app).addPlugins(new CfnGuardValidator(), new AwsSolutionsChecks(app), new NIST80053R5Checks(app),
    new HIPAASecurityChecks(app), new PCIDSS321Checks(app), new ServerlessChecks(app), new OperationalExcellenceChecks(app));
  // README snippet 4

  AlarmPolicy.set(app, new AlarmPolicy({
    critical: [AlarmAction.topic(pagerTopic), AlarmAction.incident('shop-outage')], // default: the stack's topic
    warning: [AlarmAction.opsItem(OpsItemSeverity.MEDIUM)],                         // the default
    info: [AlarmAction.signalTopic()],                                               // the default: pages no one
  }));
  // README snippet 5

  new ServiceLevelObjective(stack, 'ApiLatency', {
    serviceName: 'checkout',
    indicator: SloIndicator.latencyPercentile({ metric: fn.metricDuration(), threshold: 300 }), // 99% under 300 ms
    target: 99,
  });
  // README snippet 6

  new Kpi(stack, 'Orders', {
    serviceName: 'checkout', kpiName: 'orders-per-minute',
    metric: ordersPlaced, band: KpiBand.below(5),   // or KpiBand.anomaly(KpiDirection.LOW)
  });
  // README snippet 7

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new OperationalExcellenceChecks(app));
  // README snippet 8

  const auditLogs = new logs.LogGroup(stack, 'AuditLogs', { retention: logs.RetentionDays.INFINITE });
  Validations.of(auditLogs).acknowledge({ id: 'OPEX-LogGroupRetention', reason: 'audit records are kept for good by policy' });
  // README snippet 9

  const restart = new Runbook(stack, 'RestartTasks', {
    description: 'Replace every task of an ECS service and wait for the rollout',
    parameters: [
      { name: 'Cluster', description: 'cluster name' },
      { name: 'Service', description: 'service name' },
      { name: 'Approvers', valueType: RunbookValueType.STRING_LIST, description: 'who may approve' },
    ],
    steps: [
      RunbookStep.approve({ name: 'Approve', approvers: ['{{ Approvers }}'], message: 'Restart {{ Service }}?' }),
      RunbookStep.executeAwsApi({
        name: 'ForceNewDeployment', service: 'ecs', api: 'UpdateService',
        inputs: { cluster: '{{ Cluster }}', service: '{{ Service }}', forceNewDeployment: true },
        resources: StepResources.target('service'),   // bound per service below
      }),
      RunbookStep.waitForAwsResourceProperty({
        name: 'WaitForRollout', service: 'ecs', api: 'DescribeServices',
        inputs: { cluster: '{{ Cluster }}', services: ['{{ Service }}'] },
        propertySelector: '$.services[0].deployments[0].rolloutState', desiredValues: ['COMPLETED'],
        timeout: Duration.minutes(30), resources: StepResources.target('service'),
      }),
    ],
  });
  restart.allowOn('service', [checkoutService.serviceArn]); // the role may touch this service only
  // README snippet 10

  const stoppedTasks = RunbookLibrary.ecsStoppedTasks(stack);
  RunbookLibrary.allowEcsService(stoppedTasks, checkoutService); // its role may read this service's tasks only
  new RunbookTrigger(stack, 'OnTasksDying', {
    runbook: stoppedTasks,
    eventPattern: Triggers.ecsTaskStoppedUnexpectedly(cluster, 'checkout'),
    parameters: { Cluster: [cluster.clusterName], Service: ['checkout'] },
  });
  // README snippet 11

  const aws = new MockAwsEnvironment()
    .onApi('ecs', 'UpdateService', {})
    .onApi('ecs', 'DescribeServices', { services: [{ deployments: [{ rolloutState: 'IN_PROGRESS' }] }] })
    .onApi('ecs', 'DescribeServices', { services: [{ deployments: [{ rolloutState: 'COMPLETED' }] }] })
    .approveAll();
  const result = RunbookSimulator.fromRunbook(restart).run({
    environment: aws,
    parameters: { Cluster: 'shop', Service: 'checkout', Approvers: ['arn:aws:iam::123456789012:role/OnCall'] },
  });
  expect(result.status).toBe(SimulationStatus.SUCCESS);
  expect(result.stepNames).toEqual(['Approve', 'ForceNewDeployment', 'WaitForRollout']);
  return { app, stack, fn, checkout, auditLogs, restart, stoppedTasks, aws, result, catalogFn, pagerTopic, ordersPlaced, cluster, checkoutService };
}
