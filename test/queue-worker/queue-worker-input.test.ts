import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as fc from 'fast-check';
import { OperationalQueueWorker, OperationalQueueWorkerProps } from '../../src';
import { invalidPropError, runs } from '../support/arbitraries';
import { plainFunction, strictStack } from '../support/stacks';

// Bad input and random props: constructs are built, never synthesized (queue-worker.test.ts holds the one synth).

describe('bad input: a clear error naming the prop and its unit', () => {
  const worker = (props: Record<string, unknown>, timeout = Duration.seconds(10)) => () => {
    const s = strictStack();
    new OperationalQueueWorker(s, 'W', { lambdaFunction: plainFunction(s, 'Fn', timeout), ...props });
  };

  test.each([
    [{ visibilityTimeout: Duration.seconds(5) }, /invalid `visibilityTimeout`: the visibility timeout \(5 s\) must be at least the consumer's timeout \(10 s\)/],
    [{ deadLetterRetentionPeriod: Duration.days(1) }, /invalid `deadLetterRetentionPeriod`: the dead-letter queue's retention \(86400 s\) must be at least the queue's \(345600 s\)/],
    [{ maxReceiveCount: 0 }, /invalid `maxReceiveCount`: must be a whole number of receives from 1 to 1000 \(got 0\)/],
    [{ processingTimeBudget: Duration.millis(1500) }, /invalid `processingTimeBudget`: must be a whole number of seconds/],
    [{ itemFailureThreshold: 150 }, /invalid `itemFailureThreshold`: is a percentage of received messages/],
  ])('%o', (props, error) => {
    expect(worker(props)).toThrow(error);
  });

  test('an unresolved token where a literal is needed', () => {
    const token = Token.asNumber({ Ref: 'VisibilitySeconds' });
    expect(worker({ visibilityTimeout: Duration.seconds(token) })).toThrow(/W: invalid `visibilityTimeout`: must be a literal duration, not a token/);
    expect(worker({ maxReceiveCount: token })).toThrow(/invalid `maxReceiveCount`: must be a literal number, not a token/);
    const s = strictStack();
    const dlq = new sqs.Queue(s, 'Dlq');
    const queue = new sqs.Queue(s, 'Q', { visibilityTimeout: Duration.seconds(token), deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    expect(() => new OperationalQueueWorker(s, 'W', { lambdaFunction: plainFunction(s, 'Fn'), queue }))
      .toThrow(/invalid `queue`: its visibility timeout must be a literal, not a token/);
  });

  test('a given queue: its visibility timeout and dead-letter queue are checked, and the queue\'s own props are refused', () => {
    const s = strictStack();
    const dlq = new sqs.Queue(s, 'Dlq', { retentionPeriod: Duration.days(1) });
    const short = new sqs.Queue(s, 'Short', { visibilityTimeout: Duration.seconds(5), deadLetterQueue: { queue: dlq, maxReceiveCount: 2 } });
    const fn = () => plainFunction(s, `Fn${s.node.children.length}`);
    expect(() => new OperationalQueueWorker(s, 'A', { lambdaFunction: fn(), queue: short })).toThrow(/invalid `queue`: the visibility timeout \(5 s\)/);
    const noDlq = new sqs.Queue(s, 'NoDlq', { visibilityTimeout: Duration.minutes(1) });
    expect(() => new OperationalQueueWorker(s, 'B', { lambdaFunction: fn(), queue: noDlq })).toThrow(/invalid `deadLetterQueue`: give the dead-letter queue of `queue`/);
    const longLived = new sqs.Queue(s, 'Long', { visibilityTimeout: Duration.minutes(1), deadLetterQueue: { queue: dlq, maxReceiveCount: 2 } });
    expect(() => new OperationalQueueWorker(s, 'C', { lambdaFunction: fn(), queue: longLived })).toThrow(/invalid `queue`: the dead-letter queue's retention \(86400 s\)/);
    expect(() => new OperationalQueueWorker(s, 'D', { lambdaFunction: fn(), queue: longLived, maxReceiveCount: 3 })).toThrow(/invalid `maxReceiveCount`: applies to the queue cdk-opex creates/);
    const other = new sqs.Queue(s, 'Other');
    expect(() => new OperationalQueueWorker(s, 'E', { lambdaFunction: fn(), queue: longLived, deadLetterQueue: other }))
      .toThrow(/invalid `deadLetterQueue`: is not the dead-letter queue of `queue` \(its redrive policy names Shop\/Dlq\)/);
  });
});

/** A queue worker's function timeout and its queue props. */
type WorkerCase = { timeoutSeconds: number } & Omit<OperationalQueueWorkerProps, 'lambdaFunction'>;

const DAY = 86_400;
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const secs = (a: fc.Arbitrary<number>) => maybe(a.map((n) => Duration.seconds(n)));
const s = (c: { [k: string]: any }, k: string) => (c[k] as Duration | undefined)?.toSeconds();

const validWorker: fc.Arbitrary<WorkerCase> = fc.integer({ min: 1, max: 900 }).chain((timeoutSeconds) =>
  fc.integer({ min: 60, max: 14 * DAY }).chain((retention) => fc.record({
    timeoutSeconds: fc.constant(timeoutSeconds),
    visibilityTimeout: secs(fc.integer({ min: timeoutSeconds, max: 43_200 })),
    retentionPeriod: secs(fc.constant(retention)),
    deadLetterRetentionPeriod: secs(fc.integer({ min: Math.max(retention, 4 * DAY), max: 14 * DAY })),
    maxReceiveCount: maybe(fc.integer({ min: 1, max: 1000 })),
    batchSize: maybe(fc.integer({ min: 1, max: 10 })),
    processingTimeBudget: secs(fc.integer({ min: 1, max: 3600 })),
    backlogThreshold: maybe(fc.integer({ min: 1, max: 1_000_000 })),
    itemFailureThreshold: maybe(fc.double({ min: 0.01, max: 100, noNaN: true })),
  })));

/** One field made invalid, with the prop its error must name. */
const invalidWorker = fc.tuple(validWorker, fc.oneof(
  fc.integer({ min: 0, max: 1 }).map((d) => ({
    prop: 'visibilityTimeout',
    patch: (c: WorkerCase) => ({ visibilityTimeout: Duration.seconds(Math.max(0, c.timeoutSeconds - 1 - d)) }),
  })),
  fc.integer({ min: 1, max: 3 * DAY }).map((d) => ({
    prop: 'deadLetterRetentionPeriod',
    patch: () => ({ retentionPeriod: Duration.days(4), deadLetterRetentionPeriod: Duration.seconds(4 * DAY - d) }),
  })),
  fc.constantFrom(0, -1, 1.5, 1001).map((n) => ({ prop: 'maxReceiveCount', patch: () => ({ maxReceiveCount: n }) })),
  fc.constantFrom(0, 11, 2.5).map((n) => ({ prop: 'batchSize', patch: () => ({ batchSize: n }) })),
  fc.constantFrom(0, 500, 1500).map((n) => ({ prop: 'processingTimeBudget', patch: () => ({ processingTimeBudget: Duration.millis(n) }) })),
  fc.constantFrom(0, -5).map((n) => ({ prop: 'backlogThreshold', patch: () => ({ backlogThreshold: n }) })),
  fc.constantFrom(0, 100.5, -1).map((n) => ({ prop: 'itemFailureThreshold', patch: () => ({ itemFailureThreshold: n }) })),
  fc.constantFrom(0, 59, 15 * DAY).map((n) => ({ prop: 'retentionPeriod', patch: () => ({ retentionPeriod: Duration.seconds(n) }) })),
)).map(([c, m]) => ({ props: { ...c, ...m.patch(c) } as WorkerCase, prop: m.prop }));

function build({ timeoutSeconds, ...props }: WorkerCase) {
  const scope = strictStack();
  return { scope, worker: new OperationalQueueWorker(scope, 'Worker', { lambdaFunction: plainFunction(scope, 'Fn', Duration.seconds(timeoutSeconds)), ...props }) };
}

describe('OperationalQueueWorker: random props', () => {
  test('valid props construct one worker whose queue, mapping and alarms carry the props', () => {
    fc.assert(fc.property(validWorker, (c) => {
      const { scope, worker } = build(c);
      const cfn = (x: any) => x.node.defaultChild;
      const queue = cfn(worker.queue) as sqs.CfnQueue;
      expect(scope.resolve(queue.visibilityTimeout)).toBe(s(c, 'visibilityTimeout') ?? Math.min(43_200, 6 * c.timeoutSeconds));
      expect(scope.resolve(queue.messageRetentionPeriod)).toBe(s(c, 'retentionPeriod') ?? 4 * DAY);
      expect(scope.resolve(queue.redrivePolicy).maxReceiveCount).toBe(c.maxReceiveCount ?? 3);
      expect(scope.resolve((cfn(worker.deadLetterQueue) as sqs.CfnQueue).messageRetentionPeriod)).toBe(s(c, 'deadLetterRetentionPeriod') ?? 14 * DAY);
      const mapping = cfn(worker.eventSourceMapping) as lambda.CfnEventSourceMapping;
      expect([mapping.batchSize, mapping.functionResponseTypes]).toEqual([c.batchSize ?? 10, ['ReportBatchItemFailures']]);
      expect(worker.alarms).toHaveLength(7); // six signals and the backlog warning
      expect((cfn(worker.alarms[3]) as cloudwatch.CfnAlarm).threshold).toBe(s(c, 'processingTimeBudget') ?? 30);
      expect((cfn(worker.backlogAlarm) as cloudwatch.CfnAlarm).threshold).toBe(c.backlogThreshold ?? 1000);
      expect(worker.detectionTime.toSeconds()).toBe(180);
    }), runs(10));
  });

  test('one invalid field: the error names the construct and that prop', () => {
    fc.assert(fc.property(invalidWorker, ({ props, prop }) => {
      expect(() => build(props)).toThrow(new RegExp(`^Shop/Worker${invalidPropError(prop).source}`));
    }), runs(40));
  });
});
