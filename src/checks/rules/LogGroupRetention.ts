import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../graph';

/**
 * Log groups have a retention period, so logs are kept as long as they are useful
 * and no longer. Only `AWS::Logs::LogGroup` resources are checked: the log group
 * Lambda creates on first invocation (`/aws/lambda/NAME`) is not in the template;
 * give the function a `logGroup` to bring it under this rule.
 * @param node the CfnResource to check
 */
export function LogGroupRetention(node: CfnResource): NagRuleCompliance {
  const logGroup = viewOf(node);
  if (logGroup.type !== 'AWS::Logs::LogGroup') return NagRuleCompliance.NOT_APPLICABLE;
  return logGroup.properties.RetentionInDays === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
