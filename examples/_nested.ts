// The demo runs from the repository, where the Control Tower validator is a devDependency (users add it themselves).
// eslint-disable-next-line import/no-extraneous-dependencies
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { shopApi } from './shop-api';
import { logsKey, shopFunction } from './shop-functions';
import { networkLogBucket, shopVpc, storefrontListener } from './shop-network';
import { shopWebAcl } from './shop-waf';
import {
  GameDay, GameDayFault, Kpi, KpiBand, OperationalApi, OperationalExcellenceChecks, OperationalFargateService, OperationalFunction,
  OperationalQueueWorker, OperationsHub, OperationsLog, RolloutStrategy, ServiceDependency, ServicePlacement,
} from '../src';

const SYNCHRONOUS = 'Invoked synchronously by the API: a failed request returns its error to the caller, '
  + 'and a function dead-letter queue only catches asynchronous invocations.';

const app = new App();
// What a regulated platform team runs: AWS Control Tower's proactive controls, five cdk-nag packs and cdk-opex's own.
Validations.of(app).addPlugins(
  new CfnGuardValidator(),
  new AwsSolutionsChecks(app),
  new NIST80053R5Checks(app),
  new HIPAASecurityChecks(app),
  new PCIDSS321Checks(app),
  new ServerlessChecks(app),
  new OperationalExcellenceChecks(app, { requireTeamTag: true }),
);

const stack = new Stack(app, 'ShopOperations', {
  description: 'Online shop: storefront, checkout and catalog API, and the order-events worker, operated with cdk-opex',
  // A concrete region: the load balancer's access-log bucket policy names the region's log-delivery principal.
  env: { region: 'us-east-1' },
});
// Four teams share the stack; the platform team answers what cdk-opex shares (its response dead-letter alarm).
new OperationsHub(stack, 'CdkOpexOperations', { team: 'platform', placement: ServicePlacement.nestedStacks({ servicesPerStack: 2 }) });
// The operations log: deployments, pages, runbook runs and game days counted per service, and an incident timeline written
// onto the OpsItem when a page ends. The shop is the account's only app, so it holds the account's one Logs resource policy
// for /cdk-opex/operations/* itself; with more stacks, a platform stack holds it (OperationsLogAccess) and this is `{}`.
OperationsLog.enable(stack, { createAccess: true });
const key = logsKey(stack);

// ---- Data: the orders table checkout writes and the catalog reads.
const orders = new dynamodb.Table(stack, 'Orders', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  deletionProtection: true,
  // Encrypted with DynamoDB's AWS-managed KMS key (CT.DYNAMODB.PR.2): no pack asks for a key of the shop's own.
  encryption: dynamodb.TableEncryption.AWS_MANAGED,
});
const pitrOnly = 'Point-in-time recovery restores the table to any second of the last 35 days; long-term and cross-account '
  + 'copies are the organization\'s AWS Backup policy, applied by tag across accounts, not a plan per app.';
Validations.of(orders).acknowledge(
  { id: 'NIST.800.53.R5-DynamoDBInBackupPlan', reason: pitrOnly },
  { id: 'HIPAA.Security-DynamoDBInBackupPlan', reason: pitrOnly },
);

// ---- Order events: checkout publishes one per order, fulfilment consumes them.
const orderEventsFn = shopFunction(stack, 'OrderEventsFunction', {
  description: 'Consumes order events and updates fulfilment',
  code: 'exports.handler = async (event) => { console.log(JSON.stringify({ received: event.Records?.length ?? 0 })); return { batchItemFailures: [] }; };',
  timeout: Duration.seconds(30),
  memorySize: 256,
  reservedConcurrency: 10,
  noDlqReason: 'Reads batches of order events through an event source mapping (event.Records): a failed message is retried '
    + 'and then moved to the order-events dead-letter queue, which a function dead-letter queue never sees.',
  logsKey: key,
});
// A backlog is retried, not lost: shift traffic in small steps and let every step be judged.
const orderEvents = new OperationalQueueWorker(stack, 'OrderEvents', {
  lambdaFunction: orderEventsFn,
  team: 'fulfilment',
  rollout: RolloutStrategy.linear({ percentage: 10, interval: Duration.minutes(1) }),
});

