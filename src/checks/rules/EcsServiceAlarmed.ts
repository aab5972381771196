import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { alarmsOnMetric, alarmsWithDimension, asList, literalString, mentions, referencedId, viewOf } from '../graph';

/**
 * ECS services have a CloudWatch alarm: on the service's own metrics (a `ServiceName`
 * dimension naming it) or on a target group its load balancers send traffic to (a
 * `TargetGroup` dimension naming that target group).
 * @param node the CfnResource to check
 */
export function EcsServiceAlarmed(node: CfnResource): NagRuleCompliance {
  const service = viewOf(node);
  if (service.type !== 'AWS::ECS::Service') return NagRuleCompliance.NOT_APPLICABLE;
  if (alarmsWithDimension(node, 'ServiceName', service, literalString(service.properties.ServiceName)).length) {
    return NagRuleCompliance.COMPLIANT;
  }
  const targetGroups = asList(service.properties.LoadBalancers).map((lb) => lb?.TargetGroupArn).filter((arn) => arn !== undefined);
  const onTargetGroup = alarmsOnMetric(node, (d) => 'TargetGroup' in d && targetGroups.some((arn) => {
    const id = referencedId(arn);
    if (id) return mentions(d.TargetGroup, id); // TargetGroupFullName of the same target group
    // A literal ARN `arn:...:targetgroup/name/id` ends with the dimension's `targetgroup/name/id`.
    return typeof arn === 'string' && typeof d.TargetGroup === 'string' && arn.endsWith(`:${d.TargetGroup}`);
  }));
  return onTargetGroup.length ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
