/**
 * The faults a game day can inject into each service kind, keyed by the kind's name
 * (`IServiceKind.kindName`). Pure data: a kind's `faults` lists the FIS action ids of
 * its entries here, and `GameDay` builds an experiment from an entry.
 */

/** Faults a {@link GameDayScenario} injects. */
export enum GameDayFault {
  /** Lambda: a share of invocations fail (`aws:lambda:invocation-error`). */
  LAMBDA_INVOCATION_ERROR = 'lambda-invocation-error',
  /** Lambda: a share of invocations start late (`aws:lambda:invocation-add-delay`). */
  LAMBDA_INVOCATION_DELAY = 'lambda-invocation-delay',
  /** ECS: a share of the service's tasks are stopped (`aws:ecs:stop-task`). */
  ECS_STOP_TASKS = 'ecs-stop-tasks',
}

/** What blast radius a fault's percentage is a share of. */
export enum BlastRadiusUnit {
  /** `invocationPercentage`: the share of invocations the fault touches, for `duration`. */
  INVOCATIONS = 'invocations',
  /** `selectionMode: PERCENT(n)`: the share of the service's tasks FIS picks, once. */
  TASKS = 'tasks',
}

/** One fault of a service kind, as FIS injects it. */
export interface FaultDefinition {
  readonly fault: GameDayFault;
  /** FIS action id. */
  readonly actionId: string;
  /** FIS target resource type. */
  readonly targetResourceType: string;
  /** Key of the action's target in the template (`Functions`, `Tasks`). */
  readonly actionTargetKey: string;
  /** What its blast radius is a share of. */
  readonly unit: BlastRadiusUnit;
  /** Whether the action lasts `duration` (false: it acts once, e.g. stopping tasks). */
  readonly hasDuration: boolean;
  /** The service's signals (alarm signal names) the fault is expected to trip; each feeds the health alarm. */
  readonly trips: string[];
  /** The signal whose alarm, at a higher threshold, guards users beyond the fault (a rate in %). */
  readonly guardSignal: string;
  /** IAM actions the experiment role needs on the targets (FIS actions reference). */
  readonly targetActions: string[];
  /** Whether the fault needs the FIS Lambda extension on the function. */
  readonly needsLambdaExtension: boolean;
}

/** Actions on Lambda functions FIS's Lambda actions need: read the function's configuration location, write the fault there. */
const LAMBDA_TARGET_ACTIONS = ['lambda:GetFunction'];

/** The faults of each service kind, by kind name. */
export const KIND_FAULTS: { [kindName: string]: FaultDefinition[] } = {
  lambda: [
    {
      fault: GameDayFault.LAMBDA_INVOCATION_ERROR,
      actionId: 'aws:lambda:invocation-error',
      targetResourceType: 'aws:lambda:function',
      actionTargetKey: 'Functions',
      unit: BlastRadiusUnit.INVOCATIONS,
      hasDuration: true,
      trips: ['errors'],
      guardSignal: 'errors',
      targetActions: LAMBDA_TARGET_ACTIONS,
      needsLambdaExtension: true,
    },
    {
      fault: GameDayFault.LAMBDA_INVOCATION_DELAY,
      actionId: 'aws:lambda:invocation-add-delay',
      targetResourceType: 'aws:lambda:function',
      actionTargetKey: 'Functions',
      unit: BlastRadiusUnit.INVOCATIONS,
      hasDuration: true,
      trips: ['latency'],
      guardSignal: 'errors',
      targetActions: LAMBDA_TARGET_ACTIONS,
      needsLambdaExtension: true,
    },
  ],
  ecs: [
    {
      fault: GameDayFault.ECS_STOP_TASKS,
      actionId: 'aws:ecs:stop-task',
      targetResourceType: 'aws:ecs:task',
      actionTargetKey: 'Tasks',
      unit: BlastRadiusUnit.TASKS,
      hasDuration: false,
      trips: ['unhealthy-tasks', 'errors'],
      guardSignal: 'lb-errors',
      targetActions: ['ecs:DescribeTasks', 'ecs:StopTask'],
      needsLambdaExtension: false,
    },
  ],
};

// A queue worker's faults are its consumer function's: the queue has none FIS can inject.
KIND_FAULTS['queue-worker'] = KIND_FAULTS.lambda;

/** FIS action ids of a kind's faults, for its `faults` field. */
export function faultActionIds(kindName: string): string[] {
  return (KIND_FAULTS[kindName] ?? []).map((f) => f.actionId);
}

/** The definition of `fault` for a kind, if the kind has it. */
export function faultOf(kindName: string, fault: GameDayFault): FaultDefinition | undefined {
  return (KIND_FAULTS[kindName] ?? []).find((f) => f.fault === fault);
}

/** Longest an FIS experiment may run (12 hours), in seconds. */
export const FIS_MAX_DURATION_SECONDS = 43_200;
/** Longest delay `aws:lambda:invocation-add-delay` adds, in milliseconds (15 minutes). */
export const FIS_MAX_LAMBDA_DELAY_MILLIS = 900_000;
