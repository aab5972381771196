import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { integerInRange, invalidProp, positiveNumber, wholeDuration } from '../core/validate';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { AlarmSeverity } from '../observability/alarm-policy';
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

// ---- the queue of a queue worker: a queue, its dead-letter queue and the function that consumes it ----

/** Kind name of a queue worker: a queue consumed by a function through its alias. */
export const QUEUE_WORKER_KIND = 'queue-worker';

/** SQS's limits on the settings a queue worker checks. */
const SQS_LIMITS = { maxVisibilitySeconds: 43_200, minRetentionSeconds: 60, maxRetentionSeconds: 1_209_600, maxReceiveCount: 1_000 };

/** Defaults of a queue worker's queue, dead-letter queue, consumer and alarms. */
export const QUEUE_WORKER_DEFAULTS = {
  /**
   * Processing-time budget: age of the oldest message at which the message-age alarm
   * fires. SQS samples ApproximateAgeOfOldestMessage once a minute, and once the
   * consumer stalls the oldest message ages one second per second, 60 s between two
   * samples. So the first sample at or over a budget B is taken within B + 60 s of the
   * stall and the second (the default alarm needs 2 breaching datapoints) within
   * B + 120 s: with B = 30 s, within 150 s, which leaves 30 s of SQS's publish delay
   * inside the service's 180 s detection time. A larger budget adds to detection
   * one for one (a budget of 5 min is detected within about 7.5 min).
   */
  processingTimeBudget: Duration.seconds(30),
  /** Visible messages at which the backlog warning fires (it pages no one: work waits, none is lost). */
  backlogMessages: 1_000,
  /** Received messages not deleted (returned for a retry), in percent, at which the item-failures alarm fires. */
  itemFailurePercent: 5,
  /** Receives before SQS moves a message to the dead-letter queue. */
  maxReceiveCount: 3,
  /** Visibility timeout per second of the consumer's timeout: Lambda's advice for SQS event sources. */
  visibilityPerConsumerTimeout: 6,
  /** SQS's own default retention. */
  retentionPeriod: Duration.days(4),
  /** SQS's maximum: a dead letter waits as long as SQS allows for a redrive. */
  deadLetterRetentionPeriod: Duration.days(14),
  /** Messages per batch: SQS's most without a batching window. */
  batchSize: 10,
};

/** What a queue worker is told about its queue (and a dead-letter queue), as the user gave it. */
export interface WorkerQueueOptions {
  readonly queue?: sqs.IQueue;
  readonly deadLetterQueue?: sqs.IQueue;
  readonly visibilityTimeout?: Duration;
  readonly retentionPeriod?: Duration;
  readonly deadLetterRetentionPeriod?: Duration;
  readonly maxReceiveCount?: number;
  readonly batchSize?: number;
  readonly processingTimeBudget?: Duration;
  readonly backlogThreshold?: number;
  readonly itemFailureThreshold?: number;
}

/** A queue worker's checked settings and thresholds. */
export interface WorkerQueueSettings {
  readonly visibilitySeconds: number;
  readonly retentionSeconds: number;
  readonly deadLetterRetentionSeconds: number;
  readonly maxReceiveCount: number;
  readonly batchSize: number;
  readonly budgetSeconds: number;
  readonly backlogMessages: number;
  readonly itemFailurePercent: number;
}

/** Settings of a queue this app defines (undefined ones are SQS's defaults); undefined for an imported queue. */
function definedQueueSettings(scope: IConstruct, prop: string, queue: sqs.IQueue | undefined) {
  const cfn = queue?.node.defaultChild;
  if (!(cfn instanceof sqs.CfnQueue)) return undefined;
  const stack = Stack.of(cfn);
  const read = (value: unknown, fallback: number, what: string): number => {
    const resolved = stack.resolve(value);
    if (resolved === undefined) return fallback;
    if (typeof resolved !== 'number') invalidProp(scope, prop, `its ${what} must be a literal, not a token resolved at deploy time`);
    return resolved;
  };
  const redrive = stack.resolve(cfn.redrivePolicy) as { maxReceiveCount?: unknown } | undefined;
  return {
    visibilitySeconds: read(cfn.visibilityTimeout, 30, 'visibility timeout'),
    retentionSeconds: read(cfn.messageRetentionPeriod, QUEUE_WORKER_DEFAULTS.retentionPeriod.toSeconds(), 'retention period'),
    maxReceiveCount: redrive ? read(redrive.maxReceiveCount, 1, 'redrive policy\'s maxReceiveCount') : undefined,
  };
}

/** A duration in whole seconds within SQS's range, or the default; errors name the prop and its unit. */
function seconds(scope: IConstruct, prop: string, value: Duration | undefined, fallback: number, min: number, max: number): number {
  return value === undefined ? fallback : wholeDuration(scope, prop, value, 'seconds', min, max);
}

/**
 * The checked settings of a queue worker: a visibility timeout shorter than the
 * consumer's timeout would make SQS deliver a message again while it is still being
 * processed; a dead-letter queue that keeps messages for less time than the queue
 * would drop them (SQS keeps a message's original enqueue time); a message must be
 * received at least once before it can be dead-lettered.
 */
