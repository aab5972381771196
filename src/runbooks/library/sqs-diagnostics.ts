import { Construct } from 'constructs';
import { describeAliasStep, FUNCTION_PARAMETERS } from './lambda-diagnostics';
import { DEAD_LETTER_QUEUE_SLOT, QUEUE_SLOT } from './sqs-redrive';
import { StepResources } from '../permissions';
import { Runbook } from '../runbook';
import { RunbookStep } from '../step';

/** Target slot: the event source mapping through which the function consumes the queue. */
export const EVENT_SOURCE_MAPPING_SLOT = 'eventSourceMapping';

/** Queue attributes a responder reads first. */
const QUEUE_ATTRIBUTES = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'VisibilityTimeout'];

/**
 * Gathers what a responder asks first when a queue worker is unhealthy (backlog and
 * in-flight messages, dead letters, which version consumes, whether the consumer
 * polls and why) and records it on an OpsItem. Read-only.
 */
export function createSqsDiagnosticsRunbook(scope: Construct, id: string): Runbook {
  return new Runbook(scope, id, {
    description: 'cdk-opex: gather diagnostics for an unhealthy queue worker (queue backlog and in-flight messages, dead letters, '
      + 'the consumer\'s alias version and event source mapping state) and record them on an OpsItem.',
    parameters: [
      { name: 'QueueUrl', description: 'URL of the queue the worker consumes.' },
      { name: 'DeadLetterQueueUrl', description: 'URL of its dead-letter queue.' },
      ...FUNCTION_PARAMETERS,
      { name: 'EventSourceMappingId', description: 'UUID of the event source mapping that feeds the function from the queue.' },
      { name: 'ServiceName', description: 'Service the queue worker is.' },
      { name: 'AlarmName', description: 'Alarm that started this runbook.', defaultValue: 'manual start' },
    ],
    steps: [
      RunbookStep.executeAwsApi({
        name: 'DescribeQueue',
        service: 'sqs',
        api: 'GetQueueAttributes',
        inputs: { QueueUrl: '{{ QueueUrl }}', AttributeNames: QUEUE_ATTRIBUTES },
        outputs: [
          { name: 'Visible', selector: '$.Attributes.ApproximateNumberOfMessages' },
          { name: 'InFlight', selector: '$.Attributes.ApproximateNumberOfMessagesNotVisible' },
          { name: 'VisibilityTimeout', selector: '$.Attributes.VisibilityTimeout' },
        ],
        resources: StepResources.target(QUEUE_SLOT),
      }),
      RunbookStep.executeAwsApi({
        name: 'DescribeDeadLetters',
        service: 'sqs',
        api: 'GetQueueAttributes',
        inputs: { QueueUrl: '{{ DeadLetterQueueUrl }}', AttributeNames: ['ApproximateNumberOfMessages'] },
        outputs: [{ name: 'Messages', selector: '$.Attributes.ApproximateNumberOfMessages' }],
        resources: StepResources.target(DEAD_LETTER_QUEUE_SLOT),
      }),
      describeAliasStep(),
      RunbookStep.executeAwsApi({
        name: 'DescribeConsumer',
        description: 'Whether the event source mapping polls the queue, and why it is in that state.',
        service: 'lambda',
        api: 'GetEventSourceMapping',
        inputs: { UUID: '{{ EventSourceMappingId }}' },
        outputs: [
          { name: 'State', selector: '$.State' },
          { name: 'StateTransitionReason', selector: '$.StateTransitionReason' },
        ],
        resources: StepResources.target(EVENT_SOURCE_MAPPING_SLOT),
      }),
      RunbookStep.createOpsItem({
        name: 'RecordOpsItem',
        description: 'Open an OpsItem carrying the diagnostics; repeated alarms add to the same one.',
        title: '{{ ServiceName }} is unhealthy ({{ AlarmName }})',
        opsItemDescription: [
          '{{ AlarmName }} went into ALARM for the queue worker {{ ServiceName }}.',
          'Queue {{ QueueUrl }}: {{ DescribeQueue.Visible }} messages waiting, {{ DescribeQueue.InFlight }} in flight '
            + '(visibility timeout {{ DescribeQueue.VisibilityTimeout }} s).',
          'Dead-letter queue {{ DeadLetterQueueUrl }}: {{ DescribeDeadLetters.Messages }} messages (each is work that failed every retry).',
          'Consumer {{ FunctionName }}: alias {{ AliasName }} serves version {{ DescribeAlias.CurrentVersion }}; '
            + 'its event source mapping is {{ DescribeConsumer.State }} ({{ DescribeConsumer.StateTransitionReason }}).',
        ].join('\n'),
        dedupString: 'cdk-opex:{{ QueueUrl }}:unhealthy',
        operationalData: {
          'cdk-opex:queue': '{{ QueueUrl }}',
          'cdk-opex:dead-letters': '{{ DescribeDeadLetters.Messages }}',
          'cdk-opex:function': '{{ FunctionName }}',
          'cdk-opex:current-version': '{{ DescribeAlias.CurrentVersion }}',
        },
      }),
    ],
    outputs: ['RecordOpsItem.OpsItemId', 'DescribeDeadLetters.Messages', 'DescribeConsumer.State'],
  });
}
