import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { OperationalFunctionProps } from './operational-function-props';

/** Properties of an {@link OperationalQueueWorker}: its consumer's, as for an OperationalFunction, and its queue's. */
export interface OperationalQueueWorkerProps extends OperationalFunctionProps {
  /**
   * The queue to consume, with a dead-letter queue (its redrive policy, or `deadLetterQueue`).
   * @default - a new queue: SQS-managed encryption, SSL only, visibility timeout 6x the consumer's timeout, 3 receives before the dead-letter queue
   */
  readonly queue?: sqs.IQueue;
  /**
   * The dead-letter queue of `queue`.
   * @default - the given queue's, else a new one: SQS-managed encryption, SSL only, kept 14 days
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /**
   * Visibility timeout of the new queue: whole seconds, at least the consumer's timeout.
   * @default - 6 x the consumer's timeout
   */
  readonly visibilityTimeout?: Duration;
  /**
   * How long the new queue keeps a message: whole seconds, 1 minute to 14 days.
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * How long the new dead-letter queue keeps a message: at least the queue's retention.
   * @default Duration.days(14)
   */
  readonly deadLetterRetentionPeriod?: Duration;
  /**
   * Receives of a message before the new queue moves it to the dead-letter queue (1 to 1000).
   * @default 3
   */
  readonly maxReceiveCount?: number;
  /**
   * Messages per batch the consumer gets (1 to 10).
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Let the consumer report which messages of a batch failed, so only those are retried.
   * @default true
   */
  readonly reportBatchItemFailures?: boolean;
  /**
   * Processing-time budget: age of the oldest message, in whole seconds, at which the message-age alarm fires.
   * A stalled consumer is detected within the budget + 2.5 minutes.
   * @default Duration.seconds(30)
   */
  readonly processingTimeBudget?: Duration;
  /**
   * Visible messages at which the backlog warning fires (above 0); it pages no one.
   * @default 1000
   */
  readonly backlogThreshold?: number;
  /**
   * Received messages not deleted, in percent (0 < x <= 100), at which the item-failures alarm fires.
   * @default 5
   */
  readonly itemFailureThreshold?: number;
}
