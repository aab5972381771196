import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { asJsonObject, viewOf } from '../graph';

/**
 * SSM Automation runbooks name the role they run as (`assumeRole`, usually
 * `{{ AutomationAssumeRole }}`), so what a runbook may do is its role's least-privilege
 * policy, not whatever the person or service that starts it happens to hold. Content
 * may be an object, a JSON string or a YAML string (read for a top-level `assumeRole:` key).
 * @param node the CfnResource to check
 */
export function AutomationHasAssumeRole(node: CfnResource): NagRuleCompliance {
  const document = viewOf(node);
  if (document.type !== 'AWS::SSM::Document' || document.properties.DocumentType !== 'Automation') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const content = document.properties.Content;
  const parsed = asJsonObject(content);
  const assumeRole = parsed
    ? parsed.assumeRole
    : typeof content === 'string' ? /^assumeRole:[ \t]*(\S.*)$/m.exec(content)?.[1] : undefined;
  return typeof assumeRole === 'string' && assumeRole.trim() !== '' && assumeRole.trim() !== '""' && assumeRole.trim() !== "''"
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
