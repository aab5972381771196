import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { modelOf, viewOf } from '../graph';

export { AUTOMATION_TARGET_MARK } from '../../model/responses';

/**
 * Alarms that page people (an SNS topic among their alarm actions) come with a
 * runbook: an enabled EventBridge rule whose pattern selects the alarm (its ARN in
 * `resources`, or its name in `detail.alarmName`, literally or by prefix) starts an
 * SSM Automation runbook. Whoever is paged finds the first steps already under way.
 *
 * Not pages, so not checked (the stack model decides, as for the readiness report):
 * alarms tagged `severity` `warning` or `info` (a ticket, a signal), and notifications to
 * topics tagged `cdk-opex:pages` `false` (a low-urgency channel such as the OperationsHub's
 * signal topic).
 * @param node the CfnResource to check
 */
export function AlarmHasRunbook(node: CfnResource): NagRuleCompliance {
  if (node.cfnResourceType !== 'AWS::CloudWatch::Alarm' && node.cfnResourceType !== 'AWS::CloudWatch::CompositeAlarm') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const model = modelOf(node);
  const id = viewOf(node).logicalId;
  const pagesByTopic = model.alarms.get(id)?.actions.some((a) => a.effect === 'page' && a.text.startsWith('SNS topic'));
  if (!pagesByTopic) return NagRuleCompliance.NOT_APPLICABLE;
  return model.runbooksStartedBy(id).length ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
