import { ACTIONS_WITHOUT_RESOURCE_LEVEL, checkWildcardActions, iamAction, StepPermission, StepResources } from './permissions';
import {
  AwsApiStepOptions, ApproveStepProps, BranchStepProps, CreateOpsItemStepProps, ExecuteAwsApiStepProps, ExecuteScriptStepProps,
  ResourcePropertyStepProps, SleepStepProps, StepOptions, StepOutput, RunbookValueType,
} from './step-props';
import { Limits } from '../core/limits';
import { integerInRange, invalidProp, matchingString, wholeDuration } from '../core/validate';


export * from './branch-choice';
export * from './step-props';

/** One step of a {@link Runbook}. */
export class RunbookStep {
  /** Calls an AWS API and keeps selected values of the response. */
  public static executeAwsApi(props: ExecuteAwsApiStepProps): RunbookStep {
    return new RunbookStep(props, 'aws:executeAwsApi', apiInputs(props), props.outputs, apiPermissions(props));
  }

  /** Calls an AWS API until a property of the response has one of the desired values. */
  public static waitForAwsResourceProperty(props: ResourcePropertyStepProps): RunbookStep {
    return new RunbookStep(props, 'aws:waitForAwsResourceProperty', propertyInputs(props), [], apiPermissions(props));
  }

  /** Fails unless a property of an API response has one of the desired values. */
  public static assertAwsResourceProperty(props: ResourcePropertyStepProps): RunbookStep {
    return new RunbookStep(props, 'aws:assertAwsResourceProperty', propertyInputs(props), [], apiPermissions(props));
  }

  /** Runs a Python handler with the runbook role's credentials. */
  public static executeScript(props: ExecuteScriptStepProps): RunbookStep {
    return new RunbookStep(props, 'aws:executeScript', {
      Runtime: props.runtime ?? 'python3.11',
      Handler: props.handler,
      Script: props.script,
      InputPayload: props.inputs ?? {},
    }, props.outputs, props.permissions ?? []);
  }

  /** Waits for approval; a rejection fails the step. Put one before every destructive step. */
  public static approve(props: ApproveStepProps): RunbookStep {
    if (props.approvers.length === 0) invalidProp(`RunbookStep ${props.name}`, 'approvers', 'name at least one approver');
    const single = props.approvers.length === 1 && /^\{\{\s*[A-Za-z0-9_]+\s*\}\}$/.test(props.approvers[0]);
    const minimum = integerInRange(`RunbookStep ${props.name}`, 'minRequiredApprovals', props.minRequiredApprovals ?? 1, 1, 10, 'approvals');
    return new RunbookStep(props, 'aws:approve', {
      Approvers: single ? props.approvers[0] : props.approvers,
      Message: props.message,
      MinRequiredApprovals: minimum,
      ...(props.notificationTopic ? { NotificationArn: props.notificationTopic.topicArn } : {}),
    }, [], props.notificationTopic
      ? [{ actions: ['sns:Publish'], resources: StepResources.arns(props.notificationTopic.topicArn) }] : []);
  }

  /** Waits for a duration, without holding any resource. */
  public static sleep(props: SleepStepProps): RunbookStep {
    const seconds = wholeDuration(`RunbookStep ${props.name}`, 'duration', props.duration, 'seconds', 1, Limits.AUTOMATION_SLEEP_SECONDS);
    return new RunbookStep(props, 'aws:sleep', { Duration: `PT${seconds}S` });
  }

  /** Pauses until an operator resumes the execution. */
  public static pause(props: StepOptions): RunbookStep {
    return new RunbookStep(props, 'aws:pause', {});
  }

  /** Goes to the step of the first matching choice. */
  public static branch(props: BranchStepProps): RunbookStep {
    if (props.choices.length === 0) invalidProp(`RunbookStep ${props.name}`, 'choices', 'a branch needs at least one choice');
    return new RunbookStep(props, 'aws:branch', {
      Choices: props.choices.map((c) => c._render()),
      ...(props.defaultStep ? { Default: props.defaultStep } : {}),
    });
  }

  /** Opens an OpsItem; its id is the output `OpsItemId`. */
  public static createOpsItem(props: CreateOpsItemStepProps): RunbookStep {
    const data: Record<string, unknown> = {};
    if (props.dedupString) data['/aws/dedup'] = { Type: 'SearchableString', Value: JSON.stringify({ dedupString: props.dedupString }) };
    for (const [key, value] of Object.entries(props.operationalData ?? {})) data[key] = { Type: 'String', Value: value };
    return RunbookStep.executeAwsApi({
      ...props,
      service: 'ssm',
      api: 'CreateOpsItem',
      inputs: {
        Title: props.title,
        Description: props.opsItemDescription,
        Source: props.source ?? 'cdk-opex',
        Severity: props.severity ?? '2',
        Category: props.category ?? 'Availability',
        ...(Object.keys(data).length ? { OperationalData: data } : {}),
      },
      outputs: [{ name: 'OpsItemId', selector: '$.OpsItemId' }],
    });
  }

