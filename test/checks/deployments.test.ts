import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { violators } from './helpers';
import { plainFunction, strictStack } from '../support/stacks';

/** A function, its `live` alias and an alarm on it. */
function aliased(stack: Stack): { alias: lambda.Alias; alarm: cloudwatch.Alarm } {
  const fn = plainFunction(stack, 'Fn');
  const alarm = new cloudwatch.Alarm(stack, 'Errors', {
    metric: fn.metricErrors({ period: Duration.minutes(1) }), threshold: 1, evaluationPeriods: 1,
  });
  return { alias: new lambda.Alias(stack, 'Alias', { aliasName: 'live', version: fn.currentVersion }), alarm };
}

function ecsService(stack: Stack, props: Partial<ecs.CfnServiceProps> = {}): ecs.CfnService {
  return new ecs.CfnService(stack, 'Service', {
    taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1', ...props,
  });
}

describe('OPEX-SafeDeployment', () => {
  const RULE = 'OPEX-SafeDeployment';

  test('an alias not updated by CodeDeploy is reported', () => {
    const stack = strictStack();
    aliased(stack);
    expect(violators(stack, RULE)).toEqual(['Shop/Alias/Resource']);
  });

  test('an alias deployed by a group that rolls back on alarm is compliant', () => {
    const stack = strictStack();
    const { alias, alarm } = aliased(stack);
    new codedeploy.LambdaDeploymentGroup(stack, 'Group', { alias, alarms: [alarm] });
    expect(violators(stack, RULE)).toEqual([]);
  });

  test('an alias deployed by a group without alarms is reported', () => {
    const stack = strictStack();
    new codedeploy.LambdaDeploymentGroup(stack, 'Group', { alias: aliased(stack).alias });
    expect(violators(stack, RULE)).toEqual(['Shop/Alias/Resource']);
  });

  test('an ECS service with a rolling deployment and no circuit breaker is reported', () => {
    const stack = strictStack();
    ecsService(stack, { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } });
    expect(violators(stack, RULE)).toEqual(['Shop/Service']);
  });

  test('an ECS service with the circuit breaker rolling back, or deployed by CodeDeploy, is compliant', () => {
    const breaker = strictStack();
    ecsService(breaker, { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } } });
    expect(violators(breaker, RULE)).toEqual([]);

    const codeDeploy = strictStack();
    ecsService(codeDeploy, { deploymentController: { type: 'CODE_DEPLOY' } });
    expect(violators(codeDeploy, RULE)).toEqual([]);
  });

  test('an ECS service rolling back on deployment alarms is compliant', () => {
    const stack = strictStack();
    ecsService(stack, { deploymentConfiguration: { alarms: { alarmNames: ['web-errors'], enable: true, rollback: true } } });
    expect(violators(stack, RULE)).toEqual([]);
  });
});

describe('OPEX-DeploymentGroupRollsBack', () => {
  const RULE = 'OPEX-DeploymentGroupRollsBack';

  test('a deployment group with alarms and auto-rollback on alarm is compliant', () => {
    const stack = strictStack();
    const { alias, alarm } = aliased(stack);
    new codedeploy.LambdaDeploymentGroup(stack, 'Group', { alias, alarms: [alarm] });
    expect(violators(stack, RULE)).toEqual([]);
  });

  test('a deployment group without alarms is reported', () => {
    const stack = strictStack();
    new codedeploy.LambdaDeploymentGroup(stack, 'Group', { alias: aliased(stack).alias });
    expect(violators(stack, RULE)).toEqual(['Shop/Group/Resource']);
  });

  test('a deployment group with alarms but no rollback on alarm is reported', () => {
    const stack = strictStack();
    const { alias, alarm } = aliased(stack);
    new codedeploy.LambdaDeploymentGroup(stack, 'Group', { alias, alarms: [alarm], autoRollback: { deploymentInAlarm: false } });
    expect(violators(stack, RULE)).toEqual(['Shop/Group/Resource']);
  });
});
