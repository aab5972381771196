import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { SectionLinks, serviceSection } from '../observability/dashboards';

/**
 * The SQS queue service kind: the golden signals of a queue and its consumers,
 * default thresholds and dashboard section. A queue's users feel it through
 * delay: work sent and not yet done.
 */
export const SQS_KIND = 'sqs';

/** Default alarm thresholds for an SQS queue. */
export const SQS_DEFAULTS = {
  /**
   * Age of the oldest message at which the age alarm fires. When consumers stop, the
   * oldest message ages one second per second: about 60 s old by the end of the stop's
   * first minute and 120 s by the second, so with 1-minute periods two datapoints
   * breach and the alarm fires within detectionSeconds (180 s). It must stay below
   * one period for that; 30 s leaves half a minute for when SQS samples the queue,
   * and a healthy consumer deletes a message well within SQS's default 30 s
   * visibility timeout.
   */
  ageOfOldestMessage: Duration.seconds(30),
  /** Visible messages in the dead-letter queue: any, since each one is work that failed every retry. */
  deadLetterMessages: 1,
};

/** Thresholds an SQS queue's alarms use. */
export interface SqsThresholds {
  readonly ageOfOldestMessage: Duration;
  readonly deadLetterMessages: number;
}

/** The metrics an operator reads to judge a queue and its consumers. */
export interface SqsSignals {
  /** Traffic in: messages producers send. */
  readonly sent: cloudwatch.IMetric;
  /** Traffic out: messages consumers finish (delete). */
  readonly deleted: cloudwatch.IMetric;
  /** Latency: how long the oldest message has waited. */
  readonly ageOfOldestMessage: cloudwatch.IMetric;
  /** Saturation: the backlog waiting for a consumer. */
  readonly visible: cloudwatch.IMetric;
  /** Saturation: messages a consumer holds and has not finished. */
  readonly inFlight: cloudwatch.IMetric;
  /** Errors: messages that failed every retry, when the queue has a dead-letter queue. */
  readonly deadLetters?: cloudwatch.IMetric;
}

/**
 * Golden signals of a queue; the dead-letter queue is the one given, else the one
 * the queue was created with.
 */
export function sqsSignals(queue: sqs.IQueue, period: Duration, deadLetterQueue?: sqs.IQueue): SqsSignals {
  const dlq = deadLetterQueue ?? (queue instanceof sqs.Queue ? queue.deadLetterQueue?.queue : undefined);
  const max = { period, statistic: cloudwatch.Stats.MAXIMUM };
  const sum = { period, statistic: cloudwatch.Stats.SUM };
  return {
    sent: queue.metricNumberOfMessagesSent({ ...sum, label: 'sent' }),
    deleted: queue.metricNumberOfMessagesDeleted({ ...sum, label: 'processed (deleted)' }),
    ageOfOldestMessage: queue.metricApproximateAgeOfOldestMessage({ ...max, label: 'age of oldest message (s)' }),
    visible: queue.metricApproximateNumberOfMessagesVisible({ ...max, label: 'backlog (visible)' }),
    inFlight: queue.metricApproximateNumberOfMessagesNotVisible({ ...max, label: 'in flight' }),
    deadLetters: dlq?.metricApproximateNumberOfMessagesVisible({ ...max, label: 'dead letters' }),
  };
}

/**
 * The alarms a queue gets: the oldest message's age (it fires when consumers stop,
 * the queue's total outage) and, with a dead-letter queue, dead letters.
 */
export function sqsAlarmSpecs(signals: SqsSignals, thresholds: SqsThresholds, queueName: string): SignalAlarmSpec[] {
  const ageSeconds = thresholds.ageOfOldestMessage.toSeconds();
  const age: SignalAlarmSpec = {
    signal: 'message-age',
    metric: signals.ageOfOldestMessage,
    threshold: ageSeconds,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description: `The oldest message in queue ${queueName} is at least ${ageSeconds} s old. `
      + 'Impact: work is delayed; if consumers stopped, nothing sent is being done.',
    detectsOutage: true,
  };
  if (!signals.deadLetters) return [age];
  return [age, {
    signal: 'dead-letters',
    metric: signals.deadLetters,
    threshold: thresholds.deadLetterMessages,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description: `At least ${thresholds.deadLetterMessages} messages from queue ${queueName} are in its dead-letter queue. `
      + 'Impact: that work failed every retry and is not done until it is redriven.',
    detectsOutage: false,
  }];
}

/** The queue's dashboard section: what flows in and out, how long work waits, and its alarms' states. */
export function sqsDashboardWidgets(header: Pick<SectionLinks, 'serviceName' | 'team' | 'detectionSeconds'>,
  signals: SqsSignals, thresholds: SqsThresholds, alarms: cloudwatch.IAlarm[]): cloudwatch.IWidget[] {
  return serviceSection({ ...header, kindLabel: 'SQS queue', detail: `Consumers stopping is detected within ${header.detectionSeconds} s` }, [
    { title: 'traffic (sent, processed)', left: [signals.sent, signals.deleted] },
    {
      title: 'age of oldest message (s)',
      left: [signals.ageOfOldestMessage],
      annotations: [{ value: thresholds.ageOfOldestMessage.toSeconds(), label: 'alarm' }],
    },
    { title: 'backlog', left: [signals.visible, signals.inFlight] },
    ...(signals.deadLetters
      ? [{ title: 'dead letters', left: [signals.deadLetters], annotations: [{ value: thresholds.deadLetterMessages, label: 'alarm' }] }]
      : []),
  ], alarms);
}
