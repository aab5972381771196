import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../graph';

/**
 * Lambda functions have AWS X-Ray active tracing (`TracingConfig.Mode: Active`).
 * @param node the CfnResource to check
 */
export function LambdaTracing(node: CfnResource): NagRuleCompliance {
  const fn = viewOf(node);
  if (fn.type !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
  return fn.properties.TracingConfig?.Mode === 'Active' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
