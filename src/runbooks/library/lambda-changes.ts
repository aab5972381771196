import { Construct } from 'constructs';
import { approvalGate, ChangeRunbookOptions } from './approval';
import { describeAliasStep, FUNCTION_PARAMETERS, FUNCTION_SLOT } from './lambda-diagnostics';
import { StepResources } from '../permissions';
import { Runbook } from '../runbook';
import { RunbookStep, RunbookValueType } from '../step';

const PREVIOUS_VERSION_SCRIPT = `
def previous(events, context):
    import boto3
    lam = boto3.client('lambda')
    current = events['CurrentVersion']
    wanted = events['TargetVersion']
    if wanted != 'previous':
        return {'TargetVersion': wanted}
    versions = []
    for page in lam.get_paginator('list_versions_by_function').paginate(FunctionName=events['FunctionName']):
        versions += [int(v['Version']) for v in page['Versions'] if v['Version'].isdigit()]
    older = sorted(v for v in versions if current.isdigit() and v < int(current))
    if not older:
        raise Exception('no version older than ' + current + ' to roll back to')
    return {'TargetVersion': str(older[-1])}
`;

const CONCURRENCY_SCRIPT = `
def current(events, context):
    import boto3
    reserved = boto3.client('lambda').get_function_concurrency(FunctionName=events['FunctionName']).get('ReservedConcurrentExecutions')
    return {'Current': 'unreserved' if reserved is None else str(reserved)}
`;

/**
 * Points the alias back at the previous version (or a given one), after an approval.
 * For a bad version already live; a rollout in progress is rolled back by CodeDeploy.
 */
export function createLambdaRollbackRunbook(scope: Construct, id: string, options: ChangeRunbookOptions = {}): Runbook {
  const gate = approvalGate(options,
    'Roll {{ FunctionName }} alias {{ AliasName }} back from version {{ DescribeAlias.CurrentVersion }} to {{ FindTarget.TargetVersion }}?');
  return new Runbook(scope, id, {
    description: 'cdk-opex: roll a Lambda alias back to the previous version (or TargetVersion), then verify it serves that version.',
    parameters: [
      ...FUNCTION_PARAMETERS,
      { name: 'TargetVersion', description: 'Version to serve, or "previous".', defaultValue: 'previous', allowedPattern: '^(previous|[0-9]+)$' },
      ...gate.parameters,
    ],
    steps: [
      describeAliasStep(),
      RunbookStep.executeScript({
        name: 'FindTarget',
        description: 'The newest version older than the current one, unless TargetVersion names one.',
        handler: 'previous',
        script: PREVIOUS_VERSION_SCRIPT,
        inputs: { FunctionName: '{{ FunctionName }}', CurrentVersion: '{{ DescribeAlias.CurrentVersion }}', TargetVersion: '{{ TargetVersion }}' },
        outputs: [{ name: 'TargetVersion', selector: '$.Payload.TargetVersion' }],
        permissions: [{ actions: ['lambda:ListVersionsByFunction'], resources: StepResources.target(FUNCTION_SLOT) }],
      }),
      ...gate.steps,
      RunbookStep.executeAwsApi({
        name: 'UpdateAlias',
        description: 'Serve the target version with all traffic (clears any weighted routing).',
        service: 'lambda',
        api: 'UpdateAlias',
        inputs: {
          FunctionName: '{{ FunctionName }}',
          Name: '{{ AliasName }}',
          FunctionVersion: '{{ FindTarget.TargetVersion }}',
          RoutingConfig: { AdditionalVersionWeights: {} },
        },
        resources: StepResources.target(FUNCTION_SLOT),
      }),
      RunbookStep.assertAwsResourceProperty({
        name: 'VerifyAlias',
        service: 'lambda',
        api: 'GetAlias',
        inputs: { FunctionName: '{{ FunctionName }}', Name: '{{ AliasName }}' },
        propertySelector: '$.FunctionVersion',
        desiredValues: ['{{ FindTarget.TargetVersion }}'],
        resources: StepResources.target(FUNCTION_SLOT),
      }),
    ],
    outputs: ['DescribeAlias.CurrentVersion', 'FindTarget.TargetVersion'],
  });
}

/**
 * Sets the function's reserved concurrency, after an approval: raise it when the
 * function throttles, or lower it to shed load from a struggling dependency.
 */
export function createLambdaConcurrencyRunbook(scope: Construct, id: string, options: ChangeRunbookOptions = {}): Runbook {
  const gate = approvalGate(options,
    'Set reserved concurrency of {{ FunctionName }} from {{ DescribeConcurrency.Current }} to {{ ReservedConcurrency }}?');
  return new Runbook(scope, id, {
    description: 'cdk-opex: set a Lambda function\'s reserved concurrency (raise it when throttled, lower it to shed load).',
    parameters: [
      { name: 'FunctionName', description: 'Name of the function.' },
      { name: 'ReservedConcurrency', valueType: RunbookValueType.INTEGER, description: 'Reserved concurrent executions to set.' },
      ...gate.parameters,
    ],
    steps: [
      RunbookStep.executeScript({
        name: 'DescribeConcurrency',
        handler: 'current',
        script: CONCURRENCY_SCRIPT,
        inputs: { FunctionName: '{{ FunctionName }}' },
        outputs: [{ name: 'Current', selector: '$.Payload.Current' }],
        permissions: [{ actions: ['lambda:GetFunctionConcurrency'], resources: StepResources.target(FUNCTION_SLOT) }],
      }),
      ...gate.steps,
      RunbookStep.executeAwsApi({
        name: 'PutConcurrency',
        service: 'lambda',
        api: 'PutFunctionConcurrency',
        inputs: { FunctionName: '{{ FunctionName }}', ReservedConcurrentExecutions: '{{ ReservedConcurrency }}' },
        outputs: [{ name: 'ReservedConcurrency', selector: '$.ReservedConcurrentExecutions', valueType: RunbookValueType.INTEGER }],
        resources: StepResources.target(FUNCTION_SLOT),
      }),
    ],
    outputs: ['DescribeConcurrency.Current', 'PutConcurrency.ReservedConcurrency'],
  });
}
