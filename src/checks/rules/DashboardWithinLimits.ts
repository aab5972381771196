import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { Limits } from '../../core/limits';
import { flatten, isObject, viewOf } from '../graph';

/**
 * CloudWatch dashboards hold at most 500 widgets (CloudWatch rejects larger bodies at
 * deploy time). The body may be a string or an `Fn::Join` of strings and references;
 * references are read as a placeholder. A body that still does not parse as JSON
 * (built from parameters, say) cannot be counted: the rule does not apply to it.
 * @param node the CfnResource to check
 */
export function DashboardWithinLimits(node: CfnResource): NagRuleCompliance {
  const dashboard = viewOf(node);
  if (dashboard.type !== 'AWS::CloudWatch::Dashboard') return NagRuleCompliance.NOT_APPLICABLE;
  const widgets = widgetCount(dashboard.properties.DashboardBody);
  if (widgets === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return widgets > Limits.DASHBOARD_WIDGETS ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}

/** Widgets in a dashboard body, or undefined when the body cannot be read. */
function widgetCount(body: unknown): number | undefined {
  // '0' reads as valid JSON both inside a string and in place of a number.
  const text = flatten(body, '0');
  try {
    const parsed = JSON.parse(text);
    if (!isObject(parsed)) return undefined;
    return Array.isArray(parsed.widgets) ? parsed.widgets.length : 0;
  } catch {
    return undefined;
  }
}
