import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { modelOf, viewOf } from '../graph';

/**
 * Whether a resource of one of `types` has an alarm on its metrics, as the stack model
 * (and so the readiness report) finds them.
 */
export function alarmedCompliance(node: CfnResource, ...types: string[]): NagRuleCompliance {
  if (!types.includes(node.cfnResourceType)) return NagRuleCompliance.NOT_APPLICABLE;
  return modelOf(node).alarmsOn(viewOf(node).logicalId).length ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
