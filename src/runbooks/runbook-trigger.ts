import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { IRunbook } from './runbook';
import { SsmAutomationTarget } from './ssm-automation-target';
import { invalidProp } from '../core/validate';

/** Properties of a {@link RunbookTrigger}. */
export interface RunbookTriggerProps {
  /** The runbook to start. */
  readonly runbook: IRunbook;
  /**
   * Events that start it (see `Triggers`). Give this or `schedule`.
   * @default - none
   */
  readonly eventPattern?: events.EventPattern;
  /**
   * When to start it, e.g. a weekly check. Give this or `eventPattern`.
   * @default - none
   */
  readonly schedule?: events.Schedule;
  /**
   * Document parameters, each a list of strings; values may be `EventField`s.
   * @default - none besides AutomationAssumeRole
   */
  readonly parameters?: { [name: string]: string[] };
  /**
   * @default - says which runbook it starts
   */
  readonly description?: string;
}

/** An EventBridge rule that starts a runbook on an event or a schedule. */
export class RunbookTrigger extends Construct {
  /** The rule. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: RunbookTriggerProps) {
    super(scope, id);
    if (!props.eventPattern === !props.schedule) {
      invalidProp(this, 'eventPattern', 'give exactly one of eventPattern and schedule');
    }
    // 'Default' keeps the rule's logical id what it would be without this wrapper.
    this.rule = new events.Rule(this, 'Default', {
      description: props.description ?? `Starts the runbook ${props.runbook.node.id}`,
      eventPattern: props.eventPattern,
      schedule: props.schedule,
      targets: [new SsmAutomationTarget(props.runbook, { parameters: props.parameters })],
    });
  }
}
