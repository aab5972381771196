import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { IConstruct } from 'constructs';
import { createOpsItemRunbook } from './library/generic';
import { Runbook } from './runbook';
import { Triggers } from './triggers';
import { OperationsHub } from '../hub/operations-hub';

/** What the OpsItem opened for a page says. */
export interface PageResponseOptions {
  /** OpsItem title, e.g. `Checkout is burning its error budget`. */
  readonly title: string;
  /** What is wrong and where to look, in Markdown; the alarm's reason is appended. */
  readonly description: string;
  /** Events with the same text add to one open OpsItem. */
  readonly dedupString: string;
}

/** A rule's worth of response: the runbook, the events that start it and its parameters (a RunbookTrigger's props). */
export interface PageOpsItem {
  readonly runbook: Runbook;
  readonly description: string;
  readonly eventPattern: events.EventPattern;
  readonly parameters: { [name: string]: string[] };
}

/**
 * How the stack's shared CreateOpsItem runbook is started for an alarm that pages: a
 * high-severity OpsItem with what is wrong and the alarm's reason. Kept apart from the
 * rule so the response dead-letter queue, which every rule's target needs, can use it too.
 */
export function opsItemOnPage(scope: IConstruct, alarm: cloudwatch.IAlarm, options: PageResponseOptions): PageOpsItem {
  return {
    runbook: OperationsHub.of(scope)._shared('CreateOpsItem', createOpsItemRunbook),
    description: `Opens an OpsItem when ${alarm.node.id} goes into ALARM`,
    eventPattern: Triggers.alarmEntersAlarm(alarm),
    parameters: {
      Title: [options.title],
      Description: [`${options.description}\n\nAlarm ${events.EventField.fromPath('$.detail.alarmName')}: ${events.EventField.fromPath('$.detail.state.reason')}`],
      Severity: ['2'],
      DedupString: [options.dedupString],
    },
  };
}
