import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { opsItemOnPage, PageResponseOptions } from './page-opsitem';
import { RunbookTrigger } from './runbook-trigger';

export type { PageResponseOptions } from './page-opsitem';

/**
 * The first response to an alarm that pages and has no runbook of its own: the stack's
 * shared CreateOpsItem runbook opens a high-severity OpsItem with what is wrong and the
 * alarm's reason, so whoever is paged finds the incident record already started
 * (OPS10-BP07; what OPEX-AlarmHasRunbook asks). One rule per alarm, one runbook per stack.
 */
export function respondToPage(scope: Construct, id: string, alarm: cloudwatch.IAlarm, options: PageResponseOptions): RunbookTrigger {
  return new RunbookTrigger(scope, id, opsItemOnPage(scope, alarm, options));
}
