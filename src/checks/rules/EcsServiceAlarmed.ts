import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { alarmedCompliance } from './alarmed';

/**
 * ECS services have a CloudWatch alarm: on the service's own metrics (a `ServiceName`
 * dimension naming it) or on a target group its load balancers send traffic to (a
 * `TargetGroup` dimension naming that target group).
 * @param node the CfnResource to check
 */
export function EcsServiceAlarmed(node: CfnResource): NagRuleCompliance {
  return alarmedCompliance(node, 'AWS::ECS::Service');
}
