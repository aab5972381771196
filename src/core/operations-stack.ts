import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Marks the nested stacks cdk-opex places services' operations resources in. */
const SERVICES_STACK = Symbol.for('cdk-opex.ServicesStack');

/** Marks `stack` as a nested stack of services placed by cdk-opex: it belongs to its parent's operations. */
export function markServicesStack(stack: Stack): void {
  (stack as any)[SERVICES_STACK] = true;
}

/** Whether `stack` is a nested stack cdk-opex placed services in. */
export function isServicesStack(stack: Stack): boolean {
  return (stack as any)[SERVICES_STACK] === true;
}

/**
 * The stack whose operations `scope` belongs to: its own stack, or, inside a nested stack
 * cdk-opex placed services in, that stack's parent. Its hub, alarm names and limits are
 * the ones `scope` uses; a nested stack of the user's own is a stack of its own.
 */
export function operationsStack(scope: IConstruct): Stack {
  let stack = Stack.of(scope);
  while (isServicesStack(stack) && stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}

/** Where the user asked for each placed service: its scope before placement moved it. */
const requestedScopes = new WeakMap<IConstruct, IConstruct>();

/** Records that `placed` was asked for under `requested` and built elsewhere. */
export function recordRequestedScope(placed: IConstruct, requested: IConstruct): void {
  requestedScopes.set(placed, requested);
}

/**
 * The scopes `scope` sits in as its user wrote it, outermost first: for a service placed
 * in a nested stack, the scopes it was asked for under rather than the nested stack's.
 */
export function scopesAsRequested(scope: IConstruct): IConstruct[] {
  const scopes = [...scope.node.scopes];
  for (let i = scopes.length - 1; i >= 0; i--) {
    const requested = requestedScopes.get(scopes[i]);
    if (requested) return [...scopesAsRequested(requested), ...scopes.slice(i)];
  }
  return scopes;
}
