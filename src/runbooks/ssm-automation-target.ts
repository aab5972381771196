import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { aws_events as eventsRefs } from 'aws-cdk-lib/interfaces';
import { responseDeadLetterQueue } from './response-dead-letters';
import { ASSUME_ROLE_PARAMETER, IRunbook } from './runbook';
import { invalidProp } from '../core/validate';

/**
 * Retries of a runbook start: enough to ride out throttling of StartAutomationExecution,
 * few enough that a start that cannot succeed (a missing permission or document)
 * reaches the dead-letter queue, and pages, within minutes.
 */
export const RUNBOOK_START_RETRIES = 4;
/** How long EventBridge keeps trying to start a runbook for one event: a response later than this is no response. */
export const RUNBOOK_START_MAX_EVENT_AGE = Duration.minutes(15);

/** Properties of an {@link SsmAutomationTarget}. */
export interface SsmAutomationTargetProps {
  /**
   * Document parameters, each a list of strings. A value may be an
   * `events.EventField` to copy a field of the event, e.g.
   * `EventField.fromPath('$.detail.alarmName')`. `AutomationAssumeRole` is
   * filled in with the runbook's role.
   * @default - no parameters besides AutomationAssumeRole
   */
  readonly parameters?: { [name: string]: string[] };
  /**
   * Role EventBridge assumes to start the runbook.
   * @default - the runbook's start role, allowed to start only that runbook
   */
  readonly role?: iam.IRole;
  /**
   * Where an event goes when the runbook could not be started after the retries.
   * @default - the stack's response dead-letter queue (OperationsHub), whose alarm pages
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Times EventBridge retries starting the runbook.
   * @default RUNBOOK_START_RETRIES (4)
   */
  readonly retryAttempts?: number;
  /**
   * How long EventBridge keeps retrying one event, at most 24 hours.
   * @default RUNBOOK_START_MAX_EVENT_AGE (15 minutes)
   */
  readonly maxEventAge?: Duration;
}

/**
 * Starts an SSM Automation runbook when a rule matches.
 *
 * The target's ARN is the document's `automation-definition/NAME:$DEFAULT` form, and
 * its input maps the event's fields to the document's parameters. A start that fails
 * is retried, then dead-lettered: no response is lost silently.
 */
export class SsmAutomationTarget implements events.IRuleTarget {
  constructor(private readonly runbook: IRunbook, private readonly props: SsmAutomationTargetProps = {}) {}

  public bind(rule: eventsRefs.IRuleRef, _id?: string): events.RuleTargetConfig {
    const parameters = this.props.parameters ?? {};
    for (const name of Object.keys(parameters)) {
      if (name === ASSUME_ROLE_PARAMETER) {
        invalidProp(rule, 'parameters', `${ASSUME_ROLE_PARAMETER} is filled in with the runbook's role; do not pass it`);
      }
      if (!this.runbook.parameterNames.includes(name)) {
        invalidProp(rule, 'parameters', `'${name}' is not a parameter of the runbook (it has ${this.runbook.parameterNames.join(', ')})`);
      }
    }
    const missing = this.runbook.requiredParameterNames.filter((n) => n !== ASSUME_ROLE_PARAMETER && !(n in parameters));
    if (missing.length) {
      invalidProp(rule, 'parameters', `the runbook requires ${missing.join(', ')}, which the target does not pass`);
    }
    const role = this.props.role ?? this.runbook.startRole;
    if (this.props.role) this.runbook.grantStart(this.props.role);
    const retries = this.props.retryAttempts ?? RUNBOOK_START_RETRIES;
    if (!Token.isUnresolved(retries) && (!Number.isInteger(retries) || retries < 0 || retries > 185)) {
      invalidProp(rule, 'retryAttempts', `EventBridge retries 0 to 185 times (got ${retries})`);
    }
    const maxAge = this.props.maxEventAge ?? RUNBOOK_START_MAX_EVENT_AGE;
    if (!maxAge.isUnresolved() && (maxAge.toSeconds() < 60 || maxAge.toSeconds() > 86_400)) {
      invalidProp(rule, 'maxEventAge', `EventBridge keeps an event 60 to 86,400 seconds (got ${maxAge.toSeconds()} s)`);
    }
    const deadLetterQueue = this.props.deadLetterQueue
      ?? responseDeadLetterQueue(rule, (runbook, input, queue) => new SsmAutomationTarget(runbook, { parameters: input, deadLetterQueue: queue }));
    return {
      arn: this.runbook.automationDefinitionArn,
      role,
      retryPolicy: { maximumRetryAttempts: retries, maximumEventAgeInSeconds: maxAge.toSeconds() },
      deadLetterConfig: { arn: deadLetterQueue.queueArn },
      input: events.RuleTargetInput.fromObject({
        ...parameters,
        [ASSUME_ROLE_PARAMETER]: [this.runbook.role.roleArn],
      }),
    };
  }
}
