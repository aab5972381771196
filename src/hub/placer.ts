import { CfnOutput, CfnParameter, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { PlacementMode, ServicePlacement } from './placement';
import { Limits } from '../core/limits';
import { markServicesStack } from '../core/operations-stack';
import { integerInRange, invalidProp } from '../core/validate';

/** What a service's operations resources are counted as, at least, when `auto` decides (a default Lambda service adds 7). */
const AUTO_SERVICE_RESOURCES = 7;
/** The context key aws-cdk-lib reads its stack resource limit from. */
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';

/** The nested stacks of one stack's placed services, and the decision for each new service. */
export class Placer {
  private readonly nested: Array<{ readonly stack: NestedStack; services: number }> = [];
  private nesting: boolean;
  private readonly perStack: number;

  constructor(private readonly root: Stack, private readonly placement: ServicePlacement, hub: IConstruct) {
    this.perStack = placement.servicesPerStack === undefined ? 25
      : integerInRange(hub, 'placement.servicesPerStack', placement.servicesPerStack, 1, 100, 'services');
    this.nesting = placement.mode === PlacementMode.NESTED_STACKS;
  }

  /** The nested stacks made so far. */
  public get stacks(): NestedStack[] {
    return this.nested.map((n) => n.stack);
  }

  /** Where a service asked for as `new X(scope, id)` is built: `scope` itself, or a nested stack (with an id unique in it). */
  public place(scope: Construct, id: string): [Construct, string] {
    if (this.placement.mode === PlacementMode.SAME_STACK || Stack.of(scope) !== this.root) return [scope, id];
    if (!this.nesting) {
      if (autoKeepsInStack(this.root)) return [scope, id];
      this.nesting = true;
    }
    let current = this.nested[this.nested.length - 1];
    if (!current || current.services >= this.perStack) {
      const n = this.nested.length + 1;
      const stack = new NestedStack(this.root, `CdkOpexServices${n}`, {
        description: `Operations resources of services ${this.nested.length * this.perStack + 1}-${n * this.perStack} of stack ${this.root.stackName} (cdk-opex)`,
      });
      markServicesStack(stack);
      current = { stack, services: 0 };
      this.nested.push(current);
    }
    current.services += 1;
    // The id keeps the user's path below the stack, so two services of the same id under different scopes stay apart.
    const below = scope.node.scopes.slice(scope.node.scopes.indexOf(this.root) + 1).map((s) => s.node.id);
    const placedId = [...below, id].join('-');
    if (current.stack.node.tryFindChild(placedId)) {
      invalidProp(scope, 'id', `'${placedId}' is already a service of ${current.stack.node.path}; give the service another construct id`);
    }
    return [current.stack, placedId];
  }

  /** Errors for any stack of this placement that passes CloudFormation's limits, counted at synth. */
  public limitErrors(): string[] {
    const errors: string[] = [];
    // CDK's own knob for its resource-limit check: 0 turns it off, and this one with it.
    const limit = Number(this.root.node.tryGetContext(STACK_RESOURCE_LIMIT_CONTEXT) ?? Limits.CFN_RESOURCES_PER_STACK);
    if (limit === 0) return errors;
    const rootCount = resourcesIn(this.root);
    if (rootCount > limit) {
      const hint = this.placement.mode === PlacementMode.NESTED_STACKS
        ? 'your own resources alone pass it: split the stack'
        : 'create the stack\'s hub with `placement: ServicePlacement.nestedStacks()` before its first service, '
          + '`new OperationsHub(stack, \'CdkOpexOperations\', { placement: ServicePlacement.nestedStacks() })`, '
          + 'to put every OperationalFunction\'s operations resources in nested stacks (other kinds stay in the stack)';
      errors.push(`${this.root.node.path} has ${rootCount} resources, past CloudFormation's ${limit}; ${hint}`);
    }
    // Each nested stack attaches one managed policy to each shared role it uses.
    if (this.nested.length > Limits.IAM_MANAGED_POLICIES_PER_ROLE) {
      errors.push(`${this.root.node.path} has ${this.nested.length} nested stacks of services; each attaches a managed policy to the hub's `
        + `shared roles, and IAM attaches at most ${Limits.IAM_MANAGED_POLICIES_PER_ROLE} to a role: raise placement.servicesPerStack (services) or split the stack`);
    }
    for (const { stack } of this.nested) {
      const count = resourcesIn(stack);
      const own = stack.node.findAll().filter((c) => Stack.of(c) === stack);
      const parameters = own.filter((c) => c instanceof CfnParameter).length;
      const outputs = own.filter((c) => c instanceof CfnOutput).length;
      if (count > Limits.CFN_RESOURCES_PER_STACK || parameters > Limits.CFN_PARAMETERS_PER_STACK || outputs > Limits.CFN_OUTPUTS_PER_STACK) {
        errors.push(`${stack.node.path} has ${count} resources, ${parameters} parameters and ${outputs} outputs, past CloudFormation's `
          + `${Limits.CFN_RESOURCES_PER_STACK}, ${Limits.CFN_PARAMETERS_PER_STACK} and ${Limits.CFN_OUTPUTS_PER_STACK}; `
          + 'lower placement.servicesPerStack (services)');
      }
    }
    return errors;
  }
}

/**
 * Whether the default placement keeps a new service in `stack`: whether it has room for
 * one more. A service it does not keep could not be in the stack anyway, so a stack that
 * fits never has a service placed elsewhere.
 */
export function autoKeepsInStack(stack: Stack): boolean {
  return resourcesIn(stack) + AUTO_SERVICE_RESOURCES <= Limits.CFN_RESOURCES_PER_STACK;
}

/** Resources of `stack` itself (not of its nested stacks). */
export function resourcesIn(stack: Stack): number {
  let n = 0;
  for (const c of stack.node.findAll()) if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) n++;
  return n;
}
