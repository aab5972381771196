/** Where a simulated execution is when it asks its environment for something. */
export interface SimulationContext {
  /** The step that asks. */
  readonly stepName: string;
  /** Virtual seconds since the execution started. */
  readonly atSeconds: number;
}

/**
 * The outside world a simulated runbook talks to.
 *
 * To fail a step the way AWS would (an API error, a script exception), throw an error
 * with a `stepFailure: true` property; any other error aborts the simulation, because it
 * means the test did not prepare for that call.
 */
export interface IRunbookEnvironment {
  /** Answers `Api` of `Service` (boto3 names) called with `parameters`. */
  callAwsApi(service: string, api: string, parameters: any, context: SimulationContext): any;
  /** Returns what the `aws:executeScript` step `step`'s handler would return. */
  runScript(step: string, handler: string, payload: any, context: SimulationContext): any;
  /** Decides an `aws:approve` step: true approves, false rejects. */
  approve(step: string, inputs: any, context: SimulationContext): boolean;
  /** Decides an `aws:pause` step: true resumes, false fails it. */
  resume(step: string, context: SimulationContext): boolean;
}
