import { AspectApplication, AspectPriority, Aspects, IAspect, Stack, Validations } from 'aws-cdk-lib';
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

/**
 * Records that `placed` was asked for under `requested` and built elsewhere, and gives
 * `placed` what the scopes it was asked for under give their subtree: their aspects (so
 * `Tags.of(team).add(...)` tags it) and their acknowledgements (`Validations.of(team)`).
 */
export function recordRequestedScope(placed: IConstruct, requested: IConstruct): void {
  requestedScopes.set(placed, requested);
  const stack = Stack.of(requested);
  // The scopes below the stack both share: the stack's own aspects and acknowledgements reach its nested stacks already.
  const chain = requested.node.scopes.slice(requested.node.scopes.indexOf(stack) + 1);
  if (chain.length === 0) return; // asked for on the stack itself: nothing between to forward
  forwardAspects(placed, chain);
  placed.node.addValidation({ validate: () => forwardAcknowledgements(placed, chain) });
}

/**
 * Acknowledges on `placed` every rule acknowledged on a scope of `chain`, with its reason.
 * Run when the tree is validated, before the validation plugins read acknowledgements, so
 * acknowledgements added after the service count too.
 */
function forwardAcknowledgements(placed: IConstruct, chain: IConstruct[]): string[] {
  for (const scope of chain) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries<string>(entry.data)) Validations.of(placed).acknowledge({ id, reason });
    }
  }
  return [];
}

/**
 * Adds to `placed` one aspect per priority band that runs, on each construct under
 * `placed`, the aspects applied to the scopes of `chain` in that band: mutating
 * ones such as tags with the mutating aspects, checks with the read-only ones. Read when
 * the aspects run, so an aspect added after the service counts too.
 */
function forwardAspects(placed: IConstruct, chain: IConstruct[]): void {
  const bands: Array<[number, (priority: number) => boolean]> = [
    [AspectPriority.MUTATING, (p) => p <= AspectPriority.MUTATING],
    [AspectPriority.DEFAULT, (p) => p > AspectPriority.MUTATING && p <= AspectPriority.DEFAULT],
    [AspectPriority.READONLY, (p) => p > AspectPriority.DEFAULT],
  ];
  for (const [priority, inBand] of bands) {
    const forward: IAspect = {
      visit: (node) => {
        const applied: AspectApplication[] = chain.flatMap((scope) => Aspects.of(scope).applied);
        for (const application of applied.filter((a) => inBand(a.priority)).sort((a, b) => a.priority - b.priority)) {
          application.aspect.visit(node);
        }
      },
    };
    Aspects.of(placed).add(forward, { priority });
  }
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
