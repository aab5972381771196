/** One choice of a branch step. */
export class BranchChoice {
  /** Go to `nextStep` when `variable` (e.g. `{{ Step.Output }}`) equals `value`. */
  public static stringEquals(variable: string, value: string, nextStep: string): BranchChoice {
    return new BranchChoice(nextStep, variable, 'StringEquals', value);
  }

  /** Go to `nextStep` when the number `variable` equals `value`. */
  public static numericEquals(variable: string, value: number, nextStep: string): BranchChoice {
    return new BranchChoice(nextStep, variable, 'NumericEquals', value);
  }

  /** Go to `nextStep` when the number `variable` is greater than `value`. */
  public static numericGreater(variable: string, value: number, nextStep: string): BranchChoice {
    return new BranchChoice(nextStep, variable, 'NumericGreater', value);
  }

  /** Go to `nextStep` when the number `variable` is less than `value`. */
  public static numericLesser(variable: string, value: number, nextStep: string): BranchChoice {
    return new BranchChoice(nextStep, variable, 'NumericLesser', value);
  }

  /** Go to `nextStep` when the boolean `variable` is `value`. */
  public static booleanEquals(variable: string, value: boolean, nextStep: string): BranchChoice {
    return new BranchChoice(nextStep, variable, 'BooleanEquals', value);
  }

  private constructor(
    /** Step to go to. */
    public readonly nextStep: string,
    private readonly variable: string,
    private readonly operator: string,
    private readonly value: any,
  ) {}

  /** @internal */
  public _render(): Record<string, unknown> {
    return { NextStep: this.nextStep, Variable: this.variable, [this.operator]: this.value };
  }
}