// ---- The API: checkout and catalog functions behind one REST API.
const checkoutFn = shopFunction(stack, 'CheckoutFunction', {
  description: 'Checkout API: validates the cart, stores the order and publishes an order event',
  code: 'exports.handler = async (event) => ({ statusCode: 201, body: JSON.stringify({ orderId: Date.now().toString(36) }) });',
  timeout: Duration.seconds(10),
  memorySize: 512,
  reservedConcurrency: 100,
  noDlqReason: SYNCHRONOUS,
  logsKey: key,
  environment: { ORDERS_TABLE: orders.tableName, ORDER_EVENTS_QUEUE: orderEvents.queue.queueUrl },
});
orders.grantReadWriteData(checkoutFn);
orderEvents.queue.grantSendMessages(checkoutFn);
// Checkout is where revenue is lost: an outage opens a high-severity OpsItem as well as paging,
// and 99.9% of checkouts must succeed over 28 days (a fast burn of that budget pages too).
const checkout = new OperationalFunction(stack, 'Checkout', {
  lambdaFunction: checkoutFn,
  team: 'payments',
  opsItem: { severity: OpsItemSeverity.HIGH },
  slo: { target: 99.9 },
  dependencies: [ServiceDependency.dynamoDbTable(orders, { operations: [dynamodb.Operation.PUT_ITEM, dynamodb.Operation.GET_ITEM] })],
});
// The business view: fewer than 5 orders a minute for 3 of 5 minutes puts revenue at risk.
new Kpi(stack, 'OrdersPlaced', {
  serviceName: 'Checkout',
  kpiName: 'orders-per-minute',
  meaning: 'orders placed per minute',
  metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'OrdersPlaced', statistic: 'Sum', period: Duration.minutes(1) }),
  band: KpiBand.below(5),
});

const catalogFn = shopFunction(stack, 'CatalogFunction', {
  description: 'Product catalog API: lists and describes products',
  code: 'exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ products: [] }) });',
  timeout: Duration.seconds(5),
  memorySize: 256,
  reservedConcurrency: 50,
  noDlqReason: SYNCHRONOUS,
  logsKey: key,
  environment: { ORDERS_TABLE: orders.tableName },
});
orders.grantReadData(catalogFn);
// Browsing must feel instant: alarm at 1 s p99, well before the default of 80% of the timeout.
const catalog = new OperationalFunction(stack, 'Catalog', {
  lambdaFunction: catalogFn,
  team: 'storefront',
  latencyThreshold: Duration.seconds(1),
  dependencies: [ServiceDependency.dynamoDbTable(orders, { operations: [dynamodb.Operation.GET_ITEM, dynamodb.Operation.QUERY] })],
});

// The API's health reads its backends': a checkout outage pages once (as Checkout), not once per layer.
const api = shopApi(stack, { checkout: checkout.alias, catalog: catalog.alias });
new OperationalApi(stack, 'ShopApi', {
  restApi: api,
  team: 'storefront',
  backends: [checkout, catalog],
  slo: { target: 99.9 },
});

// ---- The storefront: nginx on Fargate behind an internet-facing load balancer.
const networkLogs = networkLogBucket(stack);
const vpc = shopVpc(stack, networkLogs);
const cluster = new ecs.Cluster(stack, 'ShopCluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
const listener = storefrontListener(stack, vpc, networkLogs);
const storefront = new OperationalFargateService(stack, 'Storefront', {
  cluster,
  listener,
  // Referenced, never pulled at synth. The unprivileged build runs as user 101 on port 8080 and writes only to /tmp,
  // so it keeps cdk-opex's defaults: a non-root user and a read-only root filesystem.
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:stable'),
  containerPort: 8080,
  containerUser: '101',
  team: 'storefront',
  // ECS's own canary: 10% of traffic on the new revision for 5 minutes, rolled back on alarm or by the circuit breaker.
  rollout: RolloutStrategy.canary({ percentage: 10, interval: Duration.minutes(5) }),
});

// One web ACL for both doors the internet knocks on.
shopWebAcl(stack, key, { Api: api.deploymentStage.stageArn, Storefront: storefront.loadBalancer.loadBalancerArn });

// ---- Game days: one per service with faults, started by an operator in staging. None is scheduled: a schedule
// injects faults on its own, which a team turns on per environment (`enableSchedule: true` and a scenario
// `schedule`), not in a template it copies into every account.
new GameDay(stack, 'CheckoutGameDay', {
  service: checkout,
  // Lambda faults need the FIS extension on the function: a new version, rolled out by the canary like any other.
  installLambdaExtension: true,
  scenarios: [
    { name: 'errors', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, percentage: 10, duration: Duration.minutes(5) },
    { name: 'slow', fault: GameDayFault.LAMBDA_INVOCATION_DELAY, percentage: 10, duration: Duration.minutes(5) },
  ],
});
// Browsing lives on latency: slow a tenth of the catalog's calls past its 1 s alarm.
new GameDay(stack, 'CatalogGameDay', {
  service: catalog,
  installLambdaExtension: true,
  scenarios: [{ name: 'slow', fault: GameDayFault.LAMBDA_INVOCATION_DELAY, percentage: 10 }],
});
// Stop half of the storefront's tasks: the survivors must carry the traffic while the alarms and the response prove themselves.
new GameDay(stack, 'StorefrontGameDay', {
  service: storefront,
  scenarios: [{ name: 'stop-tasks', fault: GameDayFault.ECS_STOP_TASKS, percentage: 50 }],
});
// A consumer that fails a tenth of its batches: the item-failure and error alarms must catch it before the backlog grows.
new GameDay(stack, 'OrderEventsGameDay', {
  service: orderEvents,
  installLambdaExtension: true,
  scenarios: [{ name: 'errors', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, percentage: 10 }],
});

app.synth();
