import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { cfnText, literalString, referencedId, referencedIds } from '../core/cfn-values';

// The rules read values through these, from the one shared reader.
export { cfnText, literalString, referencedId };

/**
 * One resource as CloudFormation will see it: CloudFormation property names, tokens
 * resolved to intrinsics (`{ Ref }`, `{ 'Fn::GetAtt' }`, `{ 'Fn::Join' }`), tags from
 * the TagManager and property overrides already applied. Rules read this view rather
 * than L1 properties so that escape hatches and plain `CfnResource`s are checked too.
 *
 * Type and logical id are read at once; the properties are rendered on first use only,
 * because rendering is what costs (IAM policy documents, dashboard bodies), and most
 * resources are never read by another resource's rule.
 */
export class ResourceView {
  public readonly type: string;
  public readonly logicalId: string;
  private rendered?: { properties: Record<string, any>; updatePolicy: Record<string, any> };

  constructor(public readonly node: CfnResource) {
    this.type = node.cfnResourceType;
    this.logicalId = Stack.of(node).resolve(node.logicalId);
  }

  /** Resolved `Properties` (rendered on first use; throws what rendering throws). */
  public get properties(): Record<string, any> {
    return this.render().properties;
  }

  /** Resolved `UpdatePolicy`; empty when there is none. */
  public get updatePolicy(): Record<string, any> {
    return this.render().updatePolicy;
  }

  private render(): { properties: Record<string, any>; updatePolicy: Record<string, any> } {
    if (!this.rendered) {
      // What synthesis writes for this resource: the same rendering, so the checks see the template.
      const cfn = Stack.of(this.node).resolve(this.node._toCloudFormation()) as { Resources?: Record<string, any> };
      const resource = Object.values(cfn.Resources ?? {})[0] ?? {};
      this.rendered = { properties: resource.Properties ?? {}, updatePolicy: resource.UpdatePolicy ?? {} };
    }
    return this.rendered;
  }
}

/** The resources of one stack, indexed the ways the rules look them up. */
export interface StackGraph {
  readonly resources: ResourceView[];
  readonly byNode: Map<CfnResource, ResourceView>;
  readonly byId: Map<string, ResourceView>;
  readonly byType: Map<string, ResourceView[]>;
}

/**
 * Graphs built during the current validation run. Outside a run (a rule called on its
 * own) nothing is cached, so a graph is never stale: the pack opens a fresh cache for
 * every `validateScope` and drops it afterwards.
 */
let runCache: WeakMap<Stack, StackGraph> | undefined;

/** Runs `fn` with one graph per stack shared by every rule; the cache ends with it. */
export function withResourceGraph<T>(fn: () => T): T {
  const outer = runCache;
  runCache = new WeakMap();
  try {
    return fn();
  } finally {
    runCache = outer;
  }
}

/** Every resource of `node`'s stack (not of nested stacks), rendered and resolved. */
export function stackGraph(node: IConstruct): StackGraph {
  const stack = Stack.of(node);
  const cached = runCache?.get(stack);
  if (cached) return cached;
  const graph = buildGraph(stack);
  runCache?.set(stack, graph);
  return graph;
}

/** The resources of `node`'s stack. */
export function stackResources(node: IConstruct): ResourceView[] {
  return stackGraph(node).resources;
}

/** The stack's resources of the given CloudFormation types. */
export function resourcesOfType(node: IConstruct, ...types: string[]): ResourceView[] {
  const graph = stackGraph(node);
  return types.flatMap((t) => graph.byType.get(t) ?? []);
}

/** The resource a logical id names in `node`'s stack. */
export function resourceById(node: IConstruct, logicalId: string): ResourceView | undefined {
  return stackGraph(node).byId.get(logicalId);
}

/** The view of `node` itself. */
export function viewOf(node: CfnResource): ResourceView {
  return stackGraph(node).byNode.get(node) ?? new ResourceView(node);
}

function buildGraph(stack: Stack): StackGraph {
  const graph: StackGraph = { resources: [], byNode: new Map(), byId: new Map(), byType: new Map() };
  for (const construct of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(construct) || Stack.of(construct) !== stack) continue;
    const view = new ResourceView(construct);
    graph.resources.push(view);
    graph.byNode.set(construct, view);
    graph.byId.set(view.logicalId, view);
    graph.byType.set(view.type, [...(graph.byType.get(view.type) ?? []), view]);
  }
  return graph;
}

// ---------------------------------------------------------------------------------
// Reading resolved CloudFormation values

