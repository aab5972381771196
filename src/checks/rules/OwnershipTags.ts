import { CfnResource, TagManager } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { OWNERSHIP_TAGS } from '../../core/ownership';
import { asList, isObject, viewOf } from '../graph';

/** Resources an operator must be able to trace to an owner from the console. */
export const OWNED_TYPES = [
  'AWS::Lambda::Function',
  'AWS::ECS::Service',
  'AWS::SQS::Queue',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::ApiGateway::Stage',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
];

/**
 * Workload resources and alarms carry ownership tags: `service` and, when the pack
 * requires it, `team`. Returns one finding per missing tag key.
 * @param node the CfnResource to check
 * @param tagKeys the tag keys required
 */
export function OwnershipTags(node: CfnResource, tagKeys: string[] = [OWNERSHIP_TAGS.service]): NagRuleResult {
  const resource = viewOf(node);
  if (!OWNED_TYPES.includes(resource.type)) return NagRuleCompliance.NOT_APPLICABLE;
  // Tags.of() tags reach the TagManager; tags given to the L1 or by override are in the rendered Tags.
  const tags = { ...tagMap(resource.properties.Tags), ...TagManager.of(node)?.tagValues() };
  if (resource.type === 'AWS::DynamoDB::GlobalTable') {
    // A global table is tagged per replica: a key counts when every replica carries it.
    const replicas = asList(resource.properties.Replicas).map((r) => tagMap(r?.Tags));
    for (const key of tagKeys) {
      if (replicas.length && replicas.every((r) => r[key])) tags[key] = replicas[0][key];
    }
  }
  const missing = tagKeys.filter((key) => !tags[key]);
  return missing.length ? missing : NagRuleCompliance.COMPLIANT;
}

/** Tags as a key-value map, whether the property is a list of `{ Key, Value }` or a map. */
function tagMap(tags: unknown): Record<string, string> {
  if (Array.isArray(tags)) {
    return Object.fromEntries(tags.filter(isObject).map((t) => [String(t.Key), typeof t.Value === 'string' ? t.Value : 'set']));
  }
  return isObject(tags) ? Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, typeof v === 'string' ? v : 'set'])) : {};
}
