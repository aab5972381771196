import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_events as eventsRefs } from 'aws-cdk-lib/interfaces';
import { ASSUME_ROLE_PARAMETER, IRunbook } from './runbook';
import { invalidProp } from '../core/validate';

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
}

/**
 * Starts an SSM Automation runbook when a rule matches.
 *
 * The target's ARN is the document's `automation-definition/NAME:$DEFAULT` form, and
 * its input maps the event's fields to the document's parameters.
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
    return {
      arn: this.runbook.automationDefinitionArn,
      role,
      input: events.RuleTargetInput.fromObject({
        ...parameters,
        [ASSUME_ROLE_PARAMETER]: [this.runbook.role.roleArn],
      }),
    };
  }
}
