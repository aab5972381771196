import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { rollsBackOnAlarm } from '../../model/deployments';
import { viewOf } from '../graph';

export { rollsBackOnAlarm };

/**
 * CodeDeploy deployment groups watch at least one alarm and roll back automatically
 * when it fires (`DEPLOYMENT_STOP_ON_ALARM`).
 * @param node the CfnResource to check
 */
export function DeploymentGroupRollsBack(node: CfnResource): NagRuleCompliance {
  if (node.cfnResourceType !== 'AWS::CodeDeploy::DeploymentGroup') return NagRuleCompliance.NOT_APPLICABLE;
  return rollsBackOnAlarm(viewOf(node).properties) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
