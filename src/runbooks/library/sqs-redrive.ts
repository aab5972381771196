import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { approvalGate, ChangeRunbookOptions } from './approval';
import { StepResources } from '../permissions';
import { Runbook } from '../runbook';
import { RunbookStep } from '../step';

/** Target slots: the queue a worker consumes, and its dead-letter queue. */
export const QUEUE_SLOT = 'queue';
export const DEAD_LETTER_QUEUE_SLOT = 'deadLetterQueue';

/** Longest the redrive runbook waits for SQS to move the messages back. */
export const REDRIVE_TIMEOUT = Duration.hours(2);

/** Terminal states of an SQS message move task (RUNNING and CANCELLING are not). */
const MOVE_TASK_DONE = ['COMPLETED', 'FAILED', 'CANCELLED'];

/** The newest move task of the dead-letter queue: SQS runs one at a time per source queue. */
const newestMoveTask = { SourceArn: '{{ DeadLetterQueueArn }}', MaxResults: 1 };

/**
 * Moves the messages of a dead-letter queue back to the queue they failed from (SQS's
 * message move task), after an approval, and waits until SQS says the move completed;
 * a move that fails or is cancelled fails the runbook.
 */
export function createSqsRedriveRunbook(scope: Construct, id: string, options: ChangeRunbookOptions = {}): Runbook {
  const gate = approvalGate(options,
    'Move the {{ CountDeadLetters.Messages }} messages of dead-letter queue {{ DeadLetterQueueArn }} back to {{ QueueArn }} to be processed again?');
  return new Runbook(scope, id, {
    description: 'cdk-opex: move the messages of an SQS dead-letter queue back to their source queue (a message move task) '
      + 'and wait until SQS reports the move COMPLETED; fails if the move fails or is cancelled. Fix the consumer first.',
    parameters: [
      { name: 'QueueArn', description: 'ARN of the queue the messages failed from: they are moved back to it.' },
      { name: 'DeadLetterQueueArn', description: 'ARN of its dead-letter queue.' },
      { name: 'DeadLetterQueueUrl', description: 'URL of its dead-letter queue.' },
      ...gate.parameters,
    ],
    steps: [
      RunbookStep.executeAwsApi({
        name: 'CountDeadLetters',
        description: 'How many messages wait in the dead-letter queue, for the approver.',
        service: 'sqs',
        api: 'GetQueueAttributes',
        inputs: { QueueUrl: '{{ DeadLetterQueueUrl }}', AttributeNames: ['ApproximateNumberOfMessages'] },
        outputs: [{ name: 'Messages', selector: '$.Attributes.ApproximateNumberOfMessages' }],
        resources: StepResources.target(DEAD_LETTER_QUEUE_SLOT),
      }),
      ...gate.steps,
      RunbookStep.executeAwsApi({
        name: 'StartRedrive',
        service: 'sqs',
        api: 'StartMessageMoveTask',
        inputs: { SourceArn: '{{ DeadLetterQueueArn }}', DestinationArn: '{{ QueueArn }}' },
        outputs: [{ name: 'TaskHandle', selector: '$.TaskHandle' }],
        resources: StepResources.target(DEAD_LETTER_QUEUE_SLOT),
        permissions: [
          // SQS moves the messages with the caller's permissions: read and delete from the source, send to the destination.
          { actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: StepResources.target(DEAD_LETTER_QUEUE_SLOT) },
          { actions: ['sqs:SendMessage'], resources: StepResources.target(QUEUE_SLOT) },
        ],
      }),
      RunbookStep.waitForAwsResourceProperty({
        name: 'WaitForRedrive',
        description: 'Wait until the move task ends, whichever way.',
        service: 'sqs',
        api: 'ListMessageMoveTasks',
        inputs: newestMoveTask,
        propertySelector: '$.Results[0].Status',
        desiredValues: MOVE_TASK_DONE,
        timeout: REDRIVE_TIMEOUT,
        resources: StepResources.target(DEAD_LETTER_QUEUE_SLOT),
      }),
      RunbookStep.assertAwsResourceProperty({
        name: 'ConfirmCompleted',
        description: 'Fail unless the move task COMPLETED (not FAILED or CANCELLED).',
        service: 'sqs',
        api: 'ListMessageMoveTasks',
        inputs: newestMoveTask,
        propertySelector: '$.Results[0].Status',
        desiredValues: ['COMPLETED'],
        resources: StepResources.target(DEAD_LETTER_QUEUE_SLOT),
      }),
    ],
    outputs: ['CountDeadLetters.Messages', 'StartRedrive.TaskHandle'],
  });
}
