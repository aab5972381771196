import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { approvalGate, ChangeRunbookOptions } from './approval';
import { StepResources } from '../permissions';
import { Runbook, RunbookParameter } from '../runbook';
import { RunbookStep, RunbookValueType } from '../step';

/** Target slots: the ECS service, the tasks of its cluster (`task/<cluster>/*`), and its cluster. */
export const SERVICE_SLOT = 'service';
export const TASKS_SLOT = 'tasks';
export const CLUSTER_SLOT = 'cluster';

const SERVICE_PARAMETERS: RunbookParameter[] = [
  { name: 'Cluster', description: 'Name or ARN of the cluster.' },
  { name: 'Service', description: 'Name of the service.' },
];

const describeService = { cluster: '{{ Cluster }}', services: ['{{ Service }}'] };

/** Waits until the service's newest deployment has finished rolling out. */
function waitForRollout(name: string): RunbookStep {
  return RunbookStep.waitForAwsResourceProperty({
    name,
    description: 'Wait until the newest deployment has replaced every task.',
    service: 'ecs',
    api: 'DescribeServices',
    inputs: describeService,
    propertySelector: '$.services[0].deployments[0].rolloutState',
    desiredValues: ['COMPLETED'],
    timeout: Duration.minutes(30),
    resources: StepResources.target(SERVICE_SLOT),
  });
}

/** Replaces every task of the service with a fresh one, after an approval. */
export function createEcsForceNewDeploymentRunbook(scope: Construct, id: string, options: ChangeRunbookOptions = {}): Runbook {
  const gate = approvalGate(options, 'Replace every task of ECS service {{ Service }} in {{ Cluster }}?');
  return new Runbook(scope, id, {
    description: 'cdk-opex: force a new deployment of an ECS service (fresh tasks, same task definition) and wait for it to complete.',
    parameters: [...SERVICE_PARAMETERS, ...gate.parameters],
    steps: [
      ...gate.steps,
      RunbookStep.executeAwsApi({
        name: 'ForceNewDeployment',
        service: 'ecs',
        api: 'UpdateService',
        inputs: { cluster: '{{ Cluster }}', service: '{{ Service }}', forceNewDeployment: true },
        outputs: [{ name: 'DeploymentId', selector: '$.service.deployments[0].id' }],
        resources: StepResources.target(SERVICE_SLOT),
      }),
      waitForRollout('WaitForRollout'),
    ],
    outputs: ['ForceNewDeployment.DeploymentId'],
  });
}

/** Sets the service's desired task count, after an approval, and waits for the tasks. */
export function createEcsScaleOutRunbook(scope: Construct, id: string, options: ChangeRunbookOptions = {}): Runbook {
  const gate = approvalGate(options, 'Scale ECS service {{ Service }} from {{ DescribeService.DesiredCount }} to {{ DesiredCount }} tasks?');
  return new Runbook(scope, id, {
    description: 'cdk-opex: scale an ECS service to a desired task count and wait until that many tasks run.',
    parameters: [
      ...SERVICE_PARAMETERS,
      { name: 'DesiredCount', valueType: RunbookValueType.INTEGER, description: 'Tasks to run.' },
      ...gate.parameters,
    ],
    steps: [
      RunbookStep.executeAwsApi({
        name: 'DescribeService',
        service: 'ecs',
        api: 'DescribeServices',
        inputs: describeService,
        outputs: [{ name: 'DesiredCount', selector: '$.services[0].desiredCount', valueType: RunbookValueType.INTEGER }],
        resources: StepResources.target(SERVICE_SLOT),
      }),
      ...gate.steps,
      RunbookStep.executeAwsApi({
        name: 'SetDesiredCount',
        service: 'ecs',
        api: 'UpdateService',
        inputs: { cluster: '{{ Cluster }}', service: '{{ Service }}', desiredCount: '{{ DesiredCount }}' },
        resources: StepResources.target(SERVICE_SLOT),
      }),
      RunbookStep.waitForAwsResourceProperty({
        name: 'WaitForTasks',
        service: 'ecs',
        api: 'DescribeServices',
        inputs: describeService,
        propertySelector: '$.services[0].runningCount',
        desiredValues: ['{{ DesiredCount }}'],
        timeout: Duration.minutes(20),
        resources: StepResources.target(SERVICE_SLOT),
      }),
    ],
    outputs: ['DescribeService.DesiredCount'],
  });
}

const STOPPED_TASKS_SCRIPT = `
def collect(events, context):
    import boto3
    ecs = boto3.client('ecs')
    arns = ecs.list_tasks(cluster=events['Cluster'], serviceName=events['Service'], desiredStatus='STOPPED')['taskArns']
    tasks = ecs.describe_tasks(cluster=events['Cluster'], tasks=arns[:100])['tasks'] if arns else []
    reasons = {}
    for task in tasks:
        reason = '{}: {}'.format(task.get('stopCode', 'unknown'), task.get('stoppedReason', 'no reason given'))
        reasons[reason] = reasons.get(reason, 0) + 1
    lines = ['{} x {}'.format(n, r) for r, n in sorted(reasons.items(), key=lambda item: -item[1])]
    return {'StoppedCount': len(tasks), 'Reasons': '\\n'.join(lines) or 'no stopped tasks'}
`;

/** Collects why the service's recent tasks stopped and records it on an OpsItem. Read-only. */
export function createEcsStoppedTasksRunbook(scope: Construct, id: string): Runbook {
  return new Runbook(scope, id, {
    description: 'cdk-opex: collect why an ECS service\'s recent tasks stopped (stop codes and reasons) and record them on an OpsItem.',
    parameters: SERVICE_PARAMETERS,
    steps: [
      RunbookStep.executeScript({
        name: 'CollectStoppedTasks',
        handler: 'collect',
        script: STOPPED_TASKS_SCRIPT,
        inputs: { Cluster: '{{ Cluster }}', Service: '{{ Service }}' },
        outputs: [
          { name: 'StoppedCount', selector: '$.Payload.StoppedCount', valueType: RunbookValueType.INTEGER },
          { name: 'Reasons', selector: '$.Payload.Reasons' },
        ],
        permissions: [
          // ListTasks authorizes on container instances, which Fargate tasks have none of; ecs:cluster scopes the request.
          { actions: ['ecs:ListTasks'], resources: StepResources.anyWhere('ecs:cluster', CLUSTER_SLOT) },
          { actions: ['ecs:DescribeTasks'], resources: StepResources.target(TASKS_SLOT) },
        ],
      }),
      RunbookStep.createOpsItem({
        name: 'RecordOpsItem',
        title: 'Tasks of {{ Service }} stopped unexpectedly',
        opsItemDescription: '{{ CollectStoppedTasks.StoppedCount }} recently stopped tasks of {{ Service }} in {{ Cluster }}:\n{{ CollectStoppedTasks.Reasons }}',
        dedupString: 'cdk-opex:{{ Cluster }}:{{ Service }}:stopped-tasks',
      }),
    ],
    outputs: ['CollectStoppedTasks.Reasons', 'RecordOpsItem.OpsItemId'],
  });
}
