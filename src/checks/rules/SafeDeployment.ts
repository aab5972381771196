import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { rollsBackOnAlarm } from './DeploymentGroupRollsBack';
import { asList, referencedId, resourceById, resourcesOfType, ResourceView, viewOf } from '../graph';

/**
 * Changes reach users step by step and roll back on their own:
 * - a Lambda alias is updated by CodeDeploy (`UpdatePolicy.CodeDeployLambdaAliasUpdate`)
 *   through a deployment group of this stack that rolls back on alarm (a group in
 *   another stack is checked there, by DeploymentGroupRollsBack);
 * - an ECS service is deployed by CodeDeploy, or its rolling deployments have the
 *   circuit breaker or deployment alarms enabled with rollback.
 * @param node the CfnResource to check
 */
export function SafeDeployment(node: CfnResource): NagRuleCompliance {
  const resource = viewOf(node);
  switch (resource.type) {
    case 'AWS::Lambda::Alias': return compliance(aliasIsSafe(resource));
    case 'AWS::ECS::Service': return compliance(ecsServiceIsSafe(resource));
    default: return NagRuleCompliance.NOT_APPLICABLE;
  }
}

function aliasIsSafe(alias: ResourceView): boolean {
  const update = alias.updatePolicy.CodeDeployLambdaAliasUpdate;
  if (!update) return false;
  const groupName = update.DeploymentGroupName;
  const id = referencedId(groupName);
  const group = id
    ? resourceById(alias.node, id)
    : resourcesOfType(alias.node, 'AWS::CodeDeploy::DeploymentGroup').find((g) => g.properties.DeploymentGroupName === groupName);
  return group ? rollsBackOnAlarm(group.properties) : true;
}

function ecsServiceIsSafe(service: ResourceView): boolean {
  if (service.properties.DeploymentController?.Type === 'CODE_DEPLOY') return true;
  const config = service.properties.DeploymentConfiguration ?? {};
  const breaker = config.DeploymentCircuitBreaker;
  const alarms = config.Alarms;
  return (breaker?.Enable === true && breaker.Rollback === true)
    || (alarms?.Enable === true && alarms.Rollback === true && asList(alarms.AlarmNames).length > 0);
}

function compliance(ok: boolean): NagRuleCompliance {
  return ok ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
