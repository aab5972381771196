import { App, CfnResource, Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  AlarmAction, AlarmPolicy, Kpi, KpiBand, OperationalFunction, OperationsHub, RolloutStrategy, Runbook, RunbookStep,
  ServiceLevelObjective, SloIndicator, StepResources,
} from '../src';
import { plainFunction, strictApp, strictStack } from './support/stacks';

// One test per defect the random prop sets found: each asserts our error, naming the construct path and the prop.

const orders = (period = Duration.minutes(1)) => new cloudwatch.Metric({ namespace: 'Shop', metricName: 'OrdersPlaced', statistic: 'Sum', period });

function service(props: Partial<ConstructorParameters<typeof OperationalFunction>[2]> = {}, stack = strictStack()) {
  return new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), ...props });
}

describe('documented-valid input is accepted', () => {
  test('slo target 90: the default burn rates are lowered until they can fire (page at 9x, not 14.4x)', () => {
    const stack = strictStack();
    const fn = service({ slo: { target: 90 } }, stack);
    expect(fn.slo!.burnRateAlerts.map((a) => a.burnRate)).toEqual([9, 6, 3]);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Checkout-slo-availability-1h-info', Threshold: 9 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Checkout-slo-availability-6h-info', Threshold: 6 });
    // Every derived burn rate needs an error ratio of at most 90%: each can fire.
    for (const a of fn.slo!.burnRateAlerts) expect(a.burnRate * fn.slo!.errorBudget).toBeLessThanOrEqual(0.9 + 1e-9);
  });

  test('targets of 93.75 and above keep the workbook\'s burn rates', () => {
    expect(ServiceLevelObjective.defaultAlerts(99.9)).toEqual(ServiceLevelObjective.DEFAULT_ALERTS);
    expect(ServiceLevelObjective.defaultAlerts(93.75)).toEqual(ServiceLevelObjective.DEFAULT_ALERTS);
    expect(ServiceLevelObjective.defaultAlerts(51).map((a) => a.burnRate)).toEqual([1.83, 1.83, 1.83]);
    expect(() => ServiceLevelObjective.defaultAlerts(50)).toThrow(/ServiceLevelObjective.defaultAlerts: invalid `target`/);
  });

  test('a 94-character stack name: the topic display name is shortened to SNS\'s 100 characters', () => {
    const name = 'S'.repeat(94);
    const stack = new Stack(strictApp(), name, { env: { account: '123456789012', region: 'us-east-1' } });
    service({}, stack);
    const [topic] = Object.values(Template.fromStack(stack).findResources('AWS::SNS::Topic')) as any[];
    expect(topic.Properties.DisplayName).toHaveLength(100);
    expect(topic.Properties.DisplayName).toBe(`${'S'.repeat(93)} alarms`);
  });
});

