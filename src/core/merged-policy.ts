import { Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { acknowledgeLikeRole } from './nag';

/**
 * Resources per merged statement. CDK estimates an unresolved ARN at 150 characters
 * and moves whole statements into 6,000-character managed policies when a role's
 * inline policy passes 10,000, so a statement must stay well under 6,000 to move.
 */
export const RESOURCES_PER_STATEMENT = 30;

interface OpenStatement {
  readonly statement: iam.PolicyStatement;
  readonly resources: Set<string>;
}

/** Open statements of each policy being filled: a shared role's own, or its policy in one nested stack. */
const openStatements = new WeakMap<object, Map<string, OpenStatement>>();

/** The nested stack whose service is being built, while one placed in a nested stack is. */
let placedStack: Stack | undefined;

/**
 * While a service placed in a nested stack builds, its grants on the shared roles of its
 * parent's hub go to one managed policy per role in the nested stack, instead of growing
 * the role's own policy in the parent: the parent stays the same size however many
 * services it has. Returns what ends it.
 */
export function grantsFrom(stack: Stack | undefined): () => void {
  const outer = placedStack;
  placedStack = stack;
  return () => {
    placedStack = outer;
  };
}

/** The managed policy in `stack` that holds its services' grants on `role`. */
function policyIn(stack: Stack, role: iam.IRole): iam.ManagedPolicy {
  const id = `Grants${Names.uniqueId(role)}`;
  const existing = stack.node.tryFindChild(id) as iam.ManagedPolicy | undefined;
  if (existing) return existing;
  const policy = new iam.ManagedPolicy(stack, id, {
    description: `What this nested stack's services need of the shared role ${role.node.path}`,
    roles: [role],
  });
  // The role's reasons for its wildcard resources hold for the same grants here.
  acknowledgeLikeRole(policy, role);
  return policy;
}

/**
 * Allows `actions` on `resources` for a role that many services share. Services that
 * need the same actions share a statement (up to RESOURCES_PER_STATEMENT resources)
 * instead of each repeating the actions, which keeps the policy small as a stack grows.
 */
export function allowOnResources(role: iam.IRole, actions: string[], resources: string[]): IConstruct | undefined {
  const policy = placedStack && Stack.of(role) !== placedStack ? policyIn(placedStack, role) : undefined;
  const owner: object = policy ?? role;
  let open = openStatements.get(owner);
  if (!open) {
    open = new Map();
    openStatements.set(owner, open);
  }
  const key = [...actions].sort().join(',');
  const current = open.get(key);
  const added = current ? resources.filter((r) => !current.resources.has(r)) : resources;
  // A statement is frozen once synthesized; a later grant gets a statement of its own.
  if (current && !current.statement.frozen && current.resources.size + added.length <= RESOURCES_PER_STATEMENT) {
    current.statement.addResources(...added);
    added.forEach((r) => current.resources.add(r));
    return holder(role, policy);
  }
  const statement = new iam.PolicyStatement({ actions, resources });
  open.set(key, { statement, resources: new Set(resources) });
  if (policy) policy.addStatements(statement);
  else role.addToPrincipalPolicy(statement);
  return holder(role, policy);
}

/** The policy resource that holds a grant: the nested stack's managed policy, else the role's default policy. */
function holder(role: iam.IRole, policy: iam.ManagedPolicy | undefined): IConstruct | undefined {
  return policy ?? role.node.tryFindChild('DefaultPolicy');
}
