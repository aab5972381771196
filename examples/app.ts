import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { Kpi, KpiBand, OperationalExcellenceChecks, OperationalFunction, RolloutStrategy } from '../src';

/** The shop's functions all look alike: inline code, the latest runtime, their own log group. */
function shopFunction(scope: Construct, id: string, props: {
  description: string;
  code: string;
  timeout: Duration;
  memorySize: number;
}): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    description: props.description,
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(props.code),
    timeout: props.timeout,
    memorySize: props.memorySize,
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
  });
  Validations.of(fn.role!).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole grants only the CloudWatch Logs write actions (CreateLogGroup, CreateLogStream, '
      + 'PutLogEvents) a function needs to log; the role holds nothing else, so there is no data access to narrow',
  });
  return fn;
}

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new OperationalExcellenceChecks(app, { requireTeamTag: true }));

const stack = new Stack(app, 'ShopOperations', {
  description: 'Online shop: checkout and catalog APIs and the order-events consumer, operated with cdk-opex',
});

const checkout = shopFunction(stack, 'CheckoutFunction', {
  description: 'Checkout API: validates the cart and places the order',
  code: 'exports.handler = async (event) => ({ statusCode: 201, body: JSON.stringify({ orderId: Date.now().toString(36) }) });',
  timeout: Duration.seconds(10),
  memorySize: 512,
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
});
// A backlog is retried, not lost: shift traffic in small steps and let every step be judged.
new OperationalFunction(stack, 'OrderEvents', {
  lambdaFunction: orderEvents,
  team: 'fulfilment',
  rollout: RolloutStrategy.linear({ percentage: 10, interval: Duration.minutes(1) }),
});

app.synth();