describe('invalid input is rejected at synth, naming the prop', () => {
  test('hour periods: period x evaluation periods over 7 days', () => {
    expect(() => service({ alarmPeriod: Duration.hours(2), evaluationPeriods: 85, datapointsToAlarm: 1 }))
      .toThrow(/Shop\/Checkout: invalid `evaluationPeriods`: must be at most 84 \(got 85\): .*7 days \(604800 s\)/);
    expect(() => new AlarmPolicy({ period: Duration.hours(1), evaluationPeriods: 169 }))
      .toThrow(/AlarmPolicy: invalid `evaluationPeriods`: must be at most 168/);
    expect(() => service({ alarmPeriod: Duration.hours(2), evaluationPeriods: 84, datapointsToAlarm: 1 })).not.toThrow();
  });

  test('a KPI evaluated over more than 1 day of minute (or 5-minute) periods', () => {
    const stack = strictStack();
    expect(() => new Kpi(stack, 'A', { serviceName: 'Checkout', kpiName: 'a', metric: orders(), band: KpiBand.below(1), evaluationPeriods: 1441 }))
      .toThrow(/Shop\/A: invalid `evaluationPeriods`: must be at most 1440 \(got 1441\)/);
    expect(() => new Kpi(stack, 'B', {
      serviceName: 'Checkout', kpiName: 'b', metric: orders(Duration.minutes(5)), band: KpiBand.below(1), evaluationPeriods: 300,
    })).toThrow(/Shop\/B: invalid `evaluationPeriods`: must be at most 288 \(got 300\): .*300 periods of 300 s are 90000 s/);
  });

  test('KpiBand.below(-1) and below(0) could only fire on missing data; above(-1) never clears', () => {
    expect(() => KpiBand.below(-1)).toThrow(/KpiBand.below: invalid `threshold`: must be above 0 \(got -1\)/);
    expect(() => KpiBand.below(0)).toThrow(/KpiBand.below: invalid `threshold`/);
    expect(() => KpiBand.above(-1)).toThrow(/KpiBand.above: invalid `threshold`: must be at least 0/);
    expect(KpiBand.above(0).threshold).toBe(0);
  });

  test('a 10-second alarmPeriod on Lambda\'s per-minute metrics, set directly or by the alarm policy', () => {
    expect(() => service({ alarmPeriod: Duration.seconds(10) }))
      .toThrow(/Shop\/Checkout: invalid `alarmPeriod`: must be at least 60 seconds: .*never gets a datapoint \(got 10 s\)/);
    expect(() => service({ alarmPolicy: new AlarmPolicy({ period: Duration.seconds(30) }) }))
      .toThrow(/invalid `alarmPeriod`: .*\(got 30 s from the alarm policy's period\)/);
  });

  test('one function in two OperationalFunctions', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    new OperationalFunction(stack, 'A', { lambdaFunction: fn });
    expect(() => new OperationalFunction(stack, 'B', { lambdaFunction: fn, aliasName: 'prod' }))
      .toThrow(/Shop\/B: invalid `lambdaFunction`: Shop\/Fn is already operated by Shop\/A/);
  });

  test('a function that already has an alias of that name', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    fn.addAlias('live');
    expect(() => new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn }))
      .toThrow(/Shop\/Checkout: invalid `aliasName`: Shop\/Fn already has an alias named 'live'/);
  });

  test('an alias of that name made elsewhere in the stack, before or after the service, fails the synth', () => {
    const synthOf = (build: (stack: Stack, fn: lambda.Function) => void) => {
      const stack = strictStack();
      const fn = plainFunction(stack, 'Fn');
      build(stack, fn);
      return () => Template.fromStack(stack);
    };
    const before = synthOf((stack, fn) => {
      new lambda.Alias(stack, 'Prod', { aliasName: 'prod', version: fn.currentVersion });
      new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn, aliasName: 'prod' });
    });
    expect(before).toThrow(/Shop\/Checkout: invalid `aliasName`: Shop\/Fn already has an alias named 'prod' \(Shop\/Prod\/Resource\)/);
    const after = synthOf((stack, fn) => {
      new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn });
      new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    });
    expect(after).toThrow(/Shop\/Checkout: invalid `aliasName`: Shop\/Fn already has an alias named 'live' \(Shop\/Live\/Resource\)/);
    // Another name is fine, and the service's own alias is never counted against it.
    const otherName = synthOf((stack, fn) => {
      new lambda.Alias(stack, 'Prod', { aliasName: 'prod', version: fn.currentVersion });
      new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn });
    });
    otherName().resourceCountIs('AWS::Lambda::Alias', 2);
  });

  test('runbook API names must look like APIs; the IAM action derived must be well-formed', () => {
    const base = { name: 'Describe', inputs: {}, resources: StepResources.target('service') };
    expect(() => RunbookStep.executeAwsApi({ ...base, service: 'ecs', api: 'describeServices' }))
      .toThrow(/RunbookStep Describe: invalid `api`: must be an API operation in PascalCase/);
    expect(() => RunbookStep.executeAwsApi({ ...base, service: 'ecs', api: 'ecs:DescribeServices' })).toThrow(/invalid `api`/);
    expect(() => RunbookStep.executeAwsApi({ ...base, service: 'Amazon ECS', api: 'DescribeServices' }))
      .toThrow(/RunbookStep Describe: invalid `service`/);
    expect(() => RunbookStep.waitForAwsResourceProperty({ ...base, service: 'ecs', api: 'Describe Services', propertySelector: '$.x', desiredValues: ['y'] }))
      .toThrow(/invalid `api`/);
  });

  test('a StepResources.target slot no allowOn binds fails synth: the step would have no permission', () => {
    const stack = strictStack();
    new Runbook(stack, 'Restart', {
      description: 'restart',
      parameters: [{ name: 'Cluster', description: 'c' }],
      steps: [RunbookStep.executeAwsApi({
        name: 'Force', service: 'ecs', api: 'UpdateService', inputs: { cluster: '{{ Cluster }}' }, resources: StepResources.target('service'),
      })],
    });
    expect(() => Template.fromStack(stack))
      .toThrow(/Shop\/Restart: invalid `steps`: step 'Force' acts on target slot 'service' \(ecs:UpdateService\), but no allowOn\('service', arns\)/);
  });

  test('a reference with dashes is checked like any other', () => {
    const step = RunbookStep.executeAwsApi({
      name: 'Get', service: 'lambda', api: 'GetAlias', inputs: { FunctionName: '{{ no-such-param }}' }, resources: StepResources.target('function'),
    });
    expect(() => new Runbook(strictStack(), 'Rb', { description: 'd', steps: [step] }))
      .toThrow(/Shop\/Rb: invalid `steps`: step 'Get' references '\{\{ no-such-param \}\}', which is no parameter/);
    // Parameter Store references are resolved by Automation, not declared.
    const ssmRef = RunbookStep.executeAwsApi({
      name: 'Get', service: 'lambda', api: 'GetAlias', inputs: { FunctionName: '{{ ssm:/shop/fn-name }}' }, resources: StepResources.target('function'),
    });
    expect(() => new Runbook(strictStack(), 'Rb', { description: 'd', steps: [ssmRef] })).not.toThrow();
  });
});

