import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { alarmedCompliance } from './alarmed';

/**
 * Lambda functions have a CloudWatch alarm on one of their metrics: an alarm in the
 * same stack with a `FunctionName` dimension naming the function (its alias's metrics carry it too).
 * @param node the CfnResource to check
 */
export function LambdaFunctionAlarmed(node: CfnResource): NagRuleCompliance {
  return alarmedCompliance(node, 'AWS::Lambda::Function');
}
