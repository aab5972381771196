import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OperationalFunction, RolloutStrategy } from '../src';
import { plainFunction, strictStack } from './support/stacks';

const LAMBDA_BASIC_ROLE = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** AwsSolutions findings after a full synth (which settles cdk-opex's own acknowledgements). */
function findings(stack: Stack): string[] {
  Template.fromStack(stack);
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
}

/** The app team's function: its execution role is theirs, not cdk-opex's. */
function appFunction(stack: Stack, id: string): lambda.Function {
  const fn = plainFunction(stack, id);
  Validations.of(fn.role!).acknowledge({
    id: LAMBDA_BASIC_ROLE,
    reason: 'The app team\'s function under test; AWSLambdaBasicExecutionRole only lets it write its own logs.',
  });
  return fn;
}

describe('AwsSolutionsChecks', () => {
  test('a default OperationalFunction has zero unacknowledged findings', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: appFunction(stack, 'Fn') });
    expect(findings(stack)).toEqual([]);
  });

  test('several services with every option set have zero findings', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', {
      lambdaFunction: appFunction(stack, 'Fn1'),
      team: 'payments',
      opsItem: { severity: OpsItemSeverity.CRITICAL },
      rollout: RolloutStrategy.canary({ percentage: 25, interval: Duration.minutes(7) }),
    });
    new OperationalFunction(stack, 'Catalog', {
      lambdaFunction: appFunction(stack, 'Fn2'),
      rollout: RolloutStrategy.linear({ percentage: 20, interval: Duration.minutes(2) }),
    });
    expect(findings(stack)).toEqual([]);
  });

  test('the check can fail: an unacknowledged finding on the app\'s own function is reported', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    expect(findings(stack)).toEqual([`${LAMBDA_BASIC_ROLE} Shop/Fn/ServiceRole/Resource`]);
  });
});