export function workerQueueSettings(scope: IConstruct, options: WorkerQueueOptions, consumerTimeout: Duration): WorkerQueueSettings {
  const consumerSeconds = consumerTimeout.toSeconds({ integral: false });
  const given = definedQueueSettings(scope, 'queue', options.queue);
  const givenDlq = definedQueueSettings(scope, 'deadLetterQueue', options.deadLetterQueue ?? deadLetterQueueOf(options.queue));
  for (const prop of ['visibilityTimeout', 'retentionPeriod', 'maxReceiveCount'] as const) {
    if (options.queue && options[prop] !== undefined) invalidProp(scope, prop, 'applies to the queue cdk-opex creates; set it on the `queue` you give');
  }
  if (options.deadLetterQueue && options.deadLetterRetentionPeriod !== undefined) {
    invalidProp(scope, 'deadLetterRetentionPeriod', 'applies to the dead-letter queue cdk-opex creates; set it on the `deadLetterQueue` you give');
  }
  const visibilitySeconds = given?.visibilitySeconds ?? seconds(scope, 'visibilityTimeout', options.visibilityTimeout,
    Math.min(SQS_LIMITS.maxVisibilitySeconds, Math.ceil(consumerSeconds * QUEUE_WORKER_DEFAULTS.visibilityPerConsumerTimeout)),
    0, SQS_LIMITS.maxVisibilitySeconds);
  if (visibilitySeconds < consumerSeconds) {
    invalidProp(scope, options.queue ? 'queue' : 'visibilityTimeout', `the visibility timeout (${visibilitySeconds} s) must be at least the consumer's `
      + `timeout (${consumerSeconds} s): SQS would make a message visible again while the function still processes it, and deliver it twice`);
  }
  const retentionSeconds = given?.retentionSeconds ?? seconds(scope, 'retentionPeriod', options.retentionPeriod,
    QUEUE_WORKER_DEFAULTS.retentionPeriod.toSeconds(), SQS_LIMITS.minRetentionSeconds, SQS_LIMITS.maxRetentionSeconds);
  const deadLetterRetentionSeconds = givenDlq?.retentionSeconds ?? seconds(scope, 'deadLetterRetentionPeriod', options.deadLetterRetentionPeriod,
    QUEUE_WORKER_DEFAULTS.deadLetterRetentionPeriod.toSeconds(), SQS_LIMITS.minRetentionSeconds, SQS_LIMITS.maxRetentionSeconds);
  if (deadLetterRetentionSeconds < retentionSeconds) {
    const prop = options.deadLetterQueue ? 'deadLetterQueue' : options.queue ? 'queue' : 'deadLetterRetentionPeriod';
    invalidProp(scope, prop, 'the dead-letter queue\'s retention '
      + `(${deadLetterRetentionSeconds} s) must be at least the queue's (${retentionSeconds} s): SQS keeps a message's original enqueue time, `
      + 'so a dead letter would expire before anyone could redrive it');
  }
  const maxReceiveCount = given?.maxReceiveCount ?? integerInRange(scope, 'maxReceiveCount',
    options.maxReceiveCount ?? QUEUE_WORKER_DEFAULTS.maxReceiveCount, 1, SQS_LIMITS.maxReceiveCount, 'receives');
  if (given && (given.maxReceiveCount === undefined || given.maxReceiveCount < 1)) {
    invalidProp(scope, 'queue', 'must have a dead-letter queue (redrive policy) with maxReceiveCount of at least 1 receive');
  }
  const budget = options.processingTimeBudget ?? QUEUE_WORKER_DEFAULTS.processingTimeBudget;
  return {
    visibilitySeconds,
    retentionSeconds,
    deadLetterRetentionSeconds,
    maxReceiveCount,
    batchSize: integerInRange(scope, 'batchSize', options.batchSize ?? QUEUE_WORKER_DEFAULTS.batchSize, 1, 10, 'messages'),
    budgetSeconds: wholeDuration(scope, 'processingTimeBudget', budget, 'seconds', 1, SQS_LIMITS.maxRetentionSeconds),
    backlogMessages: positiveNumber(scope, 'backlogThreshold', options.backlogThreshold ?? QUEUE_WORKER_DEFAULTS.backlogMessages, 'visible messages'),
    itemFailurePercent: percentage(scope, 'itemFailureThreshold', options.itemFailureThreshold ?? QUEUE_WORKER_DEFAULTS.itemFailurePercent),
  };
}

function percentage(scope: IConstruct, prop: string, value: number): number {
  positiveNumber(scope, prop, value, '% of received messages');
  if (value > 100) invalidProp(scope, prop, `is a percentage of received messages and must be at most 100 (got ${value})`);
  return value;
}

/** The dead-letter queue a queue of this app was made with. */
export function deadLetterQueueOf(queue: sqs.IQueue | undefined): sqs.IQueue | undefined {
  return queue instanceof sqs.Queue ? queue.deadLetterQueue?.queue : undefined;
}

