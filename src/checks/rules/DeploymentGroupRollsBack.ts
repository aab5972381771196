import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { asList, viewOf } from '../graph';

/** Rollback event a deployment group needs to roll back when one of its alarms fires. */
const STOP_ON_ALARM = 'DEPLOYMENT_STOP_ON_ALARM';

/** Whether a deployment group's properties stop and roll back a deployment when an alarm fires. */
export function rollsBackOnAlarm(properties: Record<string, any>): boolean {
  const alarms = properties.AlarmConfiguration;
  const rollback = properties.AutoRollbackConfiguration;
  return alarms?.Enabled === true && asList(alarms.Alarms).length > 0
    && rollback?.Enabled === true && asList(rollback.Events).includes(STOP_ON_ALARM);
}

/**
 * CodeDeploy deployment groups watch at least one alarm and roll back automatically
 * when it fires (`DEPLOYMENT_STOP_ON_ALARM`).
 * @param node the CfnResource to check
 */
export function DeploymentGroupRollsBack(node: CfnResource): NagRuleCompliance {
  const group = viewOf(node);
  if (group.type !== 'AWS::CodeDeploy::DeploymentGroup') return NagRuleCompliance.NOT_APPLICABLE;
  return rollsBackOnAlarm(group.properties) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