/** Whether `value` is `{ Ref: logicalId }` or `{ 'Fn::GetAtt': [logicalId, ...] }`. */
export function refersTo(value: unknown, logicalId: string): boolean {
  return referencedId(value) === logicalId;
}

/** Whether `value` references `logicalId` anywhere inside it (joins, subs, nested objects). */
export function mentions(value: unknown, logicalId: string): boolean {
  return referencedIds(value).has(logicalId);
}

/** `value` as a list (CloudFormation lists may resolve to a single value or nothing). */
export function asList(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether `value` identifies `target`: references it, or equals its literal name. */
export function identifies(value: unknown, target: ResourceView, literalName?: string): boolean {
  return refersTo(value, target.logicalId) || (literalName !== undefined && value === literalName);
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON or object property (event patterns, document content) as an object, if it parses. */
export function asJsonObject(value: unknown): Record<string, any> | undefined {
  if (isObject(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------
// Alarms

/** CloudFormation types of the alarms. */
export const METRIC_ALARM = 'AWS::CloudWatch::Alarm';
export const COMPOSITE_ALARM = 'AWS::CloudWatch::CompositeAlarm';

/**
 * The dimensions of each metric an alarm reads, one map per metric: the alarm's own
 * metric (top-level `Dimensions`) and each `Metrics[].MetricStat.Metric`.
 */
export function dimensionsOf(alarm: ResourceView): Array<Record<string, unknown>> {
  const toMap = (dimensions: unknown): Record<string, unknown> =>
    Object.fromEntries(asList(dimensions).filter(isObject).map((d) => [d.Name, d.Value]));
  const groups = [];
  if (alarm.properties.Dimensions) groups.push(toMap(alarm.properties.Dimensions));
  for (const metric of asList(alarm.properties.Metrics)) {
    const dimensions = metric?.MetricStat?.Metric?.Dimensions;
    if (dimensions) groups.push(toMap(dimensions));
  }
  return groups;
}

/** Metric alarms of `node`'s stack with a metric whose dimensions satisfy `matches`. */
export function alarmsOnMetric(node: IConstruct, matches: (dimensions: Record<string, unknown>) => boolean): ResourceView[] {
  return resourcesOfType(node, METRIC_ALARM).filter((alarm) => dimensionsOf(alarm).some(matches));
}

/** Metric alarms of `node`'s stack with a dimension `name` whose value identifies `target`. */
export function alarmsWithDimension(node: IConstruct, name: string, target: ResourceView, literalName?: string): ResourceView[] {
  return alarmsOnMetric(node, (d) => name in d && identifies(d[name], target, literalName));
}

/** An alarm's literal name, when it has one. */
export function alarmName(alarm: ResourceView): string | undefined {
  return literalString(alarm.properties.AlarmName);
}

/** The alarm names and ARNs a composite alarm's rule reads, with references shown as `<Id.Attr>`. */
export function alarmRuleOperands(composite: ResourceView): string[] {
  const text = cfnText(composite.properties.AlarmRule);
  return [...text.matchAll(/\b(?:ALARM|OK|INSUFFICIENT_DATA)\(\s*"?([^")]*?)"?\s*\)/g)].map((m) => m[1].trim());
}

/** Whether an operand of an alarm rule (or a deployment group's alarm name) denotes `alarm`. */
export function denotesAlarm(operand: unknown, alarm: ResourceView): boolean {
  if (refersTo(operand, alarm.logicalId)) return true;
  if (typeof operand !== 'string') return false;
  const name = alarmName(alarm);
  return operand === `<${alarm.logicalId}.Arn>` || operand === `<${alarm.logicalId}>`
    || (name !== undefined && (operand === name || operand.endsWith(`:alarm:${name}`)));
}

/** Composite alarms of the stack whose rule reads `alarm`. */
export function compositesReading(alarm: ResourceView): ResourceView[] {
  return resourcesOfType(alarm.node, COMPOSITE_ALARM)
    .filter((c) => c !== alarm && alarmRuleOperands(c).some((operand) => denotesAlarm(operand, alarm)));
}

/** Deployment groups of the stack with an enabled alarm configuration that lists `alarm`. */
export function deploymentGroupsWatching(alarm: ResourceView): ResourceView[] {
  return resourcesOfType(alarm.node, 'AWS::CodeDeploy::DeploymentGroup').filter((group) => {
    const config = group.properties.AlarmConfiguration;
    return config?.Enabled === true
      && asList(config.Alarms).some((a) => denotesAlarm(a?.Name, alarm));
  });
}
