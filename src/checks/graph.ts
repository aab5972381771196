import { CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { operationsStack } from '../core/operations-stack';
import { mergeNestedStack, resolveNestedOutputs } from '../model/nested';
import { StackModel } from '../model/stack-model';
import { asJsonObject, asList, cfnText, isObject, literalString, Resources } from '../model/template';

// The rules read values through these, from the one shared reader.
export { asJsonObject, asList, cfnText, isObject, literalString };

/**
 * One resource as CloudFormation will see it: CloudFormation property names, tokens
 * resolved to intrinsics (`{ Ref }`, `{ 'Fn::GetAtt' }`, `{ 'Fn::Join' }`), tags from
 * the TagManager and property overrides already applied. Rules read this view rather
 * than L1 properties so that escape hatches and plain `CfnResource`s are checked too.
 * The properties are rendered on first use only: rendering is what costs.
 */
export class ResourceView {
  public readonly type: string;
  public readonly logicalId: string;
  private rendered?: Resources[string];

  constructor(public readonly node: CfnResource) {
    this.type = node.cfnResourceType;
    this.logicalId = Stack.of(node).resolve(node.logicalId);
  }

  /** Resolved `Properties` (rendered on first use; throws what rendering throws). */
  public get properties(): Record<string, any> {
    return this.json.Properties ?? {};
  }

  /** The resource as its template holds it. */
  public get json(): Resources[string] {
    if (!this.rendered) {
      // What synthesis writes for this resource: the same rendering, so the checks see the template.
      const cfn = Stack.of(this.node).resolve(this.node._toCloudFormation()) as { Resources?: Resources };
      this.rendered = Object.values(cfn.Resources ?? {})[0] ?? { Type: this.type };
    }
    return this.rendered;
  }
}

/** The resources of one validation run's stack, and its model, built on first use. */
interface StackViews {
  readonly stack: Stack;
  readonly byNode: Map<CfnResource, ResourceView>;
  model?: StackModel;
}

/**
 * Views built during the current validation run. Outside a run (a rule called on its
 * own) nothing is cached, so nothing is ever stale: the pack opens a fresh cache for
 * every `validateScope` and drops it afterwards.
 */
let runCache: WeakMap<Stack, StackViews> | undefined;

/** Runs `fn` with one set of views and one model per stack shared by every rule; the cache ends with it. */
export function withResourceGraph<T>(fn: () => T): T {
  const outer = runCache;
  runCache = new WeakMap();
  try {
    return fn();
  } finally {
    runCache = outer;
  }
}

function viewsOf(node: IConstruct): StackViews {
  // The nested stacks cdk-opex placed services in are part of their parent: one model for all.
  const stack = operationsStack(node);
  const cached = runCache?.get(stack);
  if (cached) return cached;
  const views: StackViews = { stack, byNode: new Map() };
  for (const construct of stack.node.findAll()) {
    if (CfnResource.isCfnResource(construct) && operationsStack(construct) === stack) views.byNode.set(construct, new ResourceView(construct));
  }
  runCache?.set(stack, views);
  return views;
}

/** The view of `node` itself. */
export function viewOf(node: CfnResource): ResourceView {
  return viewsOf(node).byNode.get(node) ?? new ResourceView(node);
}

/**
 * The stack model of `node`'s stack (with the nested stacks cdk-opex placed services in,
 * not other nested stacks), from every resource rendered as
 * synthesis renders it: the same relations the readiness report reads.
 */
export function modelOf(node: IConstruct): StackModel {
  const views = viewsOf(node);
  if (!views.model) {
    const resources: Resources = {};
    const nested = new Map<Stack, Resources>();
    for (const view of views.byNode.values()) {
      const stack = Stack.of(view.node);
      const into = stack === views.stack ? resources : nested.get(stack) ?? {};
      if (into !== resources) nested.set(stack, into);
      into[view.logicalId] = view.json;
    }
    // A nested stack's resources join its parent's, its parameters read as what the parent passes.
    const outputs = new Map<string, unknown>();
    for (const [stack, own] of nested) {
      const parameters = Object.fromEntries(stack.node.findAll().filter((c): c is CfnParameter => c instanceof CfnParameter
        && Stack.of(c) === stack).map((p) => [stack.resolve(p.logicalId), {}]));
      const stackId = views.stack.resolve((stack.nestedStackResource as CfnResource).logicalId);
      mergeNestedStack(resources, outputs, stackId, { Resources: own, Parameters: parameters });
    }
    views.model = StackModel.fromTemplate({ Resources: resolveNestedOutputs(resources, outputs) });
  }
  return views.model;
}
