import { IRunbookEnvironment } from './environment';

/** Virtual seconds between two polls of `aws:waitForAwsResourceProperty` (SSM polls every few seconds; tests care about counts, not the exact gap). */
export const SIMULATED_POLL_INTERVAL_SECONDS = 15;
/** SSM's default `timeoutSeconds` of an `aws:waitForAwsResourceProperty` step. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 3600;
/** Steps one simulation may execute before it is declared a loop. */
export const DEFAULT_MAX_SIMULATED_STEPS = 100;

/** Status of a simulated execution or step, as SSM Automation names it. */
export enum SimulationStatus {
  SUCCESS = 'Success',
  FAILED = 'Failed',
  TIMED_OUT = 'TimedOut',
}

/** How to run a simulation. */
export interface SimulationOptions {
  /** Answers API calls, scripts, approvals and pauses. */
  readonly environment: IRunbookEnvironment;
  /**
   * Parameter values; they override the document's defaults.
   * @default - defaults only; `AutomationAssumeRole` defaults to a fake role ARN in `accountId`
   */
  readonly parameters?: { [name: string]: any };
  /**
   * Steps executed before the run is declared a loop and throws.
   * @default DEFAULT_MAX_SIMULATED_STEPS
   */
  readonly maxSteps?: number;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default '00000000-0000-4000-8000-000000000000' */
  readonly executionId?: string;
  /**
   * Wall-clock time the virtual clock starts at (ISO 8601); `global:DATE` and `global:DATE_TIME` follow the clock.
   * @default '2024-01-01T00:00:00Z'
   */
  readonly startTime?: string;
}

/** One executed step. */
export interface SimulatedStep {
  readonly name: string;
  readonly action: string;
  readonly status: SimulationStatus;
  /** Inputs of the last attempt, references resolved (unset if resolving failed). */
  readonly inputs?: any;
  /** Outputs by name; empty when the step failed. */
  readonly outputs: { [name: string]: any };
  /** Virtual seconds since the execution started. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly attempts: number;
  /** @default - the step succeeded */
  readonly failureMessage?: string;
}

/** What a simulated execution did. */
export interface SimulationResult {
  readonly status: SimulationStatus;
  /** Executed steps, in order (a step run twice appears twice). */
  readonly steps: SimulatedStep[];
  /** Names of the executed steps, in order. */
  readonly stepNames: string[];
  /** The document's `outputs`, as `Step.Output`, those that have a value. */
  readonly outputs: { [name: string]: any };
  /** Virtual seconds the execution took. */
  readonly elapsedSeconds: number;
  /** @default - the execution succeeded */
  readonly failureMessage?: string;
}
