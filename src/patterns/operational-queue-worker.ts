import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OperationalQueueWorkerProps } from './operational-queue-worker-props';
import { OperationalService } from './operational-service';
import { GameDay } from '../resilience/game-day';
import { addGameDays } from '../resilience/pattern-game-days';
import { QueueWorkerServiceKind } from '../services/queue-worker-kind';

/**
 * An SQS queue, its dead-letter queue and the Lambda function that consumes it through
 * its `live` alias, operable from day one: the consumer is rolled out by the same canary
 * and judged by the same alarms as an OperationalFunction; the queue adds the oldest
 * message's age, dead letters (any pages) and batch item failures to the health alarm,
 * and a backlog warning. A diagnostics runbook starts when it turns unhealthy; a redrive
 * runbook moves dead letters back, behind an approval.
 */
export class OperationalQueueWorker extends OperationalService {
  /**
   * The service's game days, when `gameDays` is set.
   * @default - none
   */
  public readonly gameDay?: GameDay;
  /** The consumer's alias; the event source mapping invokes it. */
  public readonly alias: lambda.Alias;
  /** The deployment group that rolls out new consumer versions and rolls back on alarm. */
  public readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
  /** The queue consumed. */
  public readonly queue: sqs.IQueue;
  /** Its dead-letter queue. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The event source mapping that feeds the alias from the queue. */
  public readonly eventSourceMapping: lambda.EventSourceMapping;
  /** The backlog warning (not part of the health alarm, never a rollback). */
  public readonly backlogAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: OperationalQueueWorkerProps) {
    const kind = new QueueWorkerServiceKind(props);
    super(scope, id, { ...props, kind });
    this.alias = kind.alias;
    this.deploymentGroup = kind.deploymentGroup;
    this.queue = kind.queue;
    this.deadLetterQueue = kind.deadLetterQueue;
    this.eventSourceMapping = kind.eventSourceMapping;
    this.backlogAlarm = this.signalAlarm('backlog')!;
    this.gameDay = addGameDays(this, props.gameDays);
  }
}
