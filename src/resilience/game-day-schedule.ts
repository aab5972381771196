import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { GameDayScenario } from './game-day-props';
import { ASSUME_ROLE_PARAMETER, Runbook } from '../runbooks/runbook';

/** Default schedule of a game day: Tuesdays at 10:00, in working hours. */
export const DEFAULT_GAME_DAY_SCHEDULE = 'cron(0 10 ? * TUE *)';
/** EventBridge Scheduler's universal target that calls Systems Manager's StartAutomationExecution. */
export const START_AUTOMATION_TARGET = 'arn:aws:scheduler:::aws-sdk:ssm:startAutomationExecution';

/** A scheduled scenario and the runbook parameters that run it. */
export interface ScheduledScenario {
  readonly scenario: GameDayScenario;
  readonly experiment: { readonly name: string; readonly runParameters: { [name: string]: string[] } };
}

/**
 * One EventBridge Scheduler schedule per scheduled scenario, starting the game-day runbook
 * with a role allowed to start only that document (and pass its role to Automation). Never retried:
 * a missed game day is skipped, not run twice.
 */
export function createSchedules(scope: Construct, runbook: Runbook, serviceName: string, scheduled: ScheduledScenario[]): scheduler.CfnSchedule[] {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'ScheduleRole', {
    description: `Lets EventBridge Scheduler start the game-day runbook for ${serviceName}`,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
  });
  runbook.grantStart(role);
  return scheduled.map(({ scenario, experiment }) => new scheduler.CfnSchedule(scope, `${experiment.name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Schedule`, {
    description: `cdk-opex game day ${experiment.name} of ${serviceName}: injects its fault and verifies detection and response`,
    scheduleExpression: scenario.schedule!.expression ?? DEFAULT_GAME_DAY_SCHEDULE,
    scheduleExpressionTimezone: scenario.schedule!.timeZone ?? 'UTC',
    flexibleTimeWindow: { mode: 'OFF' },
    state: 'ENABLED',
    target: {
      arn: START_AUTOMATION_TARGET,
      roleArn: role.roleArn,
      input: stack.toJsonString({
        DocumentName: runbook.documentName,
        Parameters: { [ASSUME_ROLE_PARAMETER]: [runbook.role.roleArn], ...experiment.runParameters },
      }),
      retryPolicy: { maximumRetryAttempts: 0 },
    },
  }));
}
