import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { NON_PAGING_TAG } from '../../core/ownership';
import { AlarmSeverity } from '../../observability/alarm-policy';
import {
  alarmName, asJsonObject, asList, COMPOSITE_ALARM, cfnText, isObject, METRIC_ALARM, refersTo,
  referencedId, resourceById, resourcesOfType, ResourceView, viewOf,
} from '../graph';

/** What an SSM Automation target's ARN contains: `...:automation-definition/NAME:VERSION`. */
export const AUTOMATION_TARGET_MARK = ':automation-definition/';

/** Severities (the alarm's `severity` tag) of alarms that open a ticket or record a signal, never a page. */
const NOT_PAGES: string[] = [AlarmSeverity.WARNING, AlarmSeverity.INFO];

/**
 * Alarms that page people (an SNS topic among their alarm actions) come with a
 * runbook: an enabled EventBridge rule whose pattern selects the alarm (its ARN in
 * `resources`, or its name in `detail.alarmName`, literally or by prefix) starts an
 * SSM Automation runbook. Whoever is paged finds the first steps already under way.
 *
 * Not pages, so not checked: alarms tagged `severity` `warning` or `info` (a ticket, a
 * signal), and notifications to topics tagged `cdk-opex:pages` `false` (a low-urgency
 * channel such as the OperationsHub's signal topic).
 * @param node the CfnResource to check
 */
export function AlarmHasRunbook(node: CfnResource): NagRuleCompliance {
  const alarm = viewOf(node);
  if (alarm.type !== METRIC_ALARM && alarm.type !== COMPOSITE_ALARM) return NagRuleCompliance.NOT_APPLICABLE;
  if (NOT_PAGES.includes(tagValue(alarm.properties.Tags, 'severity') ?? '')) return NagRuleCompliance.NOT_APPLICABLE;
  if (!asList(alarm.properties.AlarmActions).some((action) => isPagingTopic(alarm, action))) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const started = resourcesOfType(node, 'AWS::Events::Rule').some((rule) =>
    rule.properties.State !== 'DISABLED' && startsAutomation(rule) && selectsAlarm(rule, alarm));
  return started ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function isPagingTopic(alarm: ResourceView, action: unknown): boolean {
  const id = referencedId(action);
  if (id) {
    const topic = resourceById(alarm.node, id);
    return topic?.type === 'AWS::SNS::Topic' && tagValue(topic.properties.Tags, NON_PAGING_TAG.key) !== NON_PAGING_TAG.value;
  }
  return /^arn:[^:]*:sns:/.test(cfnText(action));
}

function tagValue(tags: unknown, key: string): string | undefined {
  const tag = asList(tags).find((t) => isObject(t) && t.Key === key);
  return typeof tag?.Value === 'string' ? tag.Value : undefined;
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
