import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { approvalGate, ChangeRunbookOptions } from './approval';
import { SERVICE_SLOT } from './ecs';
import { StepResources } from '../permissions';
import { Runbook } from '../runbook';
import { RunbookStep } from '../step';

/** Target slot: the task and execution roles ECS is passed when the service moves to another revision. */
export const TASK_ROLES_SLOT = 'taskRoles';

const PREVIOUS_REVISION_SCRIPT = `
def previous(events, context):
    import boto3
    svc = boto3.client('ecs').describe_services(cluster=events['Cluster'], services=[events['Service']])['services'][0]
    current = svc['taskDefinition'].split('/')[-1]
    wanted = events['TargetTaskDefinition']
    if wanted != 'previous':
        return {'Current': current, 'Target': wanted}
    family, revision = current.rsplit(':', 1)
    if int(revision) <= 1:
        raise Exception(current + ' is the first revision: there is none to roll back to')
    return {'Current': current, 'Target': '{}:{}'.format(family, int(revision) - 1)}
`;

/**
 * Moves an ECS service back to the task definition revision before the one it runs
 * (or a given one), after an approval, and waits for the deployment. For a bad
 * revision already live; a deployment in progress is rolled back by its alarms.
 */
export function createEcsRollbackRunbook(scope: Construct, id: string, options: ChangeRunbookOptions = {}): Runbook {
  const gate = approvalGate(options, 'Roll ECS service {{ Service }} back from {{ FindTarget.Current }} to {{ FindTarget.Target }}?');
  const describe = { cluster: '{{ Cluster }}', services: ['{{ Service }}'] };
  return new Runbook(scope, id, {
    description: 'cdk-opex: roll an ECS service back to the previous task definition revision (or TargetTaskDefinition) and wait for it.',
    parameters: [
      { name: 'Cluster', description: 'Name or ARN of the cluster.' },
      { name: 'Service', description: 'Name of the service.' },
      {
        name: 'TargetTaskDefinition',
        description: 'family:revision to run, or "previous".',
        defaultValue: 'previous',
        allowedPattern: '^(previous|[a-zA-Z0-9_-]{1,255}:[0-9]+)$',
      },
      ...gate.parameters,
    ],
    steps: [
      RunbookStep.executeScript({
        name: 'FindTarget',
        description: 'The revision before the one the service runs, unless TargetTaskDefinition names one.',
        handler: 'previous',
        script: PREVIOUS_REVISION_SCRIPT,
        inputs: { Cluster: '{{ Cluster }}', Service: '{{ Service }}', TargetTaskDefinition: '{{ TargetTaskDefinition }}' },
        outputs: [{ name: 'Current', selector: '$.Payload.Current' }, { name: 'Target', selector: '$.Payload.Target' }],
        permissions: [{ actions: ['ecs:DescribeServices'], resources: StepResources.target(SERVICE_SLOT) }],
      }),
      ...gate.steps,
      RunbookStep.executeAwsApi({
        name: 'RollBack',
        description: 'Deploy the target revision with the service\'s own deployment strategy (its alarms still judge it).',
        service: 'ecs',
        api: 'UpdateService',
        inputs: { cluster: '{{ Cluster }}', service: '{{ Service }}', taskDefinition: '{{ FindTarget.Target }}' },
        resources: StepResources.target(SERVICE_SLOT),
        // A new revision's tasks run as its task and execution roles: ECS must be passed them.
        permissions: [{ actions: ['iam:PassRole'], resources: StepResources.target(TASK_ROLES_SLOT) }],
      }),
      RunbookStep.waitForAwsResourceProperty({
        name: 'WaitForRollback',
        description: 'Wait until the rollback deployment has replaced every task.',
        service: 'ecs',
        api: 'DescribeServices',
        inputs: describe,
        propertySelector: '$.services[0].deployments[0].rolloutState',
        desiredValues: ['COMPLETED'],
        timeout: Duration.minutes(60),
        resources: StepResources.target(SERVICE_SLOT),
      }),
    ],
    outputs: ['FindTarget.Current', 'FindTarget.Target'],
  });
}
