import { Duration } from 'aws-cdk-lib';
import { invalidProp, matchingString } from '../core/validate';

/** Types a step output can have. */
export enum StepOutputType {
  STRING = 'String',
  INTEGER = 'Integer',
  BOOLEAN = 'Boolean',
  STRING_LIST = 'StringList',
  STRING_MAP = 'StringMap',
  MAP_LIST = 'MapList',
}

/** A value a step publishes for later steps and the runbook's outputs. */
export interface StepOutput {
  /** Output name, referenced as `{{ StepName.OutputName }}`. */
  readonly name: string;
  /** JSONPath into the API response (or `$.Payload.x` for a script's return value). */
  readonly selector: string;
  /**
   * @default StepOutputType.STRING
   */
  readonly type?: StepOutputType;
}

/** What the runbook does when a step fails. */
export enum StepFailureAction {
  /** Stop the runbook; the execution fails. */
  ABORT = 'Abort',
  /** Record the failure and go on with the next step. */
  CONTINUE = 'Continue',
}

/** Options every step shares. */
export interface StepOptions {
  /** Step name: letters, digits and _, unique in the runbook. */
  readonly name: string;
  /**
   * What the step does, shown in the execution's history.
   * @default - none
   */
  readonly description?: string;
  /**
   * @default StepFailureAction.ABORT
   */
  readonly onFailure?: StepFailureAction;
  /**
   * Longest the step may run.
   * @default - the Automation default for the action
   */
  readonly timeout?: Duration;
}

/** An `aws:executeAwsApi` step. */
export interface ExecuteAwsApiStepProps extends StepOptions {
  /** Service namespace as boto3 names it, e.g. `lambda`, `ssm`. */
  readonly service: string;
  /** API operation, e.g. `GetAlias`. */
  readonly api: string;
  /**
   * API parameters; strings may reference `{{ Parameter }}` or `{{ Step.Output }}`.
   * @default - none
   */
  readonly inputs?: { [name: string]: any };
  /**
   * Values to keep from the response.
   * @default - none
   */
  readonly outputs?: StepOutput[];
}

/** An `aws:executeScript` step running Python. */
export interface ExecuteScriptStepProps extends StepOptions {
  /** Python source defining the handler function. */
  readonly script: string;
  /** Name of the function Automation calls with `(events, context)`. */
  readonly handler: string;
  /**
   * Values passed to the handler as its first argument.
   * @default - none
   */
  readonly inputs?: { [name: string]: any };
  /**
   * Values to keep from the handler's return value (`$.Payload.key`).
   * @default - none
   */
  readonly outputs?: StepOutput[];
  /**
   * @default 'python3.11'
   */
  readonly runtime?: string;
}

/** One step of a {@link Runbook}. */
export class RunbookStep {
  /** Calls an AWS API and keeps selected values of the response. */
  public static executeAwsApi(props: ExecuteAwsApiStepProps): RunbookStep {
    return new RunbookStep(props, 'aws:executeAwsApi', {
      Service: props.service,
      Api: props.api,
      ...(props.inputs ?? {}),
    }, props.outputs);
  }

  /** Runs a Python handler with the runbook role's credentials. */
  public static executeScript(props: ExecuteScriptStepProps): RunbookStep {
    return new RunbookStep(props, 'aws:executeScript', {
      Runtime: props.runtime ?? 'python3.11',
      Handler: props.handler,
      Script: props.script,
      InputPayload: props.inputs ?? {},
    }, props.outputs);
  }

  /** Step name. */
  public readonly name: string;
  /** Automation action, e.g. `aws:executeAwsApi`. */
  public readonly action: string;
  /** Names of the outputs this step publishes. */
  public readonly outputNames: string[];
  private readonly rendered: Record<string, unknown>;

  private constructor(options: StepOptions, action: string, inputs: Record<string, unknown>, outputs: StepOutput[] = []) {
    this.name = matchingString('RunbookStep', 'name', options.name, /^[A-Za-z0-9_]{1,128}$/, 'letters, digits and _');
    this.action = action;
    const outputNames = outputs.map((o) => o.name);
    const duplicate = outputNames.find((n, i) => outputNames.indexOf(n) !== i);
    if (duplicate) invalidProp(`RunbookStep ${options.name}`, 'outputs', `output '${duplicate}' is declared twice`);
    this.outputNames = outputNames;
    this.rendered = {
      name: options.name,
      action,
      ...(options.description ? { description: options.description } : {}),
      ...(options.onFailure ? { onFailure: options.onFailure } : {}),
      ...(options.timeout ? { timeoutSeconds: options.timeout.toSeconds() } : {}),
      inputs,
      ...(outputs.length ? {
        outputs: outputs.map((o) => ({ Name: o.name, Selector: o.selector, Type: o.type ?? StepOutputType.STRING })),
      } : {}),
    };
  }

  /** @internal */
  public _render(): Record<string, unknown> {
    return this.rendered;
  }
}

const REFERENCE = /\{\{\s*([A-Za-z0-9_:.]+)\s*\}\}/g;

/** Every `{{ name }}` a step's inputs mention. */
export function stepReferences(step: RunbookStep): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(REFERENCE)) found.push(match[1]);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  // A script's source is Python, not a template: only its inputs are scanned.
  const inputs = { ...(step._render().inputs as Record<string, unknown>) };
  delete inputs.Script;
  visit(inputs);
  return found;
}
