import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { AUTOMATION_TARGET_MARK } from './AlarmHasRunbook';
import { asList, cfnText, viewOf } from '../graph';

/**
 * EventBridge rules that start an SSM Automation runbook give each such target a role
 * (`RoleArn`) EventBridge assumes to start it; without one the runbook never starts.
 * @param node the CfnResource to check
 */
export function EventBridgeAutomationTargetRole(node: CfnResource): NagRuleCompliance {
  const rule = viewOf(node);
  if (rule.type !== 'AWS::Events::Rule') return NagRuleCompliance.NOT_APPLICABLE;
  const automations = asList(rule.properties.Targets).filter((t) => cfnText(t?.Arn).includes(AUTOMATION_TARGET_MARK));
  if (!automations.length) return NagRuleCompliance.NOT_APPLICABLE;
  return automations.every((t) => t.RoleArn !== undefined) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
