import { Duration, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Runbook, RunbookStep, RunbookValueType, StepResources } from '../../src';

// The README's Runbooks section, as a user would paste it: if this breaks, so does the README.
export function restartRunbook(stack: Stack, checkoutService: ecs.IBaseService): Runbook {
  const restart = new Runbook(stack, 'RestartTasks', {
    description: 'Replace every task of an ECS service and wait for the rollout',
    parameters: [
      { name: 'Cluster', description: 'cluster name' },
      { name: 'Service', description: 'service name' },
      { name: 'Approvers', valueType: RunbookValueType.STRING_LIST, description: 'who may approve' },
    ],
    steps: [
      RunbookStep.approve({ name: 'Approve', approvers: ['{{ Approvers }}'], message: 'Restart {{ Service }}?' }),
      RunbookStep.executeAwsApi({
        name: 'ForceNewDeployment',
        service: 'ecs',
        api: 'UpdateService',
        inputs: { cluster: '{{ Cluster }}', service: '{{ Service }}', forceNewDeployment: true },
        resources: StepResources.target('service'),
      }),
      RunbookStep.waitForAwsResourceProperty({
        name: 'WaitForRollout',
        service: 'ecs',
        api: 'DescribeServices',
        inputs: { cluster: '{{ Cluster }}', services: ['{{ Service }}'] },
        propertySelector: '$.services[0].deployments[0].rolloutState',
        desiredValues: ['COMPLETED'],
        timeout: Duration.minutes(30),
        resources: StepResources.target('service'),
      }),
    ],
  });
  restart.allowOn('service', [checkoutService.serviceArn]);
  return restart;
}
