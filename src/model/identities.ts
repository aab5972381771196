import { asList, identifies, literalString, referencedId, referencedIds, Resources, resourcesOfType } from './template';

/** Resource types that are services, and their kind. */
export const SERVICE_TYPES: Record<string, string> = {
  'AWS::Lambda::Function': 'lambda',
  'AWS::ECS::Service': 'ecs',
  'AWS::ApiGateway::Stage': 'apigateway',
  'AWS::ApiGatewayV2::Stage': 'apigateway',
  'AWS::SQS::Queue': 'sqs',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
};

/** Whether a metric's dimensions name the resource `id` (of `resources`). */
type Identity = (resources: Resources, id: string, dimensions: Record<string, unknown>) => boolean;

/** A dimension that names the resource by reference or by its literal name property. */
const byDimension = (dimension: string, nameProperty: string): Identity => (resources, id, d) =>
  dimension in d && identifies(d[dimension], id, literalString(resources[id]?.Properties?.[nameProperty]));

/**
 * How each kind's resource is named in its CloudWatch metrics: the facts every check and
 * report row about "alarms on a resource" read.
 */
const IDENTITIES: Record<string, Identity> = {
  // The alias's metrics carry FunctionName too, so an alarm on the alias counts for the function.
  'AWS::Lambda::Function': byDimension('FunctionName', 'FunctionName'),
  'AWS::SQS::Queue': byDimension('QueueName', 'QueueName'),
  'AWS::DynamoDB::Table': byDimension('TableName', 'TableName'),
  'AWS::DynamoDB::GlobalTable': byDimension('TableName', 'TableName'),
  // Its own metrics (ServiceName), or those of a target group its load balancers send traffic to.
  'AWS::ECS::Service': (resources, id, d) => byDimension('ServiceName', 'ServiceName')(resources, id, d)
    || ('TargetGroup' in d && targetGroupsOf(resources, id).some((arn) => {
      const group = referencedId(arn);
      if (group) return referencedIds(d.TargetGroup).has(group); // TargetGroupFullName of the same target group
      // A literal ARN `arn:...:targetgroup/name/id` ends with the dimension's `targetgroup/name/id`.
      return typeof arn === 'string' && typeof d.TargetGroup === 'string' && arn.endsWith(`:${d.TargetGroup}`);
    })),
  // A REST API's metrics carry its name (a Ref would be its id); an alarm on the whole API counts for each stage.
  'AWS::ApiGateway::Stage': (resources, id, d) => {
    const stage = resources[id]?.Properties ?? {};
    const api = referencedId(stage.RestApiId);
    const apiName = api ? literalString(resources[api]?.Properties?.Name) : undefined;
    return 'ApiName' in d && apiName !== undefined && d.ApiName === apiName
      && (!('Stage' in d) || identifies(d.Stage, id, literalString(stage.StageName)));
  },
  'AWS::ApiGatewayV2::Stage': (resources, id, d) => {
    const stage = resources[id]?.Properties ?? {};
    const api = referencedId(stage.ApiId);
    const apiMatches = 'ApiId' in d && ((api !== undefined && referencedIds(d.ApiId).has(api))
      || (typeof stage.ApiId === 'string' && d.ApiId === stage.ApiId));
    return apiMatches && (!('Stage' in d) || identifies(d.Stage, id, literalString(stage.StageName)));
  },
};

/** Whether metrics with `dimensions` are the resource `id`'s. */
export function namesResource(resources: Resources, id: string, dimensions: Record<string, unknown>): boolean {
  const identity = IDENTITIES[resources[id]?.Type];
  return identity !== undefined && identity(resources, id, dimensions);
}

/** Target group ARNs an ECS service's load balancers send traffic to. */
export function targetGroupsOf(resources: Resources, serviceId: string): unknown[] {
  return asList(resources[serviceId]?.Properties?.LoadBalancers).map((lb) => lb?.TargetGroupArn).filter((arn) => arn !== undefined);
}

/**
 * Queues a function consumes through its event source mappings (on the function or one
 * of its aliases): with their dead-letter queues, they are part of a queue worker.
 */
export function queuesConsumedBy(resources: Resources, functionId: string): string[] {
  const aliases = resourcesOfType(resources, 'AWS::Lambda::Alias')
    .filter(([, r]) => referencedIds(r.Properties?.FunctionName).has(functionId)).map(([id]) => id);
  const invoked = new Set([functionId, ...aliases]);
  return resourcesOfType(resources, 'AWS::Lambda::EventSourceMapping').map(([, r]) => r)
    .filter((r) => [...referencedIds(r.Properties?.FunctionName)].some((id) => invoked.has(id)))
    .map((r) => referencedId(r.Properties?.EventSourceArn))
    .filter((id): id is string => id !== undefined && resources[id]?.Type === 'AWS::SQS::Queue');
}
