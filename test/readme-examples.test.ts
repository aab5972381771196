import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AlarmAction, AlarmPolicy, Kpi, KpiBand, MockAwsEnvironment, Runbook, RunbookLibrary, RunbookValueType, RunbookSimulator,
  RunbookStep, RunbookTrigger, ServiceLevelObjective, SimulationStatus, SloIndicator, StepResources, Triggers,
} from '../src';
import { plainFunction, strictStack } from './support/stacks';

// The README's Runbooks section, as a user would paste it: if this breaks, so does the README.
function restartRunbook(stack: Stack, checkoutService: ecs.IBaseService): Runbook {
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

test('the README runbook example synthesizes, triggers and simulates as documented', () => {
  const stack = strictStack();
  const cluster = ecs.Cluster.fromClusterArn(stack, 'Cluster', 'arn:aws:ecs:us-east-1:123456789012:cluster/shop');
  const checkoutService = ecs.FargateService.fromFargateServiceAttributes(stack, 'Checkout', {
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/shop/checkout', cluster,
  });
  const restart = restartRunbook(stack, checkoutService);
  new RunbookTrigger(stack, 'OnTasksDying', {
    runbook: RunbookLibrary.ecsStoppedTasks(stack),
    eventPattern: Triggers.ecsTaskStoppedUnexpectedly(cluster, 'checkout'),
    parameters: { Cluster: [cluster.clusterName], Service: ['checkout'] },
  });
  RunbookLibrary.allowEcsService(RunbookLibrary.ecsStoppedTasks(stack), checkoutService);
  // The example's rule, and the hub's: an OpsItem when a runbook start is dead-lettered.
  Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 2);

  const aws = new MockAwsEnvironment()
    .onApi('ecs', 'UpdateService', {})
    .onApi('ecs', 'DescribeServices', { services: [{ deployments: [{ rolloutState: 'IN_PROGRESS' }] }] })
    .onApi('ecs', 'DescribeServices', { services: [{ deployments: [{ rolloutState: 'COMPLETED' }] }] })
    .approveAll();
  const result = RunbookSimulator.fromRunbook(restart).run({
    environment: aws,
    parameters: { Cluster: 'shop', Service: 'checkout', Approvers: ['arn:aws:iam::123456789012:role/OnCall'] },
  });
  expect(result.status).toBe(SimulationStatus.SUCCESS);
  expect(result.stepNames).toEqual(['Approve', 'ForceNewDeployment', 'WaitForRollout']);
});

test('the README observability examples synthesize as documented', () => {
  const stack = strictStack();
  const app = stack.node.root as any;
  const pagerTopic = new sns.Topic(stack, 'Pager', { enforceSSL: true });
  AlarmPolicy.set(app, new AlarmPolicy({
    critical: [AlarmAction.topic(pagerTopic), AlarmAction.incident('shop-outage')],
    warning: [AlarmAction.opsItem(OpsItemSeverity.MEDIUM)],
    info: [AlarmAction.signalTopic()],
  }));
  const fn = plainFunction(stack, 'Fn');
  const slo = new ServiceLevelObjective(stack, 'ApiLatency', {
    serviceName: 'checkout',
    indicator: SloIndicator.latencyPercentile({ metric: fn.metricDuration(), threshold: 300 }),
    target: 99,
  });
  const ordersPlaced = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'OrdersPlaced', statistic: 'Sum' });
  new Kpi(stack, 'Orders', { serviceName: 'checkout', kpiName: 'orders-per-minute', metric: ordersPlaced, band: KpiBand.below(5) });
  const t = Template.fromStack(stack);
  const page = t.toJSON().Resources[stack.getLogicalId(slo.pageAlarm.node.defaultChild as any)].Properties;
  expect(page.AlarmActions).toHaveLength(2);
  t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-checkout-kpi-orders-per-minute-warning' });
});
