import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { rollsBackAutomatically } from '../../model/deployments';
import { modelOf, viewOf } from '../graph';

/**
 * Changes reach users step by step and roll back on their own:
 * - a Lambda alias is updated by CodeDeploy (`UpdatePolicy.CodeDeployLambdaAliasUpdate`)
 *   through a deployment group that rolls back on alarm (a group in another stack is
 *   checked there, by DeploymentGroupRollsBack);
 * - an ECS service is deployed by CodeDeploy, or its deployments have the circuit
 *   breaker or deployment alarms enabled with rollback.
 * @param node the CfnResource to check
 */
export function SafeDeployment(node: CfnResource): NagRuleCompliance {
  if (node.cfnResourceType !== 'AWS::Lambda::Alias' && node.cfnResourceType !== 'AWS::ECS::Service') return NagRuleCompliance.NOT_APPLICABLE;
  return rollsBackAutomatically(modelOf(node).deploymentOf(viewOf(node).logicalId))
    ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
