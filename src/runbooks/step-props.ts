import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BranchChoice } from './branch-choice';
import { StepPermission, StepResources } from './permissions';

/** Types of Automation values: document parameters and step outputs alike. */
export enum RunbookValueType {
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
   * @default RunbookValueType.STRING
   */
  readonly valueType?: RunbookValueType;
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
   * What to do when the step fails. Ignored when `onFailureStep` is set.
   * @default StepFailureAction.ABORT
   */
  readonly onFailure?: StepFailureAction;
  /**
   * Step to go to when this one fails (e.g. a step that records the failure).
   * @default - see onFailure
   */
  readonly onFailureStep?: string;
  /**
   * Step to run after this one.
   * @default - the next step in the list
   */
  readonly nextStep?: string;
  /**
   * End the runbook successfully after this step.
   * @default false
   */
  readonly isEnd?: boolean;
  /**
   * Longest the step may run: whole seconds, from 1 second to 7 days.
   * @default - the Automation default for the action
   */
  readonly timeout?: Duration;
  /**
   * Attempts before the step counts as failed, 1 to 10.
   * @default 1
   */
  readonly maxAttempts?: number;
}

/** An API call step (`aws:executeAwsApi`, `aws:waitForAwsResourceProperty`, `aws:assertAwsResourceProperty`). */
export interface AwsApiStepOptions extends StepOptions {
  /**
   * Service namespace as boto3 names it, e.g. `lambda`, `ssm`: lower-case letters,
   * digits and `-`.
   */
  readonly service: string;
  /**
   * API operation as the service's API reference names it, in PascalCase, e.g.
   * `GetAlias`; the step's IAM action is `service:Api`. Only its form is checked at
   * synth; cdk-opex's tests check its own runbooks against AWS's service models.
   */
  readonly api: string;
  /**
   * API parameters; strings may reference `{{ Parameter }}` or `{{ Step.Output }}`.
   * @default - none
   */
  readonly inputs?: { [name: string]: any };
  /**
   * Resources the call acts on; the step's permission is `service:Api` on these.
   * @default - `*` for actions in ACTIONS_WITHOUT_RESOURCE_LEVEL; required otherwise
   */
  readonly resources?: StepResources;
  /**
   * More permissions the call needs (e.g. `iam:PassRole`, or dependent actions).
   * @default - none
   */
  readonly permissions?: StepPermission[];
}

/** An `aws:executeAwsApi` step. */
export interface ExecuteAwsApiStepProps extends AwsApiStepOptions {
  /**
   * Values to keep from the response.
   * @default - none
   */
  readonly outputs?: StepOutput[];
}

/** An `aws:waitForAwsResourceProperty` or `aws:assertAwsResourceProperty` step. */
export interface ResourcePropertyStepProps extends AwsApiStepOptions {
  /** JSONPath of the property in the response, e.g. `$.services[0].deployments[0].rolloutState`. */
  readonly propertySelector: string;
  /** Values that satisfy the step. */
  readonly desiredValues: string[];
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
   * Every API the script calls, with its resources: the runbook's role gets these.
   * @default - none (a script that calls AWS fails without them)
   */
  readonly permissions?: StepPermission[];
  /**
   * @default 'python3.11'
   */
  readonly runtime?: string;
}

/** An `aws:approve` step: the runbook waits until enough approvers approve. */
export interface ApproveStepProps extends StepOptions {
  /** IAM user/role ARNs, or one `{{ Parameter }}` holding a list of them. */
  readonly approvers: string[];
  /** What the approver is asked to approve. */
  readonly message: string;
  /**
   * Approvals needed, 1 to 10.
   * @default 1
   */
  readonly minRequiredApprovals?: number;
  /**
   * Topic told that an approval is waiting.
   * @default - no notification
   */
  readonly notificationTopic?: sns.ITopic;
}

/** An `aws:sleep` step. */
export interface SleepStepProps extends StepOptions {
  /** How long to wait: whole seconds, from 1 second to 7 days. */
  readonly duration: Duration;
}

/** An `aws:branch` step. */
export interface BranchStepProps extends StepOptions {
  /** Choices, tried in order. */
  readonly choices: BranchChoice[];
  /**
   * Step to go to when no choice matches.
   * @default - the runbook fails when no choice matches
   */
  readonly defaultStep?: string;
}

/** An OpsItem created by a step (through `ssm:CreateOpsItem`). */
export interface CreateOpsItemStepProps extends StepOptions {
  /** OpsItem title; may reference parameters and outputs. */
  readonly title: string;
  /** What happened, in Markdown: the OpsItem's description. */
  readonly opsItemDescription: string;
  /**
   * Severity 1 (critical) to 4 (low).
   * @default '2'
   */
  readonly severity?: string;
  /**
   * @default 'Availability'
   */
  readonly category?: string;
  /**
   * Source shown in OpsCenter.
   * @default 'cdk-opex'
   */
  readonly source?: string;
  /**
   * Text that identifies duplicates: OpsCenter adds repeated events to the open OpsItem.
   * @default - no deduplication
   */
  readonly dedupString?: string;
  /**
   * More operational data, as key to text.
   * @default - none
   */
  readonly operationalData?: { [key: string]: string };
}
