import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { createOpsItemRunbook } from './library/generic';
import { RunbookTrigger } from './runbook-trigger';
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

/**
 * The first response to an alarm that pages and has no runbook of its own: the stack's
 * shared CreateOpsItem runbook opens a high-severity OpsItem with what is wrong and the
 * alarm's reason, so whoever is paged finds the incident record already started
 * (OPS10-BP07; what OPEX-AlarmHasRunbook asks). One rule per alarm, one runbook per stack.
 */
export function respondToPage(scope: Construct, id: string, alarm: cloudwatch.IAlarm, options: PageResponseOptions): RunbookTrigger {
  const runbook = OperationsHub.of(scope)._shared('CreateOpsItem', createOpsItemRunbook);
  return new RunbookTrigger(scope, id, {
    runbook,
    description: `Opens an OpsItem when ${alarm.node.id} goes into ALARM`,
    eventPattern: Triggers.alarmEntersAlarm(alarm),
    parameters: {
      Title: [options.title],
      Description: [`${options.description}\n\nAlarm ${events.EventField.fromPath('$.detail.alarmName')}: ${events.EventField.fromPath('$.detail.state.reason')}`],
      Severity: ['2'],
      DedupString: [options.dedupString],
    },
  });
}
