import { Duration, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OperationalFunction, RolloutStrategy, RolloutType } from '../src';
import { plainFunction, strictStack } from './support/stacks';

describe('RolloutStrategy', () => {
  test('the default is a 10% canary for 5 minutes', () => {
    expect(RolloutStrategy.DEFAULT).toMatchObject({ rolloutType: RolloutType.CANARY, percentage: 10 });
    expect(RolloutStrategy.DEFAULT.interval.toMinutes()).toBe(5);
    expect(RolloutStrategy.DEFAULT.describe()).toBe('canary: 10% for 5 min, then 100%');
  });

  test.each([
    [RolloutStrategy.canary({ percentage: 10, interval: Duration.minutes(30) }), 'CodeDeployDefault.LambdaCanary10Percent30Minutes'],
    [RolloutStrategy.linear({ percentage: 10, interval: Duration.minutes(10) }), 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes'],
    [RolloutStrategy.allAtOnce(), 'CodeDeployDefault.LambdaAllAtOnce'],
  ])('%s uses CodeDeploy\'s predefined configuration', (strategy, name) => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), rollout: strategy });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', { DeploymentConfigName: name });
    t.resourceCountIs('AWS::CodeDeploy::DeploymentConfig', 0);
  });

  test('a custom shape is one deployment configuration per stack, shared by the services using it', () => {
    const stack = strictStack();
    const rollout = RolloutStrategy.canary({ percentage: 25, interval: Duration.minutes(7) });
    new OperationalFunction(stack, 'A', { lambdaFunction: plainFunction(stack, 'Fn1'), rollout });
    new OperationalFunction(stack, 'B', { lambdaFunction: plainFunction(stack, 'Fn2'), rollout: RolloutStrategy.canary({ percentage: 25, interval: Duration.minutes(7) }) });
    const t = Template.fromStack(stack);
    const configs = t.findResources('AWS::CodeDeploy::DeploymentConfig');
    expect(Object.values(configs)).toEqual([expect.objectContaining({
      Properties: expect.objectContaining({
        ComputePlatform: 'Lambda',
        TrafficRoutingConfig: { Type: 'TimeBasedCanary', TimeBasedCanary: { CanaryPercentage: 25, CanaryInterval: 7 } },
      }),
    })]);
    const [configId] = Object.keys(configs);
    for (const group of Object.values(t.findResources('AWS::CodeDeploy::DeploymentGroup')) as any[]) {
      expect(group.Properties.DeploymentConfigName).toEqual({ Ref: configId });
    }
  });

  test.each([
    [() => RolloutStrategy.canary({ percentage: 0, interval: Duration.minutes(5) }), /RolloutStrategy.canary: invalid `percentage`: must be a whole number of percent from 1 to 99 \(got 0\)/],
    [() => RolloutStrategy.linear({ percentage: 100, interval: Duration.minutes(5) }), /RolloutStrategy.linear: invalid `percentage`: must be a whole number of percent from 1 to 99 \(got 100\)/],
    [() => RolloutStrategy.canary({ percentage: 10, interval: Duration.seconds(90) }), /invalid `interval`: must be a whole number of minutes from 1 to 2880 \(got 90 s\)/],
    [() => RolloutStrategy.canary({ percentage: 10, interval: Duration.days(3) }), /invalid `interval`: must be a whole number of minutes from 1 to 2880 \(got 3 d\)/],
    // A sub-second interval: aws-cdk-lib's own conversion error named no prop.
    [() => RolloutStrategy.canary({ percentage: 10, interval: Duration.millis(1500) }), /RolloutStrategy.canary: invalid `interval`: must be a whole number of minutes .*\(got 1.5 s\)/],
    [() => RolloutStrategy.linear({ percentage: 10, interval: Duration.minutes(Token.asNumber({ Ref: 'M' })) }), /RolloutStrategy.linear: invalid `interval`: must be a literal duration/],
  ])('rejects bad input %#', (make, message) => {
    expect(make).toThrow(message);
  });
});
