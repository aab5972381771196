import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { asList, COMPOSITE_ALARM, compositesReading, deploymentGroupsWatching, METRIC_ALARM, viewOf } from '../graph';

/**
 * Alarms do something when they fire: they have enabled alarm actions, or they feed
 * a composite alarm (which this rule checks in turn), or a CodeDeploy deployment group
 * rolls back on them. Signal alarms without actions of their own are how one incident
 * pages once.
 * @param node the CfnResource to check
 */
export function AlarmHasAction(node: CfnResource): NagRuleCompliance {
  const alarm = viewOf(node);
  if (alarm.type !== METRIC_ALARM && alarm.type !== COMPOSITE_ALARM) return NagRuleCompliance.NOT_APPLICABLE;
  const acts = alarm.properties.ActionsEnabled !== false && asList(alarm.properties.AlarmActions).length > 0;
  if (acts || compositesReading(alarm).length || deploymentGroupsWatching(alarm).length) {
    return NagRuleCompliance.COMPLIANT;
  }
  return NagRuleCompliance.NON_COMPLIANT;
}
