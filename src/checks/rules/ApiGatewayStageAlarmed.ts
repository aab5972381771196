import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { alarmsOnMetric, identifies, literalString, referencedId, refersTo, resourceById, viewOf } from '../graph';

/**
 * API Gateway stages have a CloudWatch alarm on their metrics. A REST API stage's
 * metrics have the dimensions `ApiName` (the API's name) and `Stage`; an HTTP or
 * WebSocket API stage's have `ApiId` and `Stage`. An alarm on the whole API (its
 * `ApiName` or `ApiId` without a `Stage`) watches every stage's traffic and counts too.
 * @param node the CfnResource to check
 */
export function ApiGatewayStageAlarmed(node: CfnResource): NagRuleCompliance {
  const stage = viewOf(node);
  const rest = stage.type === 'AWS::ApiGateway::Stage';
  if (!rest && stage.type !== 'AWS::ApiGatewayV2::Stage') return NagRuleCompliance.NOT_APPLICABLE;

  const apiRef = rest ? stage.properties.RestApiId : stage.properties.ApiId;
  const apiId = referencedId(apiRef);
  const api = apiId ? resourceById(node, apiId) : undefined;
  const apiKey = rest ? 'ApiName' : 'ApiId';
  // A REST API's metrics carry its name (a Ref would be its id and match nothing); an HTTP API's carry its id.
  const apiName = api && literalString(api.properties.Name);
  const apiMatches = (value: unknown): boolean => rest
    ? apiName !== undefined && value === apiName
    : (api !== undefined && refersTo(value, api.logicalId)) || (typeof apiRef === 'string' && value === apiRef);
  const stageMatches = (value: unknown): boolean =>
    identifies(value, stage, literalString(stage.properties.StageName));

  const alarms = alarmsOnMetric(node, (d) =>
    apiKey in d && apiMatches(d[apiKey]) && (!('Stage' in d) || stageMatches(d.Stage)));
  return alarms.length ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
