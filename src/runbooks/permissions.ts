import { invalidProp } from '../core/validate';

/**
 * The only actions a runbook role may hold on `*`, each with the reason IAM cannot
 * scope it. A step that needs an action on `*` that is not listed here fails synth.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL: { [action: string]: string } = {
  'ssm:CreateOpsItem': 'ssm:CreateOpsItem has no resource type (the OpsItem does not exist yet); its only condition keys, '
    + 'aws:RequestTag and aws:TagKeys, constrain the tags of the request, not which OpsItem',
  'cloudwatch:GetMetricData': 'cloudwatch:GetMetricData has no resource-level permission',
  'cloudwatch:PutMetricData': 'cloudwatch:PutMetricData has no resource type (its only condition key, cloudwatch:namespace, names the namespace, not a resource)',
  'ssm:DescribeAutomationExecutions': 'ssm:DescribeAutomationExecutions has no resource-level permission (it lists executions by filter)',
  'ssm:DescribeOpsItems': 'ssm:DescribeOpsItems has no resource-level permission (it lists OpsItems by filter)',
};

/** IAM prefixes that differ from the service name Automation uses. */
const IAM_PREFIX: { [service: string]: string } = {
  'elbv2': 'elasticloadbalancing',
  'elb': 'elasticloadbalancing',
  'stepfunctions': 'states',
  'application-autoscaling': 'application-autoscaling',
};

/** The IAM action for an API call of `aws:executeAwsApi` and its kin. */
export function iamAction(service: string, api: string): string {
  return `${IAM_PREFIX[service.toLowerCase()] ?? service.toLowerCase()}:${api}`;
}

/** Kinds of {@link StepResources}. */
export enum StepResourcesKind {
  /** ARNs known when the runbook is defined. */
  ARNS = 'ARNS',
  /** The resources of each target the runbook is allowed on, bound later. */
  TARGET = 'TARGET',
  /** `*`, for actions without resource-level permission. */
  ANY = 'ANY',
  /** `*`, narrowed by a condition key to the ARNs of each target, bound later. */
  CONDITION = 'CONDITION',
}

/** Which resources a step's actions apply to. */
export class StepResources {
  /** Fixed ARNs, known when the runbook is defined. */
  public static arns(...arns: string[]): StepResources {
    if (arns.length === 0) invalidProp('StepResources.arns', 'arns', 'give at least one ARN');
    return new StepResources(StepResourcesKind.ARNS, arns);
  }

  /**
   * A kind of resource the runbook acts on, named by `slot` (e.g. `function`); the
   * ARNs of each target are bound with `runbook.allowOn(slot, arns)`. A shared runbook
   * document this way holds permissions for exactly the targets it serves.
   */
  public static target(slot: string): StepResources {
    return new StepResources(StepResourcesKind.TARGET, [], slot);
  }

  /**
   * `*`, narrowed by the condition key `conditionKey` (`ArnEquals`) to the ARNs each
   * target binds with `runbook.allowOn(slot, arns)`: for actions whose resource IAM
   * cannot name but whose request a condition key scopes, e.g. `ecs:ListTasks` by
   * `ecs:cluster`.
   */
  public static anyWhere(conditionKey: string, slot: string): StepResources {
    return new StepResources(StepResourcesKind.CONDITION, ['*'], slot, conditionKey);
  }

  /** `*`: only for actions listed in ACTIONS_WITHOUT_RESOURCE_LEVEL. */
  public static any(): StepResources {
    return new StepResources(StepResourcesKind.ANY, ['*']);
  }

  private constructor(
    /** Kind of resources. */
    public readonly kind: StepResourcesKind,
    /** ARNs for ARNS and ANY; empty for TARGET. */
    public readonly resourceArns: string[],
    /**
     * Slot name for TARGET and CONDITION.
     * @default - none
     */
    public readonly slot?: string,
    /**
     * Condition key for CONDITION, e.g. `ecs:cluster`.
     * @default - none
     */
    public readonly conditionKey?: string,
  ) {}
}

/** IAM actions one step needs, and where. */
export interface StepPermission {
  /** IAM actions, e.g. `lambda:GetAlias`. */
  readonly actions: string[];
  /** Where the actions apply. */
  readonly resources: StepResources;
}

/** Throws unless every action on `*` has a listed reason. */
export function checkWildcardActions(where: string, permission: StepPermission): void {
  if (permission.resources.kind !== StepResourcesKind.ANY) return;
  const unscoped = permission.actions.filter((a) => !(a in ACTIONS_WITHOUT_RESOURCE_LEVEL));
  if (unscoped.length) {
    invalidProp(where, 'resources', `${unscoped.join(', ')} can be scoped to resources: declare them with `
      + 'StepResources.arns(...) or StepResources.target(slot), not StepResources.any()');
  }
}
