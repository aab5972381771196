import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { modelOf, viewOf } from '../graph';

/**
 * Alarms do something when they fire: they have enabled alarm actions, or they feed
 * a composite alarm (which this rule checks in turn), or a CodeDeploy deployment group
 * rolls back on them. Signal alarms without actions of their own are how one incident
 * pages once.
 * @param node the CfnResource to check
 */
export function AlarmHasAction(node: CfnResource): NagRuleCompliance {
  if (node.cfnResourceType !== 'AWS::CloudWatch::Alarm' && node.cfnResourceType !== 'AWS::CloudWatch::CompositeAlarm') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return modelOf(node).alarmActs(viewOf(node).logicalId) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
