import { asList, identifies, literalString, referencedId, referencedIds, Resources, resourcesOfType } from './template';
import { append } from '../core/collections';

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

/** The property holding the literal name each kind's {@link IDENTITIES} entry compares a dimension with. */
const NAME_PROPERTIES = ['FunctionName', 'QueueName', 'TableName', 'ServiceName'];

/**
 * Every value a metric dimension must hold (a logical id it references, or a literal
 * string) for {@link namesResource} to find the resource `id` in it: its own logical id
 * and literal name, its target groups' ids and ARN tails (ECS), its API's id and name
 * (stages). A superset, kept in step with `IDENTITIES`: it only lets the model look up
 * the alarms worth asking {@link namesResource} about, instead of asking about every alarm.
 */
export function identityKeys(resources: Resources, id: string): string[] {
  const props = resources[id]?.Properties ?? {};
  const keys = [id, ...NAME_PROPERTIES.map((name) => literalString(props[name])).filter((n): n is string => n !== undefined)];
  for (const arn of targetGroupsOf(resources, id)) {
    const group = referencedId(arn);
    if (group) keys.push(group);
    if (typeof arn === 'string') arn.split(':').forEach((_, i, parts) => keys.push(parts.slice(i).join(':')));
  }
  for (const api of [props.RestApiId, props.ApiId]) {
    if (typeof api === 'string') keys.push(api);
    for (const apiId of referencedIds(api)) {
      keys.push(apiId);
      const name = literalString(resources[apiId]?.Properties?.Name);
      if (name !== undefined) keys.push(name);
    }
  }
  return keys;
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
  const { aliases, queuesOf } = consumers(resources);
  const mappings = new Set([functionId, ...aliases.get(functionId) ?? []].flatMap((invoked) => queuesOf.get(invoked) ?? []));
  return [...mappings].sort((a, b) => a.at - b.at).map((m) => m.queue).filter((id) => resources[id]?.Type === 'AWS::SQS::Queue');
}

/** A template's aliases by function and event sources by the function or alias they invoke, indexed once per template. */
interface Consumers {
  readonly aliases: Map<string, string[]>;
  /** Event source mappings (their place among the template's mappings, and their source) by the function or alias they invoke. */
  readonly queuesOf: Map<string, Array<{ readonly at: number; readonly queue: string }>>;
}
const consumersOf = new WeakMap<Resources, Consumers>();

function consumers(resources: Resources): Consumers {
  let found = consumersOf.get(resources);
  if (!found) {
    found = { aliases: new Map(), queuesOf: new Map() };
    for (const [id, r] of resourcesOfType(resources, 'AWS::Lambda::Alias')) {
      for (const fn of referencedIds(r.Properties?.FunctionName)) append(found.aliases, fn, id);
    }
    resourcesOfType(resources, 'AWS::Lambda::EventSourceMapping').forEach(([, r], at) => {
      const queue = referencedId(r.Properties?.EventSourceArn);
      if (queue === undefined) return;
      const mapping = { at, queue };
      for (const invoked of referencedIds(r.Properties?.FunctionName)) append(found!.queuesOf, invoked, mapping);
    });
    consumersOf.set(resources, found);
  }
  return found;
}
