import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import {
  alarmName, asJsonObject, asList, COMPOSITE_ALARM, cfnText, isObject, METRIC_ALARM, refersTo,
  referencedId, resourceById, resourcesOfType, ResourceView, viewOf,
} from '../graph';

/** What an SSM Automation target's ARN contains: `...:automation-definition/NAME:VERSION`. */
export const AUTOMATION_TARGET_MARK = ':automation-definition/';

/**
 * Alarms that notify people (an SNS topic among their alarm actions) come with a
 * runbook: an enabled EventBridge rule whose pattern selects the alarm (its ARN in
 * `resources`, or its name in `detail.alarmName`, literally or by prefix) starts an
 * SSM Automation runbook. Whoever is paged finds the first steps already under way.
 * @param node the CfnResource to check
 */
export function AlarmHasRunbook(node: CfnResource): NagRuleCompliance {
  const alarm = viewOf(node);
  if (alarm.type !== METRIC_ALARM && alarm.type !== COMPOSITE_ALARM) return NagRuleCompliance.NOT_APPLICABLE;
  if (!asList(alarm.properties.AlarmActions).some((action) => isTopic(alarm, action))) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const started = resourcesOfType(node, 'AWS::Events::Rule').some((rule) =>
    rule.properties.State !== 'DISABLED' && startsAutomation(rule) && selectsAlarm(rule, alarm));
  return started ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function isTopic(alarm: ResourceView, action: unknown): boolean {
  const id = referencedId(action);
  if (id) return resourceById(alarm.node, id)?.type === 'AWS::SNS::Topic';
  return /^arn:[^:]*:sns:/.test(cfnText(action));
}

function startsAutomation(rule: ResourceView): boolean {
  return asList(rule.properties.Targets).some((t) => cfnText(t?.Arn).includes(AUTOMATION_TARGET_MARK));
}

function selectsAlarm(rule: ResourceView, alarm: ResourceView): boolean {
  const pattern = asJsonObject(rule.properties.EventPattern);
  if (!pattern) return false;
  const name = alarmName(alarm);
  const byResource = asList(pattern.resources).some((r) => {
    if (refersTo(r, alarm.logicalId)) return true;
    if (name === undefined) return false;
    if (typeof r === 'string') return r.endsWith(`:alarm:${name}`);
    const prefix = isObject(r) ? cfnText(r.prefix) : '';
    const at = prefix.indexOf(':alarm:');
    return at >= 0 && name.startsWith(prefix.slice(at + ':alarm:'.length));
  });
  const byName = name !== undefined && asList(pattern.detail?.alarmName).some((n) =>
    n === name || (isObject(n) && typeof n.prefix === 'string' && name.startsWith(n.prefix)));
  return byResource || byName;
}