/** Encrypted at rest with SQS-managed keys (no key policy for producers to get right), SSL only. */
const QUEUE_DEFAULTS: sqs.QueueProps = { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };

/** The worker's dead-letter queue: kept 14 days by default, and declared a dead-letter queue (Control Tower CT.SQS.PR.1). */
export function createDeadLetterQueue(scope: Construct, settings: WorkerQueueSettings): sqs.Queue {
  const dlq = new sqs.Queue(scope, 'DeadLetterQueue', {
    ...QUEUE_DEFAULTS,
    retentionPeriod: Duration.seconds(settings.deadLetterRetentionSeconds),
    // byQueue would name the source queue, whose redrive policy names this one: a cycle CloudFormation rejects.
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
  });
  const reason = 'This queue is the dead-letter queue of the worker\'s queue: a message here pages (the dead-letters alarm) and is '
    + 'moved back by the redrive runbook once the consumer is fixed; it has no dead-letter queue of its own.';
  Validations.of(dlq).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
  return dlq;
}

/** The worker's queue, with a visibility timeout the consumer fits in and its dead-letter queue. */
export function createWorkerQueue(scope: Construct, settings: WorkerQueueSettings, deadLetterQueue: sqs.IQueue): sqs.Queue {
  return new sqs.Queue(scope, 'Queue', {
    ...QUEUE_DEFAULTS,
    visibilityTimeout: Duration.seconds(settings.visibilitySeconds),
    retentionPeriod: Duration.seconds(settings.retentionSeconds),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
  });
}

/** A queue worker's own signals besides its consumer's: received messages and the share of them not deleted. */
export interface WorkerSignals extends SqsSignals {
  readonly received: cloudwatch.IMetric;
  /** Received messages not deleted, in percent: batch items reported failed, and batches that failed or timed out. */
  readonly itemFailureRate: cloudwatch.IMetric;
  readonly deadLetters: cloudwatch.IMetric;
}

export function workerSignals(queue: sqs.IQueue, deadLetterQueue: sqs.IQueue, period: Duration): WorkerSignals {
  const base = sqsSignals(queue, period, deadLetterQueue);
  const received = queue.metricNumberOfMessagesReceived({ period, statistic: cloudwatch.Stats.SUM, label: 'received' });
  return {
    ...base,
    deadLetters: base.deadLetters!,
    received,
    itemFailureRate: new cloudwatch.MathExpression({
      expression: 'IF(received > 0, 100 * (received - FILL(deleted, 0)) / received, 0)',
      usingMetrics: { received, deleted: base.deleted },
      period,
      label: 'received, not deleted (%)',
    }),
  };
}

/** The alarms of a queue worker's queue: the oldest message's age against the budget, dead letters, and item failures. */
export function workerAlarmSpecs(signals: WorkerSignals, settings: WorkerQueueSettings, queueName: string): SignalAlarmSpec[] {
  const thresholds = { ageOfOldestMessage: Duration.seconds(settings.budgetSeconds), deadLetterMessages: 1 };
  const [age, deadLetters] = sqsAlarmSpecs(signals, thresholds, queueName);
  return [age, {
    ...deadLetters,
    description: `${deadLetters.description} Any dead letter is data at risk: it pages.`,
    rollsBack: false, // they stay until redriven, so they would stop every later deployment, the fix included
  }, {
    signal: 'item-failures',
    metric: signals.itemFailureRate,
    threshold: settings.itemFailurePercent,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description: `At least ${settings.itemFailurePercent}% of the messages received from queue ${queueName} were not deleted `
      + '(batch items reported failed, or batches that failed). Impact: that work is retried late, then dead-lettered.',
    detectsOutage: true,
  }, {
    signal: 'backlog',
    severity: AlarmSeverity.WARNING,
    metric: signals.visible,
    threshold: settings.backlogMessages,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description: `At least ${settings.backlogMessages} messages wait in queue ${queueName}. Impact: work is done late; `
      + 'consumers may be too few (concurrency, batch size) or too slow. Pages no one: the message-age alarm judges delay.',
    detectsOutage: false,
    rollsBack: false, // a backlog built before a deployment is not the new version's doing
  }];
}

/** The queue's graphs in a worker's dashboard section, after its consumer's. */
export function workerGraphs(serviceName: string, signals: WorkerSignals, settings: WorkerQueueSettings): cloudwatch.IWidget[] {
  const graph = (title: string, left: cloudwatch.IMetric[], value?: number) => new cloudwatch.GraphWidget({
    title: `${serviceName}: ${title}`, left, leftAnnotations: value === undefined ? [] : [{ value, label: 'alarm' }], width: 8, height: 6,
  });
  return [
    graph('queue traffic (sent, received, deleted)', [signals.sent, signals.received, signals.deleted]),
    graph('age of oldest message (s)', [signals.ageOfOldestMessage], settings.budgetSeconds),
    graph('backlog', [signals.visible, signals.inFlight], settings.backlogMessages),
    graph('received, not deleted (%)', [signals.itemFailureRate], settings.itemFailurePercent),
    graph('dead letters', [signals.deadLetters], 1),
  ];
}
