import * as iam from 'aws-cdk-lib/aws-iam';

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

const openStatements = new WeakMap<iam.IRole, Map<string, OpenStatement>>();

/**
 * Allows `actions` on `resources` for a role that many services share. Services that
 * need the same actions share a statement (up to RESOURCES_PER_STATEMENT resources)
 * instead of each repeating the actions, which keeps the policy small as a stack grows.
 */
export function allowOnResources(role: iam.IRole, actions: string[], resources: string[]): void {
  let open = openStatements.get(role);
  if (!open) {
    open = new Map();
    openStatements.set(role, open);
  }
  const key = [...actions].sort().join(',');
  const current = open.get(key);
  const added = current ? resources.filter((r) => !current.resources.has(r)) : resources;
  // A statement is frozen once synthesized; a later grant gets a statement of its own.
  if (current && !current.statement.frozen && current.resources.size + added.length <= RESOURCES_PER_STATEMENT) {
    current.statement.addResources(...added);
    added.forEach((r) => current.resources.add(r));
    return;
  }
  const statement = new iam.PolicyStatement({ actions, resources });
  open.set(key, { statement, resources: new Set(resources) });
  role.addToPrincipalPolicy(statement);
}
