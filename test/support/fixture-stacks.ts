import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { plainFunction, strictStack } from './stacks';
import {
  OperationalFunction, RunbookLibrary, RunbookTrigger, ServiceLevelObjective, SloIndicator, Triggers,
} from '../../src';

/**
 * The stacks the checks and the report must agree on: bare resources, cdk-opex's defaults,
 * and the hand-wired shapes where they once disagreed.
 */
export const FIXTURE_STACKS: Record<string, () => Stack> = {
  /** A function, a queue and a table with nothing operational around them. */
  'bare resources': () => {
    const stack = strictStack('Bare');
    plainFunction(stack, 'Orders');
    new sqs.Queue(stack, 'Jobs', { enforceSSL: true });
    return stack;
  },
  /** A default OperationalFunction. */
  'cdk-opex defaults': () => {
    const stack = strictStack('Defaults');
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), team: 'payments' });
    return stack;
  },
  /** An ECS service alarmed only through its target group, rolled back by its circuit breaker and deployment alarms. */
  'hand-wired ECS service': () => {
    const stack = strictStack('Containers');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), portMappings: [{ containerPort: 80 }] });
    const service = new ecs.FargateService(stack, 'Web', { cluster, taskDefinition: task, circuitBreaker: { rollback: true } });
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc });
    const group = lb.addListener('Http', { port: 80 }).addTargets('Web', { port: 80, targets: [service] });
    const topic = new sns.Topic(stack, 'Pager', { enforceSSL: true });
    const errors = new cloudwatch.Alarm(stack, 'Target5xx', {
      alarmName: 'containers-web-5xx',
      metric: group.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1) }),
      threshold: 5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    errors.addAlarmAction(new cw_actions.SnsAction(topic));
    service.enableDeploymentAlarms([errors.alarmName], { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM });
    return stack;
  },
  /** A paging alarm whose runbook is started by a name-prefix trigger, not by a reference to it. */
  'runbook started by a prefix trigger': () => {
    const stack = strictStack('Prefix');
    const fn = plainFunction(stack, 'Orders');
    const topic = new sns.Topic(stack, 'Pager', { enforceSSL: true });
    const alarm = new cloudwatch.Alarm(stack, 'OrdersErrors', {
      alarmName: 'orders-errors', metric: fn.metricErrors({ period: Duration.minutes(1) }), threshold: 1, evaluationPeriods: 1,
    });
    alarm.addAlarmAction(new cw_actions.SnsAction(topic));
    const runbook = RunbookLibrary.createOpsItem(stack);
    new RunbookTrigger(stack, 'OnOrdersAlarms', {
      runbook,
      eventPattern: Triggers.alarmsWithPrefixEnterAlarm('orders-'),
      parameters: {
        Title: [events.EventField.fromPath('$.detail.alarmName')],
        Description: ['An orders alarm fired; see the alarm for its reason.'],
      },
    });
    return stack;
  },
  /** A ServiceLevelObjective on its own, over a function's metrics. */
  'standalone SLO': () => {
    const stack = strictStack('Objective');
    const fn = plainFunction(stack, 'Search');
    new ServiceLevelObjective(stack, 'SearchAvailability', {
      serviceName: 'search',
      indicator: SloIndicator.availabilityFromErrors({ errors: fn.metricErrors(), total: fn.metricInvocations() }),
      target: 99.5,
    });
    return stack;
  },
  /** A queue with its dead-letter queue and an alarm on each. */
  'queue with its DLQ': () => {
    const stack = strictStack('Queues');
    const dlq = new sqs.Queue(stack, 'OrdersDlq', { enforceSSL: true });
    const queue = new sqs.Queue(stack, 'Orders', { enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    const topic = new sns.Topic(stack, 'Pager', { enforceSSL: true });
    for (const [id, metric] of [['Backlog', queue.metricApproximateAgeOfOldestMessage()], ['DeadLetters', dlq.metricApproximateNumberOfMessagesVisible()]] as const) {
      new cloudwatch.Alarm(stack, id, { metric, threshold: 1, evaluationPeriods: 1 }).addAlarmAction(new cw_actions.SnsAction(topic));
    }
    return stack;
  },
};