describe('our error instead of a CloudFormation-schema error', () => {
  test('six critical actions on the health alarm', () => {
    const six = Array.from({ length: 6 }, (_, i) => AlarmAction.incident(`plan-${i}`));
    expect(() => new AlarmPolicy({ critical: six }))
      .toThrow(/AlarmPolicy: invalid `critical`: CloudWatch takes at most 5 actions per alarm state \(got 6\)/);
    const five = new AlarmPolicy({ critical: six.slice(0, 5) });
    expect(() => service({ alarmPolicy: five, opsItem: { severity: OpsItemSeverity.HIGH } }))
      .toThrow(/Shop\/Checkout: invalid `opsItem`: CloudWatch takes at most 5 actions per alarm state; the alarm policy's 5 critical actions and 1 more make 6/);
    expect(() => service({ alarmPolicy: five })).not.toThrow();
  });

  test('six page actions on an SLO', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    const pageActions = Array.from({ length: 6 }, (_, i) => AlarmAction.incident(`plan-${i}`)._bind(stack));
    expect(() => new ServiceLevelObjective(stack, 'Slo', {
      serviceName: 'checkout',
      target: 99.9,
      pageActions,
      indicator: SloIndicator.availabilityFromErrors({ errors: fn.metricErrors(), total: fn.metricInvocations() }),
    })).toThrow(/Shop\/Slo: invalid `pageActions`: CloudWatch takes at most 5 actions/);
  });

  test('a zero period', () => {
    expect(() => service({ alarmPeriod: Duration.seconds(0) }))
      .toThrow(/Shop\/Checkout: invalid `alarmPeriod`: CloudWatch accepts 10, 20, 30 seconds or a multiple of 60 seconds \(got 0 s\)/);
    expect(() => new AlarmPolicy({ period: Duration.seconds(0) })).toThrow(/AlarmPolicy: invalid `period`/);
  });

  test('two KPIs with one name, two SLOs with one name', () => {
    const stack = strictStack();
    new Kpi(stack, 'Orders', { serviceName: 'Checkout', kpiName: 'orders', metric: orders(), band: KpiBand.below(1) });
    expect(() => new Kpi(stack, 'Orders2', { serviceName: 'Checkout', kpiName: 'orders', metric: orders(), band: KpiBand.below(2) }))
      .toThrow(/Shop\/Orders2: invalid `kpiName`: alarm name 'Shop-Checkout-kpi-orders-warning' is already used by Shop\/Orders/);
    const fn = plainFunction(stack, 'Fn');
    const indicator = SloIndicator.availabilityFromErrors({ errors: fn.metricErrors(), total: fn.metricInvocations() });
    new ServiceLevelObjective(stack, 'Slo1', { serviceName: 'checkout', indicator, target: 99.9 });
    expect(() => new ServiceLevelObjective(stack, 'Slo2', { serviceName: 'checkout', indicator, target: 99 }))
      .toThrow(/Shop\/Slo2: invalid `name`: alarm name 'Shop-checkout-slo-availability-.*' is already used by Shop\/Slo1/);
    expect(() => new ServiceLevelObjective(stack, 'Slo3', { serviceName: 'checkout', indicator, target: 99, name: 'availability-v2' })).not.toThrow();
  });
});

