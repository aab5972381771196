import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { alarmedCompliance } from './alarmed';

/**
 * API Gateway stages have a CloudWatch alarm on their metrics. A REST API stage's
 * metrics have the dimensions `ApiName` (the API's name) and `Stage`; an HTTP or
 * WebSocket API stage's have `ApiId` and `Stage`. An alarm on the whole API (its
 * `ApiName` or `ApiId` without a `Stage`) watches every stage's traffic and counts too.
 * @param node the CfnResource to check
 */
export function ApiGatewayStageAlarmed(node: CfnResource): NagRuleCompliance {
  return alarmedCompliance(node, 'AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage');
}
