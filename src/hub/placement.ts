/** Options of a placement that uses nested stacks. */
export interface NestedPlacementOptions {
  /**
   * Services whose operations resources share one nested stack. A default Lambda service
   * adds 7 resources and about 3.5 CloudFormation parameters to its nested stack, so 25 keep
   * each nested stack near 180 resources and 90 parameters, well under CloudFormation's
   * 500 and 200; lower it for services with many dependencies (each adds 5 alarms).
   * @default 25
   */
  readonly servicesPerStack?: number;
}

/** How a {@link ServicePlacement} decides where a service goes. */
export enum PlacementMode {
  /** In the stack while it has room, then in nested stacks. */
  AUTO = 'auto',
  /** Always in the stack. */
  SAME_STACK = 'same-stack',
  /** Always in nested stacks. */
  NESTED_STACKS = 'nested-stacks',
}

/**
 * Where a stack's services put their operations resources (alarms, alias, deployment
 * group, rules, dashboard section): in the stack itself, or in nested stacks of it once
 * the stack would pass CloudFormation's 500 resources. What the services share (topics,
 * key, runbook documents and roles) stays in the stack's hub either way, and the
 * dashboards, checks and readiness report treat the nested stacks as part of the stack.
 * Set it on the stack's hub before its first service: `new OperationsHub(stack, 'CdkOpexOperations', { placement })`.
 */
export class ServicePlacement {
  /**
   * The default. Each service goes into the stack while the stack, counted when the
   * service is created, has room for its 7 or more resources; from the first one that
   * would not fit, every further service goes into a nested stack. A stack that fits
   * keeps every service where it is. Resources you add after your services still count:
   * if the stack passes 500 at synth, the error names `nestedStacks()`.
   */
  public static auto(options: NestedPlacementOptions = {}): ServicePlacement {
    return new ServicePlacement(PlacementMode.AUTO, options);
  }

  /** Every service stays in its stack; synth fails with a clear error if the stack passes 500 resources. */
  public static sameStack(): ServicePlacement {
    return new ServicePlacement(PlacementMode.SAME_STACK, {});
  }

  /**
   * Every service's operations resources go into nested stacks of `servicesPerStack`
   * services each, from the first service on: for stacks whose own resources leave little
   * room (a hundred functions or more).
   */
  public static nestedStacks(options: NestedPlacementOptions = {}): ServicePlacement {
    return new ServicePlacement(PlacementMode.NESTED_STACKS, options);
  }

  /** How the placement decides. */
  public readonly mode: PlacementMode;
  /**
   * Services per nested stack, when given.
   * @default - 25
   */
  public readonly servicesPerStack?: number;

  private constructor(mode: PlacementMode, options: NestedPlacementOptions) {
    this.mode = mode;
    this.servicesPerStack = options.servicesPerStack;
  }
}
