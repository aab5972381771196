import { ArnFormat, Duration, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { opsItemOnPage } from './page-opsitem';
import { Runbook } from './runbook';
import { OWNERSHIP_TAGS } from '../core/ownership';
import { ownAccountServiceStatement } from '../core/service-statement';
import { HUB_SERVICE_NAME, OperationsHub } from '../hub/operations-hub';
import { RESPONSE_DLQ_ALARM_ID, RESPONSE_DLQ_ID } from '../hub/shared-ids';
import { createMetricAlarm } from '../observability/alarm-factory';
import { AlarmPolicy, AlarmSeverity } from '../observability/alarm-policy';

/** How long the response dead-letter queue keeps an event that started no runbook: SQS's maximum. */
export const RESPONSE_DLQ_RETENTION = Duration.days(14);

/**
 * Makes the rule target that starts `runbook`; given by the runbook target itself, which
 * this module cannot import (the target dead-letters here).
 */
export type RunbookTargetFactory = (runbook: Runbook, parameters: { [name: string]: string[] }, deadLetterQueue: sqs.IQueue) => events.IRuleTarget;

/**
 * The one dead-letter queue of every EventBridge target of the stack that starts a
 * runbook: a message here is a response that did not start. Made with its alarm (the
 * AlarmPolicy's critical actions) on first use, as a child of the stack's hub.
 */
export function responseDeadLetterQueue(scope: IConstruct, targetFor: RunbookTargetFactory): sqs.IQueue {
  const hub = OperationsHub.of(scope);
  if (hub.node.tryFindChild(RESPONSE_DLQ_ID)) return hub.node.findChild(RESPONSE_DLQ_ID) as sqs.Queue;
  const queue = createQueue(hub);
  hub._ownedByHub(queue);
  hub._ownedByHub(createAlarm(hub, queue, targetFor));
  return queue;
}

function createQueue(hub: OperationsHub): sqs.Queue {
  const stack = Stack.of(hub);
  const queue = new sqs.Queue(hub, RESPONSE_DLQ_ID, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: hub.topicKey,
    enforceSSL: true,
    retentionPeriod: RESPONSE_DLQ_RETENTION,
    // Declares the queue a dead-letter queue (SQS's default permission, stated): Control Tower CT.SQS.PR.1.
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
  });
  Tags.of(queue).add(OWNERSHIP_TAGS.service, HUB_SERVICE_NAME);
  // Any EventBridge rule of this account and region may dead-letter here: one statement for every rule.
  queue.addToResourcePolicy(ownAccountServiceStatement(hub, {
    service: 'events.amazonaws.com',
    actions: ['sqs:SendMessage'],
    resources: [queue.queueArn],
    sourceArn: stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
  }));
  const isDeadLetterQueue = 'This queue is itself the dead-letter queue of the stack\'s EventBridge runbook targets; '
    + 'a message here pages (its alarm) and is read by a person, never redriven to another queue.';
  Validations.of(queue).acknowledge(
    { id: 'AwsSolutions-SQS3', reason: isDeadLetterQueue },
    { id: 'Serverless-SQSRedrivePolicy', reason: isDeadLetterQueue },
  );
  return queue;
}

function createAlarm(hub: OperationsHub, queue: sqs.Queue, targetFor: RunbookTargetFactory): cloudwatch.Alarm {
  const policy = AlarmPolicy.of(hub);
  const alarm = createMetricAlarm(hub, {
    id: RESPONSE_DLQ_ALARM_ID,
    serviceName: HUB_SERVICE_NAME,
    signal: 'undelivered-responses',
    severity: AlarmSeverity.CRITICAL,
    description: 'An EventBridge rule could not start its runbook (after its retries): the event is in the response dead-letter queue '
      + `${queue.node.path}. Read it to see which rule and event, fix the cause (role, document, throttling) and start the runbook by hand.`,
  }, {
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  hub.pinSummaryAlarm(alarm);
  // Whoever is paged finds an OpsItem saying which queue holds the events that started nothing
  // (unless the critical actions open one themselves).
  if (policy.pages(AlarmSeverity.CRITICAL)) {
    const stackName = Stack.of(hub).stackName;
    const response = opsItemOnPage(hub, alarm, {
      title: `Responses did not start in ${stackName}`,
      description: `An EventBridge rule could not start its runbook. The events are in SQS queue ${queue.node.path}; `
        + 'read them for the rule and the event, fix the cause and start the runbook by hand.',
      dedupString: `cdk-opex:${stackName}:undelivered-responses`,
    });
    // The shape of a RunbookTrigger (its rule is 'Default'), so ids and paths are those of any other response.
    new events.Rule(new Construct(hub, 'OnUndeliveredResponse'), 'Default', {
      description: response.description,
      eventPattern: response.eventPattern,
      targets: [targetFor(response.runbook, response.parameters, queue)],
    });
  }
  return alarm;
}
