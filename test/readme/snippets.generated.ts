// Generated from README.md by scripts/readme-snippets.ts: do not edit; `npm test` regenerates it.
/* eslint-disable */
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Duration, Stack, Tags, Validations } from 'aws-cdk-lib';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { AlarmAction, AlarmPolicy, GameDay, GameDayFault, Kpi, KpiBand, MockAwsEnvironment, OperationalApi, OperationalExcellenceChecks, OperationalFunction, OperationsHub, OperationsLog, OperationsLogAccess, RolloutStrategy, Runbook, RunbookLibrary, RunbookSimulator, RunbookStep, RunbookTrigger, RunbookValueType, ServiceDependency, ServiceLevelObjective, ServicePlacement, SimulationStatus, SloIndicator, StepResources, Triggers } from '../../src';

/** What the Quick start acknowledges on its function, for the reader's other function. */
const READERS_FUNCTION_FINDINGS = [
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  'cdk-validator-cfnguard::lambda_inside_vpc_check', 'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC',
  'PCI.DSS.321-LambdaInsideVPC', 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ', 'Serverless-LambdaDLQ',
];
/** Findings on the reader's own table and API, which are theirs to settle. */
const READERS_TABLE_FINDINGS = [
  'cdk-validator-cfnguard::dynamodb_table_encrypted_kms_check', 'NIST.800.53.R5-DynamoDBInBackupPlan', 'HIPAA.Security-DynamoDBInBackupPlan',
  'NIST.800.53.R5-DynamoDBAutoScalingEnabled', 'HIPAA.Security-DynamoDBAutoScalingEnabled',
];
const READERS_API_FINDINGS = [
  'AwsSolutions-APIG2', 'AwsSolutions-APIG3', 'AwsSolutions-APIG4', 'AwsSolutions-COG4',
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
  'NIST.800.53.R5-APIGWAssociatedWithWAF', 'PCI.DSS.321-APIGWAssociatedWithWAF', 'NIST.800.53.R5-APIGWSSLEnabled',
  'HIPAA.Security-APIGWSSLEnabled', 'PCI.DSS.321-APIGWSSLEnabled', 'Serverless-APIGWDefaultThrottling',
  'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check',
];

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
    memorySize: 512,
    reservedConcurrentExecutions: 100, // a function-level limit, as NIST and HIPAA ask
  });
  // The function is yours, not cdk-opex's: where a control does not fit it, say why.
  const yours = (reason: string, ...ids: string[]) => ids.forEach((id) => Validations.of(fn).acknowledge({ id, reason }));
  yours('AWSLambdaBasicExecutionRole only lets the function write its own logs',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]');
  yours('it reaches no private network resource', 'cdk-validator-cfnguard::lambda_inside_vpc_check',
    'NIST.800.53.R5-LambdaInsideVPC', 'HIPAA.Security-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC');
  yours('callers invoke it synchronously and see its errors', 'NIST.800.53.R5-LambdaDLQ', 'HIPAA.Security-LambdaDLQ', 'Serverless-LambdaDLQ');

  const checkout = new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn, team: 'payments' });
  // Point callers (API Gateway, event sources) at checkout.alias, not at fn.
  // --- given by the reader: their own resources (not in the README) ---
  const catalogFn = new lambda.Function(stack, 'CatalogFn', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    timeout: Duration.seconds(5),
    memorySize: 256,
    reservedConcurrentExecutions: 50,
  });
  for (const id of READERS_FUNCTION_FINDINGS) Validations.of(catalogFn).acknowledge({ id, reason: 'The reader\'s own function, as in the Quick start.' });
  const pagerTopic = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager');
  const ordersPlaced = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'OrdersPlaced', statistic: 'Sum', period: Duration.minutes(1) });
  const cluster = ecs.Cluster.fromClusterArn(stack, 'Cluster', 'arn:aws:ecs:us-east-1:123456789012:cluster/shop');
  const checkoutService = ecs.FargateService.fromFargateServiceAttributes(stack, 'CheckoutService', {
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/shop/checkout', cluster,
  });
  const ordersFn = new lambda.Function(stack, 'OrdersFn', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 201 });'),
    timeout: Duration.seconds(5),
    memorySize: 256,
    reservedConcurrentExecutions: 50,
  });
  for (const id of READERS_FUNCTION_FINDINGS) Validations.of(ordersFn).acknowledge({ id, reason: 'The reader\'s own function, as in the Quick start.' });
  const ordersTable = new dynamodb.Table(stack, 'OrdersTable', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  for (const id of READERS_TABLE_FINDINGS) Validations.of(ordersTable).acknowledge({ id, reason: 'The reader\'s own table: its key, backup plan and capacity mode are theirs to choose.' });
  const shopApi = new apigateway.RestApi(stack, 'Api', { restApiName: 'shop-api', cloudWatchRole: true });
  for (const id of READERS_API_FINDINGS) Validations.of(shopApi).acknowledge({ id, reason: 'The reader\'s own API and its methods: authorization, request validation, WAF, client certificate, throttling and the invoke permissions API Gateway adds are theirs.' });
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

  // Any service takes dependencies: the table's throttles, errors and latency feed the orders service's health alarm.
  const orders = new OperationalFunction(stack, 'OrderService', {
    lambdaFunction: ordersFn,
    dependencies: [ServiceDependency.dynamoDbTable(ordersTable)],
  });
  // Callers reach the functions through their aliases, which the canaries shift.
  shopApi.root.addResource('orders').addMethod('POST', new apigateway.LambdaIntegration(orders.alias));
  shopApi.root.addResource('checkout').addMethod('POST', new apigateway.LambdaIntegration(checkout.alias));
  new OperationalApi(stack, 'ShopApi', { restApi: shopApi, backends: [orders, checkout], slo: { target: 99.9 } });
  // README snippet 4

  Validations.of(app).addPlugins(new CfnGuardValidator(), new AwsSolutionsChecks(app), new NIST80053R5Checks(app),
    new HIPAASecurityChecks(app), new PCIDSS321Checks(app), new ServerlessChecks(app), new OperationalExcellenceChecks(app));
  // README snippet 5

  AlarmPolicy.set(app, new AlarmPolicy({
    critical: [AlarmAction.topic(pagerTopic), AlarmAction.incident('shop-outage')], // default: the stack's topic
    warning: [AlarmAction.opsItem(OpsItemSeverity.MEDIUM)],                         // the default
    info: [AlarmAction.signalTopic()],                                               // the default: pages no one
  }));
  // README snippet 6

  new ServiceLevelObjective(stack, 'ApiLatency', {
    serviceName: 'checkout',
    indicator: SloIndicator.latencyPercentile({ metric: fn.metricDuration(), threshold: 300 }), // 99% under 300 ms
    target: 99,
  });
  // README snippet 7

  new Kpi(stack, 'Orders', {
    serviceName: 'checkout', kpiName: 'orders-per-minute',
    metric: ordersPlaced, band: KpiBand.below(5),   // or KpiBand.anomaly(KpiDirection.LOW)
  });
  // README snippet 8

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
  // README snippet 9

  const stoppedTasks = RunbookLibrary.ecsStoppedTasks(stack);
  RunbookLibrary.allowEcsService(stoppedTasks, checkoutService); // its role may read this service's tasks only
  new RunbookTrigger(stack, 'OnTasksDying', {
    runbook: stoppedTasks,
    eventPattern: Triggers.ecsTaskStoppedUnexpectedly(cluster, 'checkout'),
    parameters: { Cluster: [cluster.clusterName], Service: ['checkout'] },
  });
  // README snippet 10

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
  // README snippet 11

  new GameDay(stack, 'CheckoutGameDay', {
    service: checkout,
    installLambdaExtension: true, // the FIS extension layer and two variables: a new version of fn
    scenarios: [
      { name: 'errors', fault: GameDayFault.LAMBDA_INVOCATION_ERROR },               // 10% of invocations for 5 minutes
      { name: 'slow', fault: GameDayFault.LAMBDA_INVOCATION_DELAY, percentage: 20 }, // past the latency threshold
    ],
  });
  // README snippet 12

  // Services made before or after are routed alike. A single-stack app adds `createAccess: true`
  // to hold the account's Logs resource policy itself (see below).
  const operationsLog = OperationsLog.enable(stack);
  // README snippet 13

  // The platform team's baseline stack, deployed once per account and region.
  const baseline = new Stack(app, 'Baseline');
  new OperationsLogAccess(baseline, 'OperationsLogAccess');
  // README snippet 14

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new OperationalExcellenceChecks(app));
  // README snippet 15

  const fewOrders = new cloudwatch.Alarm(stack, 'FewOrders', {
    metric: ordersPlaced, threshold: 1, comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, evaluationPeriods: 5,
  });
  fewOrders.addAlarmAction(new cw_actions.SnsAction(pagerTopic));
  Tags.of(fewOrders).add('service', 'checkout');
  Validations.of(fewOrders).acknowledge({ id: 'OPEX-AlarmHasRunbook', reason: 'the sales desk answers it by phone; nothing to automate' });
  // README snippet 16

  // A stack for a hundred functions or more: every service's alarms, alias, group and rule in nested stacks of 25.
  const monorepo = new Stack(app, 'Monorepo');
  new OperationsHub(monorepo, 'CdkOpexOperations', { placement: ServicePlacement.nestedStacks({ servicesPerStack: 25 }) });
  return { app, stack, fn, yours, checkout, orders, restart, stoppedTasks, aws, result, operationsLog, baseline, fewOrders, monorepo, catalogFn, pagerTopic, ordersPlaced, cluster, checkoutService, ordersFn, ordersTable, shopApi };
}
