import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { OperationalFunction, Triggers } from '../src';
import { matches, resolveRefs } from './support/event-pattern';
import { fixtureEvent, plainFunction, strictStack } from './support/stacks';

const FIXTURES = [
  'cloudwatch-alarm-state-change-single-metric.json',
  'cloudwatch-alarm-state-change-single-metric-ok.json',
  'cloudwatch-alarm-state-change-composite.json',
  'codedeploy-deployment-state-change-success.json',
  'codedeploy-deployment-state-change-failure.json',
  'ecs-task-state-change-running.json',
  'ecs-task-state-change-stopped.json',
  'health-event.json',
  'ssm-automation-execution-status-change.json',
];

/** The pattern as EventBridge receives it: synthesized, then references replaced by deployed values. */
function synthesizedPattern(stack: Stack, pattern: events.EventPattern, refs: Record<string, string> = {}): any {
  const rule = new events.Rule(stack, 'Rule', { eventPattern: pattern });
  const ruleId = stack.getLogicalId(rule.node.defaultChild as events.CfnRule);
  const synthesized = Template.fromStack(stack).toJSON().Resources[ruleId];
  return resolveRefs(synthesized.Properties.EventPattern, refs);
}

/** Which of the sample events a pattern matches, by file name. */
function matching(pattern: any, extra: Record<string, any> = {}): string[] {
  const all: Record<string, any> = { ...Object.fromEntries(FIXTURES.map((f) => [f, fixtureEvent(f)])), ...extra };
  return Object.entries(all).filter(([, event]) => matches(pattern, event)).map(([name]) => name).sort();
}

describe('Triggers', () => {
  test('alarmEntersAlarm matches the named alarms going to ALARM only', () => {
    const stack = strictStack();
    const alarm = cloudwatch.Alarm.fromAlarmArn(stack, 'A', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh');
    expect(matching(synthesizedPattern(stack, Triggers.alarmEntersAlarm(alarm)))).toEqual(['cloudwatch-alarm-state-change-single-metric.json']);
    expect(() => Triggers.alarmEntersAlarm()).toThrow(/invalid `alarms`: name at least one alarm/);
  });

  test('alarmsWithPrefixEnterAlarm matches any alarm named with the prefix going to ALARM', () => {
    const pattern = synthesizedPattern(strictStack(), Triggers.alarmsWithPrefixEnterAlarm('Service'));
    expect(pattern.detail.alarmName).toEqual([{ prefix: 'Service' }]);
    expect(matching(pattern)).toEqual(['cloudwatch-alarm-state-change-composite.json']);
    expect(matching(synthesizedPattern(strictStack(), Triggers.alarmsWithPrefixEnterAlarm('Server'))))
      .toEqual(['cloudwatch-alarm-state-change-single-metric.json']);
    expect(() => Triggers.alarmsWithPrefixEnterAlarm('')).toThrow(/invalid `prefix`/);
  });

  test('alarmsTaggedEnterAlarm names the tagged alarms of a scope, found at synth', () => {
    const stack = strictStack();
    const checkout = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn1') });
    new OperationalFunction(stack, 'Orders', { lambdaFunction: plainFunction(stack, 'Fn2') });
    const arnOf = (a: cloudwatch.IAlarm) => stack.getLogicalId(a.node.defaultChild as any);
    const refs = Object.fromEntries([checkout.healthAlarm, ...checkout.alarms].map((a, i) =>
      [arnOf(a), i === 0 ? 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServiceAggregatedAlarm' : `arn:aws:cloudwatch:us-east-1:123456789012:alarm:other${i}`]));
    const pattern = synthesizedPattern(stack, Triggers.alarmsTaggedEnterAlarm(stack, 'service', 'Checkout'), refs);
    expect(pattern.resources).toHaveLength(4); // the health alarm and three signal alarms, none of Orders'
    expect(matching(pattern)).toEqual(['cloudwatch-alarm-state-change-composite.json']);

    const empty = strictStack();
    new events.Rule(empty, 'Rule', { eventPattern: Triggers.alarmsTaggedEnterAlarm(empty, 'service', 'Nobody') });
    expect(() => Template.fromStack(empty)).toThrow(/invalid `value`: no alarm under Shop is tagged service=Nobody/);
  });

  test('deploymentFailed matches the group\'s failed deployment, not its success nor another group', () => {
    const stack = strictStack();
    const group = codedeploy.LambdaDeploymentGroup.fromLambdaDeploymentGroupAttributes(stack, 'G', {
      application: codedeploy.LambdaApplication.fromLambdaApplicationName(stack, 'App', 'myApplication'),
      deploymentGroupName: 'myDeploymentGroup',
    });
    const pattern = synthesizedPattern(stack, Triggers.deploymentFailed(group));
    const otherGroup = fixtureEvent('codedeploy-deployment-state-change-failure.json');
    otherGroup.detail.deploymentGroup = 'otherGroup';
    const stopped = fixtureEvent('codedeploy-deployment-state-change-failure.json');
    stopped.detail.state = 'STOP';
    expect(matching(pattern, { otherGroup, stopped })).toEqual(['codedeploy-deployment-state-change-failure.json', 'stopped']);
  });

  test('ecsTaskStoppedUnexpectedly matches a task of the cluster that died, not one stopped on purpose', () => {
    const stack = strictStack();
    const cluster = ecs.Cluster.fromClusterArn(stack, 'C', 'arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster');
    const pattern = synthesizedPattern(stack, Triggers.ecsTaskStoppedUnexpectedly(cluster));
    // Real stopped events carry a stopCode; the published sample was derived without one.
    const died = fixtureEvent('ecs-task-state-change-stopped.json');
    died.detail.stopCode = 'EssentialContainerExited';
    const scaledIn = fixtureEvent('ecs-task-state-change-stopped.json');
    scaledIn.detail.stopCode = 'ServiceSchedulerInitiated';
    const byOperator = fixtureEvent('ecs-task-state-change-stopped.json');
    byOperator.detail.stopCode = 'UserInitiated';
    expect(matching(pattern, { died, scaledIn, byOperator })).toEqual(['died']);

    const forService = synthesizedPattern(strictStack(), Triggers.ecsTaskStoppedUnexpectedly(cluster, 'checkout'));
    const serviceTask = { ...died, detail: { ...died.detail, group: 'service:checkout' } };
    expect(matching(forService, { died, serviceTask })).toEqual(['serviceTask']);
  });

  test('healthEvent matches account-specific events, optionally for some services', () => {
    expect(matching(synthesizedPattern(strictStack(), Triggers.healthEvent()))).toEqual(['health-event.json']);
    expect(matching(synthesizedPattern(strictStack(), Triggers.healthEvent('EC2')))).toEqual(['health-event.json']);
    expect(matching(synthesizedPattern(strictStack(), Triggers.healthEvent('LAMBDA')))).toEqual([]);
    const publicEvent = fixtureEvent('health-event.json');
    publicEvent.detail.eventScopeCode = 'PUBLIC';
    expect(matching(synthesizedPattern(strictStack(), Triggers.healthEvent()), { publicEvent })).toEqual(['health-event.json']);
  });
});