  /** Step name. */
  public readonly name: string;
  /** Automation action, e.g. `aws:executeAwsApi`. */
  public readonly action: string;
  /** Names of the outputs this step publishes. */
  public readonly outputNames: string[];
  /** IAM permissions the step needs. */
  public readonly permissions: StepPermission[];
  /** Steps this one may go to (next step, failure step, branch targets). */
  public readonly jumpTargets: string[];
  private readonly rendered: Record<string, unknown>;

  private constructor(options: StepOptions, action: string, inputs: Record<string, unknown>,
    outputs: StepOutput[] = [], permissions: StepPermission[] = []) {
    this.name = matchingString('RunbookStep', 'name', options.name, /^[A-Za-z0-9_]{1,128}$/, 'letters, digits and _');
    const where = `RunbookStep ${options.name}`;
    this.action = action;
    const outputNames = outputs.map((o) => o.name);
    const duplicate = outputNames.find((n, i) => outputNames.indexOf(n) !== i);
    if (duplicate) invalidProp(where, 'outputs', `output '${duplicate}' is declared twice`);
    this.outputNames = outputNames;
    permissions.forEach((p) => checkWildcardActions(where, p));
    this.permissions = permissions;
    const choices = (inputs.Choices as Array<{ NextStep: string }> | undefined) ?? [];
    this.jumpTargets = [options.nextStep, options.onFailureStep, inputs.Default as string | undefined, ...choices.map((c) => c.NextStep)]
      .filter((t): t is string => t !== undefined);
    const maxAttempts = options.maxAttempts === undefined ? undefined : integerInRange(where, 'maxAttempts', options.maxAttempts, 1, 10, 'attempts');
    const timeoutSeconds = options.timeout === undefined ? undefined
      : wholeDuration(where, 'timeout', options.timeout, 'seconds', 1, Limits.AUTOMATION_STEP_TIMEOUT_SECONDS);
    this.rendered = {
      name: options.name,
      action,
      ...(options.description ? { description: options.description } : {}),
      ...(options.onFailureStep ? { onFailure: `step:${options.onFailureStep}` } : options.onFailure ? { onFailure: options.onFailure } : {}),
      ...(timeoutSeconds ? { timeoutSeconds } : {}),
      ...(maxAttempts ? { maxAttempts } : {}),
      ...(options.nextStep ? { nextStep: options.nextStep } : {}),
      ...(options.isEnd ? { isEnd: true } : {}),
      inputs,
      ...(outputs.length ? {
        outputs: outputs.map((o) => ({ Name: o.name, Selector: o.selector, Type: o.valueType ?? RunbookValueType.STRING })),
      } : {}),
    };
  }

  /** @internal */
  public _render(): Record<string, unknown> {
    return this.rendered;
  }
}

/** Service namespaces as boto3 names them: `lambda`, `ecs`, `application-autoscaling`. */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
/** API operations as AWS names them: PascalCase, e.g. `DescribeServices`. */
const API_NAME = /^[A-Z][A-Za-z0-9]{1,127}$/;
/** An IAM action: `prefix:Action`. */
const IAM_ACTION = /^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/;

/**
 * The cheap synth-time check of an API step: the service and API have the form AWS
 * gives them, so the derived IAM action is well-formed. Whether the API exists is
 * checked in cdk-opex's tests against AWS's service models (a dev dependency, not
 * available to users at synth).
 */
function checkApi(props: AwsApiStepOptions): void {
  const where = `RunbookStep ${props.name}`;
  matchingString(where, 'service', props.service, SERVICE_NAME, 'a service namespace as boto3 names it, e.g. lambda or ecs');
  matchingString(where, 'api', props.api, API_NAME, 'an API operation in PascalCase, as the API reference names it, e.g. DescribeServices');
  const action = iamAction(props.service, props.api);
  if (!IAM_ACTION.test(action)) invalidProp(where, 'api', `derives the IAM action '${action}', which is not of the form prefix:Action`);
}

function apiInputs(props: AwsApiStepOptions): Record<string, unknown> {
  checkApi(props);
  return { Service: props.service, Api: props.api, ...(props.inputs ?? {}) };
}

function propertyInputs(props: ResourcePropertyStepProps): Record<string, unknown> {
  if (props.desiredValues.length === 0) invalidProp(`RunbookStep ${props.name}`, 'desiredValues', 'give at least one value');
  return { ...apiInputs(props), PropertySelector: props.propertySelector, DesiredValues: props.desiredValues };
}

/** The call's own permission (`service:Api` on its resources) plus any it declares. */
function apiPermissions(props: AwsApiStepOptions): StepPermission[] {
  const action = iamAction(props.service, props.api);
  let resources = props.resources;
  if (!resources) {
    if (!(action in ACTIONS_WITHOUT_RESOURCE_LEVEL)) {
      invalidProp(`RunbookStep ${props.name}`, 'resources', `declare the resources ${action} acts on `
        + '(StepResources.arns(...) or StepResources.target(slot)): the runbook role gets exactly that');
    }
    resources = StepResources.any();
  }
  return [{ actions: [action], resources }, ...(props.permissions ?? [])];
}

/** Any `{{ name }}`, whatever characters the name has, so a misspelt one (`{{ no-such-param }}`) is caught too. */
const REFERENCE = /\{\{\s*([^{}]*?)\s*\}\}/g;

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
