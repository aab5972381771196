import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { StepResources } from '../permissions';
import { Runbook, RunbookParameter } from '../runbook';
import { RunbookStep, RunbookValueType } from '../step';

/** The function and alias every Lambda runbook acts on. */
export const FUNCTION_PARAMETERS: RunbookParameter[] = [
  { name: 'FunctionName', description: 'Name of the function.' },
  { name: 'AliasName', description: 'Alias that serves traffic.', defaultValue: 'live' },
];

/** Which version the alias serves now (output `CurrentVersion`). */
export function describeAliasStep(): RunbookStep {
  return RunbookStep.executeAwsApi({
    name: 'DescribeAlias',
    description: 'Which version the alias serves now, and any weighted routing of a rollout in progress.',
    service: 'lambda',
    api: 'GetAlias',
    inputs: { FunctionName: '{{ FunctionName }}', Name: '{{ AliasName }}' },
    outputs: [{ name: 'CurrentVersion', selector: '$.FunctionVersion' }],
    resources: StepResources.target(FUNCTION_SLOT),
  });
}

/** Target slots: the function, and the log group it writes to. */
export const FUNCTION_SLOT = 'function';
export const LOG_GROUP_SLOT = 'logGroup';

/** How far back the runbook looks for errors in the function's logs. */
const LOOKBACK_MINUTES = 15;

const COLLECT_SCRIPT = `
import time
import boto3

def collect(events, context):
    lam = boto3.client('lambda')
    logs = boto3.client('logs')
    name = events['FunctionName']
    current = events['CurrentVersion']
    versions = []
    for page in lam.get_paginator('list_versions_by_function').paginate(FunctionName=name):
        versions += [v['Version'] for v in page['Versions'] if v['Version'].isdigit()]
    older = sorted(int(v) for v in versions if current.isdigit() and int(v) < int(current))
    reserved = lam.get_function_concurrency(FunctionName=name).get('ReservedConcurrentExecutions')
    since = int((time.time() - ${LOOKBACK_MINUTES} * 60) * 1000)
    try:
        found = logs.filter_log_events(
            logGroupName=events['LogGroupName'], startTime=since, limit=50,
            filterPattern='?ERROR ?Error ?Exception ?"Task timed out"')['events']
        errors = [e['message'].strip()[:300] for e in found]
    except logs.exceptions.ResourceNotFoundException:
        errors = []
    return {
        'PreviousVersion': str(older[-1]) if older else 'none',
        'ReservedConcurrency': 'unreserved' if reserved is None else str(reserved),
        'RecentErrorCount': len(errors),
        'RecentErrors': '\\n'.join(errors[-10:]) or 'none in the last ${LOOKBACK_MINUTES} minutes',
    }
`;

/**
 * Gathers what a responder asks first when a function is unhealthy (which version
 * serves the alias, the one before it, concurrency, recent errors) and records it
 * on an OpsItem. Read-only: it changes nothing on the function.
 */
export function createLambdaDiagnosticsRunbook(scope: Construct, id: string): Runbook {
  const runbook = new Runbook(scope, id, {
    description: 'cdk-opex: gather diagnostics for an unhealthy Lambda function (alias version, previous version, '
      + `reserved concurrency, errors logged in the last ${LOOKBACK_MINUTES} minutes) and record them on an OpsItem.`,
    parameters: [
      ...FUNCTION_PARAMETERS,
      { name: 'LogGroupName', description: 'Log group the function writes to.' },
      { name: 'ServiceName', description: 'Service the function belongs to.' },
      { name: 'AlarmName', description: 'Alarm that started this runbook.', defaultValue: 'manual start' },
    ],
    steps: [
      describeAliasStep(),
      RunbookStep.executeScript({
        name: 'CollectDiagnostics',
        description: 'Previous version, reserved concurrency and recent errors from the logs.',
        handler: 'collect',
        script: COLLECT_SCRIPT,
        inputs: {
          FunctionName: '{{ FunctionName }}',
          CurrentVersion: '{{ DescribeAlias.CurrentVersion }}',
          LogGroupName: '{{ LogGroupName }}',
        },
        outputs: [
          { name: 'PreviousVersion', selector: '$.Payload.PreviousVersion' },
          { name: 'ReservedConcurrency', selector: '$.Payload.ReservedConcurrency' },
          { name: 'RecentErrorCount', selector: '$.Payload.RecentErrorCount', valueType: RunbookValueType.INTEGER },
          { name: 'RecentErrors', selector: '$.Payload.RecentErrors' },
        ],
        permissions: [
          { actions: ['lambda:ListVersionsByFunction', 'lambda:GetFunctionConcurrency'], resources: StepResources.target(FUNCTION_SLOT) },
          { actions: ['logs:FilterLogEvents'], resources: StepResources.target(LOG_GROUP_SLOT) },
        ],
      }),
      RunbookStep.createOpsItem({
        name: 'RecordOpsItem',
        description: 'Open an OpsItem carrying the diagnostics; repeated alarms add to the same one.',
        title: '{{ ServiceName }} is unhealthy ({{ AlarmName }})',
        opsItemDescription: [
          '{{ AlarmName }} went into ALARM for function {{ FunctionName }}.',
          'Alias {{ AliasName }} serves version {{ DescribeAlias.CurrentVersion }}; the previous version is {{ CollectDiagnostics.PreviousVersion }}.',
          'Reserved concurrency: {{ CollectDiagnostics.ReservedConcurrency }}.',
          `Errors logged in the last ${LOOKBACK_MINUTES} minutes: {{ CollectDiagnostics.RecentErrorCount }}.`,
        ].join('\n'),
        dedupString: 'cdk-opex:{{ FunctionName }}:unhealthy',
        operationalData: {
          'cdk-opex:function': '{{ FunctionName }}',
          'cdk-opex:current-version': '{{ DescribeAlias.CurrentVersion }}',
          'cdk-opex:previous-version': '{{ CollectDiagnostics.PreviousVersion }}',
          'cdk-opex:recent-errors': '{{ CollectDiagnostics.RecentErrors }}',
        },
      }),
    ],
    outputs: ['RecordOpsItem.OpsItemId', 'DescribeAlias.CurrentVersion', 'CollectDiagnostics.PreviousVersion'],
  });

  return runbook;
}

/** Lets the diagnostics runbook read one function and its logs, and nothing else. */
export function allowLambdaDiagnostics(runbook: Runbook, fn: lambda.IFunction, logGroupName: string): void {
  runbook.allowOn(FUNCTION_SLOT, [fn.functionArn]);
  runbook.allowOn(LOG_GROUP_SLOT, [logGroupArn(runbook, logGroupName)], {
    wildcardReason: 'The trailing :* is how IAM names the streams of one log group; the statement reads only this function\'s logs.',
  });
}

/** IAM's ARN for a log group and its streams. */
export function logGroupArn(scope: Construct, logGroupName: string): string {
  return Stack.of(scope).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `${logGroupName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
