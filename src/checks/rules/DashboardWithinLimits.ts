import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { parseDashboardBody } from '../../core/cfn-values';
import { Limits } from '../../core/limits';
import { viewOf } from '../graph';

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
  const body = parseDashboardBody(dashboard.properties.DashboardBody);
  const widgets = body === undefined ? undefined : body.widgets?.length ?? 0;
  if (widgets === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  return widgets > Limits.DASHBOARD_WIDGETS ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
