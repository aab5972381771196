import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { alarmsWithDimension, literalString, viewOf } from '../graph';

/**
 * Lambda functions have a CloudWatch alarm on one of their metrics: an alarm in the
 * same stack with a `FunctionName` dimension naming the function.
 * @param node the CfnResource to check
 */
export function LambdaFunctionAlarmed(node: CfnResource): NagRuleCompliance {
  const fn = viewOf(node);
  if (fn.type !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
  const alarms = alarmsWithDimension(node, 'FunctionName', fn, literalString(fn.properties.FunctionName));
  return alarms.length ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
