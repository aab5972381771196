// The demo runs from the repository, where the Control Tower validator is a devDependency (users add it themselves).
// eslint-disable-next-line import/no-extraneous-dependencies
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { Kpi, KpiBand, OperationalExcellenceChecks, OperationalFunction, OperationsHub, RolloutStrategy } from '../src';

/**
 * One customer-managed key for the shop's logs (Control Tower CT.CLOUDWATCH.PR.3): CloudWatch Logs of this
 * account and region may use it for log groups only, and only AWS services may create grants (CT.KMS.PR.3).
 */
function logsKey(stack: Stack): kms.Key {
  const key = new kms.Key(stack, 'LogsKey', { description: 'Encrypts the shop\'s function logs', enableKeyRotation: true });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` } },
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return key;
}

/**
 * The shop's functions all look alike: inline code, the latest runtime, their own encrypted log group kept a
 * year, and a cap on concurrency so one runaway function cannot take the account's whole pool.
 */
function shopFunction(scope: Construct, id: string, props: {
  description: string;
  code: string;
  timeout: Duration;
  memorySize: number;
  reservedConcurrency: number;
  /** Why the function needs no dead-letter queue of its own. */
  noDlqReason: string;
  logsKey: kms.IKey;
}): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    description: props.description,
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(props.code),
    timeout: props.timeout,
    memorySize: props.memorySize,
    reservedConcurrentExecutions: props.reservedConcurrency,
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: props.logsKey }),
  });
  Validations.of(fn.role!).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole grants only the CloudWatch Logs write actions (CreateLogGroup, CreateLogStream, '
      + 'PutLogEvents) a function needs to log; the role holds nothing else, so there is no data access to narrow',
  });
  const outsideVpc = 'The shop\'s functions reach no private resource (no database, no VPC endpoint, no on-premises network): '
    + 'in a VPC they would only add NAT cost and cold-start latency. A function that reads private data belongs in its VPC.';
  Validations.of(fn).acknowledge(
    { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: outsideVpc },
    { id: 'NIST.800.53.R5-LambdaInsideVPC', reason: outsideVpc },
    { id: 'HIPAA.Security-LambdaInsideVPC', reason: outsideVpc },
    { id: 'PCI.DSS.321-LambdaInsideVPC', reason: outsideVpc },
    { id: 'NIST.800.53.R5-LambdaDLQ', reason: props.noDlqReason },
    { id: 'HIPAA.Security-LambdaDLQ', reason: props.noDlqReason },
    { id: 'Serverless-LambdaDLQ', reason: props.noDlqReason },
  );
  return fn;
}

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
  description: 'Online shop: checkout and catalog APIs and the order-events consumer, operated with cdk-opex',
});
// Three teams share the stack; the platform team answers what cdk-opex shares (its response dead-letter alarm).
new OperationsHub(stack, 'CdkOpexOperations', { team: 'platform' });
const key = logsKey(stack);

const checkout = shopFunction(stack, 'CheckoutFunction', {
  description: 'Checkout API: validates the cart and places the order',
  code: 'exports.handler = async (event) => ({ statusCode: 201, body: JSON.stringify({ orderId: Date.now().toString(36) }) });',
  timeout: Duration.seconds(10),
  memorySize: 512,
  reservedConcurrency: 100,
  noDlqReason: SYNCHRONOUS,
  logsKey: key,
});
// Checkout is where revenue is lost: an outage opens a high-severity OpsItem as well as paging,
// and 99.9% of checkouts must succeed over 28 days (a fast burn of that budget pages too).
new OperationalFunction(stack, 'Checkout', {
  lambdaFunction: checkout,
  team: 'payments',
  opsItem: { severity: OpsItemSeverity.HIGH },
  slo: { target: 99.9 },
});
// The business view: fewer than 5 orders a minute for 3 of 5 minutes puts revenue at risk.
new Kpi(stack, 'OrdersPlaced', {
  serviceName: 'Checkout',
  kpiName: 'orders-per-minute',
  meaning: 'orders placed per minute',
  metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'OrdersPlaced', statistic: 'Sum', period: Duration.minutes(1) }),
  band: KpiBand.below(5),
});

const catalog = shopFunction(stack, 'CatalogFunction', {
  description: 'Product catalog API: lists and describes products',
  code: 'exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ products: [] }) });',
  timeout: Duration.seconds(5),
  memorySize: 256,
  reservedConcurrency: 50,
  noDlqReason: SYNCHRONOUS,
  logsKey: key,
});
// Browsing must feel instant: alarm at 1 s p99, well before the default of 80% of the timeout.
new OperationalFunction(stack, 'Catalog', {
  lambdaFunction: catalog,
  team: 'storefront',
  latencyThreshold: Duration.seconds(1),
});

const orderEvents = shopFunction(stack, 'OrderEventsFunction', {
  description: 'Consumes order events and updates fulfilment',
  code: 'exports.handler = async (event) => { console.log(JSON.stringify({ received: event.Records?.length ?? 0 })); };',
  timeout: Duration.seconds(30),
  memorySize: 256,
  reservedConcurrency: 10,
  noDlqReason: 'Reads batches of order events through an event source mapping (event.Records): a failed batch is retried '
    + 'and then redriven by the source queue\'s own dead-letter queue, which a function dead-letter queue never sees.',
  logsKey: key,
});
// A backlog is retried, not lost: shift traffic in small steps and let every step be judged.
new OperationalFunction(stack, 'OrderEvents', {
  lambdaFunction: orderEvents,
  team: 'fulfilment',
  rollout: RolloutStrategy.linear({ percentage: 10, interval: Duration.minutes(1) }),
});

app.synth();