describe('raw aws-cdk-lib errors become ours', () => {
  const lazy = Token.asNumber(Lazy.number({ produce: () => 60 }));

  test('a token function timeout', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn', Duration.seconds(lazy));
    expect(() => new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn }))
      .toThrow(/Shop\/Checkout: invalid `lambdaFunction`: the function's timeout must be a literal duration/);
  });

  test('a token alarmPeriod', () => {
    expect(() => service({ alarmPeriod: Duration.seconds(lazy) })).toThrow(/Shop\/Checkout: invalid `alarmPeriod`: must be a literal duration/);
  });

  test('Duration.millis(1500) as a rollout interval or a step timeout', () => {
    expect(() => RolloutStrategy.canary({ percentage: 10, interval: Duration.millis(1500) }))
      .toThrow(/RolloutStrategy.canary: invalid `interval`: must be a whole number of minutes from 1 to 2880 \(got 1.5 s\)/);
    expect(() => RunbookStep.pause({ name: 'Hold', timeout: Duration.millis(1500) }))
      .toThrow(/RunbookStep Hold: invalid `timeout`: must be a whole number of seconds from 1 to 604800 \(got 1.5 s\)/);
    expect(RunbookStep.pause({ name: 'Hold', timeout: Duration.minutes(2) })._render().timeoutSeconds).toBe(120);
  });

  test('Duration.millis(NaN) as the latency threshold', () => {
    expect(() => service({ latencyThreshold: Duration.millis(NaN) })).toThrow(/Shop\/Checkout: invalid `latencyThreshold`: must be a finite duration/);
  });

  test('Duration.seconds(1.5) as a sleep', () => {
    expect(() => RunbookStep.sleep({ name: 'Wait', duration: Duration.seconds(1.5) }))
      .toThrow(/RunbookStep Wait: invalid `duration`: must be a whole number of seconds from 1 to 604800 \(got 1.5 s\)/);
  });

  test('an imported function (fromFunctionArn) is rejected with a reason, not a crash on tracingConfig', () => {
    const stack = strictStack();
    const imported = lambda.Function.fromFunctionArn(stack, 'Imported', 'arn:aws:lambda:us-east-1:123456789012:function:checkout');
    expect(() => new OperationalFunction(stack, 'Checkout', { lambdaFunction: imported as lambda.Function }))
      .toThrow(/Shop\/Checkout: invalid `lambdaFunction`: must be a lambda.Function defined in this app; a function imported with fromFunctionArn/);
  });
});

test('an app-wide policy error names AlarmPolicy, before any stack exists', () => {
  const app = new App();
  expect(() => AlarmPolicy.set(app, new AlarmPolicy({ datapointsToAlarm: 4 }))).toThrow(/AlarmPolicy: invalid `datapointsToAlarm`: must be a whole number of periods .*from 1 to 3 \(got 4\)/);
});

test('an OperationsHub dashboard name CloudWatch would reject', () => {
  expect(() => new OperationsHub(strictStack(), 'Ops', { dashboardName: 'shop operations' }))
    .toThrow(/Shop\/Ops: invalid `dashboardName`: must be 1-251 letters, digits, - and _/);
  expect(() => new OperationsHub(strictStack(), 'Ops', { dashboardName: 'x'.repeat(252) })).toThrow(/invalid `dashboardName`/);
  expect(() => new OperationsHub(strictStack(), 'Ops', { dashboardName: 'shop_ops-1' })).not.toThrow();
});

// The jest environment shares one validation engine per worker (test/support/jest/environment.js):
// strict synth must still fail on a schema finding, in every app that reuses the engine.
describe('strict CloudFormation validation in tests', () => {
  test.each([1, 2])('fails synth on a schema finding (app %i)', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Shop');
    new CfnResource(stack, 'Bad', { type: 'AWS::CloudWatch::Alarm', properties: { ComparisonOperator: 'Sideways', EvaluationPeriods: 1 } });
    expect(() => app.synth()).toThrow(/CloudFormation Validate/);
  });
});
