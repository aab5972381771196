import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { viewOf } from '../graph';

/**
 * API Gateway REST API stages have AWS X-Ray tracing enabled (`TracingEnabled: true`).
 * @param node the CfnResource to check
 */
export function ApiGatewayStageTracing(node: CfnResource): NagRuleCompliance {
  const stage = viewOf(node);
  if (stage.type !== 'AWS::ApiGateway::Stage') return NagRuleCompliance.NOT_APPLICABLE;
  return stage.properties.TracingEnabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
