import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { incidentTimelineRules } from '../../model/incidents';
import { modelOf, viewOf } from '../graph';

/**
 * A composite alarm that pages has an incident timeline: an EventBridge rule in its stack
 * starts an Automation runbook when it returns from ALARM to OK (OperationsLog.enable adds
 * cdk-opex's IncidentTimeline). Otherwise a page ends with nothing written down.
 * @param node the CfnResource to check
 */
export function PagingAlarmHasIncidentTimeline(node: CfnResource): NagRuleCompliance {
  const view = viewOf(node);
  if (view.type !== 'AWS::CloudWatch::CompositeAlarm') return NagRuleCompliance.NOT_APPLICABLE;
  const model = modelOf(node);
  const alarm = model.alarms.get(view.logicalId);
  if (!alarm?.pages || alarm.alarmName === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return incidentTimelineRules(model.resources, [alarm.alarmName]).length ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
