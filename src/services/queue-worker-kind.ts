import { Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { definedFunction, LAMBDA_METRIC_RESOLUTION, lambdaTimeout } from './lambda';
import { LambdaKindOptions, LambdaServiceKind } from './lambda-kind';
import { IServiceKind, ServiceKindContext, ServiceRolloutRequest, ServiceRunbooks, ServiceSectionContext, ServiceSignals } from './service-kind';
import {
  createDeadLetterQueue, createWorkerQueue, deadLetterQueueOf, QUEUE_WORKER_KIND, workerAlarmSpecs, workerGraphs, WorkerQueueOptions,
  WorkerQueueSettings, workerQueueSettings, WorkerSignals, workerSignals,
} from './sqs';
import { invalidProp } from '../core/validate';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { faultActionIds } from '../resilience/faults';
import { RunbookLibrary } from '../runbooks/library';

/** What the queue worker kind is bound to: the consumer (as for the Lambda kind), its queue and how both are alarmed. */
export interface QueueWorkerKindOptions extends LambdaKindOptions, WorkerQueueOptions {
  readonly reportBatchItemFailures?: boolean;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
}

/**
 * An SQS queue (and its dead-letter queue) consumed by a Lambda function through its
 * alias. The consumer is a Lambda service kind it delegates to, so it is rolled out by
 * the same canary and judged by the same alarms as an OperationalFunction; the queue
 * adds its age, dead-letter and item-failure signals, a backlog warning and the SQS
 * runbooks. One instance per service.
 */
export class QueueWorkerServiceKind implements IServiceKind {
  public readonly kindName = QUEUE_WORKER_KIND;
  public readonly metricResolution = LAMBDA_METRIC_RESOLUTION;
  public readonly resourceDimensions = ['FunctionName', 'Resource', 'QueueName'];
  public readonly rolloutMechanism = 'codedeploy-lambda';
  public readonly faults = faultActionIds(QUEUE_WORKER_KIND);
  private readonly consumer: LambdaServiceKind;
  private settings?: WorkerQueueSettings;
  private signals?: WorkerSignals;
  private serviceName = '';
  private _queue?: sqs.IQueue;
  private _deadLetterQueue?: sqs.IQueue;
  private _eventSourceMapping?: lambda.EventSourceMapping;

  constructor(private readonly options: QueueWorkerKindOptions) {
    this.consumer = new LambdaServiceKind(options);
  }

  /** The consumer's alias, once bound. */
  public get alias(): lambda.Alias { return this.consumer.alias; }
  /** The consumer's deployment group, once rolled out. */
  public get deploymentGroup(): codedeploy.LambdaDeploymentGroup { return this.consumer.deploymentGroup; }
  /** The queue, once bound. */
  public get queue(): sqs.IQueue { return this._queue!; }
  /** The dead-letter queue, once bound. */
  public get deadLetterQueue(): sqs.IQueue { return this._deadLetterQueue!; }
  /** The event source mapping on the alias, once bound. */
  public get eventSourceMapping(): lambda.EventSourceMapping { return this._eventSourceMapping!; }

  public validate(service: Construct): void {
    this.consumer.validate(service);
    if (this.options.queue && !(this.options.deadLetterQueue ?? deadLetterQueueOf(this.options.queue))) {
      invalidProp(service, 'deadLetterQueue', 'give the dead-letter queue of `queue` (its redrive policy\'s target): '
        + 'the dead-letters alarm and the redrive runbook need it');
    }
    const own = deadLetterQueueOf(this.options.queue);
    if (own && this.options.deadLetterQueue && own !== this.options.deadLetterQueue) {
      invalidProp(service, 'deadLetterQueue', `is not the dead-letter queue of \`queue\` (its redrive policy names ${own.node.path}); `
        + 'leave it out, or give that one');
    }
    const timeout = lambdaTimeout(service, definedFunction(service, this.options.lambdaFunction));
    this.settings = workerQueueSettings(service, this.options, timeout);
  }

  public bind(service: Construct, context: ServiceKindContext): ServiceSignals {
    const consumerSignals = this.consumer.bind(service, context);
    this.serviceName = context.serviceName;
    const settings = this.settings!;
    const given = this.options.deadLetterQueue ?? deadLetterQueueOf(this.options.queue);
    this._deadLetterQueue = given ?? createDeadLetterQueue(service, settings);
    this._queue = this.options.queue ?? createWorkerQueue(service, settings, this._deadLetterQueue);
    // The alias, not the function, consumes: a canary's new version gets its share of the messages.
    this._eventSourceMapping = this.alias.addEventSourceMapping('EventSourceMapping', {
      eventSourceArn: this._queue.queueArn,
      batchSize: settings.batchSize,
      reportBatchItemFailures: this.options.reportBatchItemFailures ?? true,
    });
    this._queue.grantConsumeMessages(this.alias);
    Validations.of(this._eventSourceMapping).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason: 'Lambda takes no on-failure destination for an SQS event source: a message that fails maxReceiveCount times '
        + 'goes to the queue\'s dead-letter queue (its redrive policy), whose alarm pages.',
    });
    this.signals = workerSignals(this._queue, this._deadLetterQueue, context.period);
    return {
      ...consumerSignals,
      others: {
        ...consumerSignals.others,
        'message-age': this.signals.ageOfOldestMessage,
        'backlog': this.signals.visible,
        'dead-letters': this.signals.deadLetters,
        'item-failures': this.signals.itemFailureRate,
      },
    };
  }

  public runbooks(service: Construct): ServiceRunbooks {
    const consumer = this.consumer.runbooks(service);
    const diagnostics = RunbookLibrary.sqsDiagnostics(service);
    const redrive = RunbookLibrary.sqsRedrive(service);
    for (const runbook of [diagnostics, redrive]) RunbookLibrary.allowQueue(runbook, this.queue, this.deadLetterQueue);
    RunbookLibrary.allowQueueConsumer(diagnostics, this.options.lambdaFunction, this.eventSourceMapping);
    const byOperator = { automatic: false, trigger: 'an operator' };
    return {
      onUnhealthy: diagnostics,
      onUnhealthyParameters: {
        QueueUrl: [this.queue.queueUrl],
        DeadLetterQueueUrl: [this.deadLetterQueue.queueUrl],
        FunctionName: consumer.onUnhealthyParameters.FunctionName,
        AliasName: consumer.onUnhealthyParameters.AliasName,
        EventSourceMappingId: [this.eventSourceMapping.eventSourceMappingId],
        ServiceName: [this.serviceName],
        AlarmName: [events.EventField.fromPath('$.detail.alarmName')],
      },
      healthResponse: `Response: the ${diagnostics.node.id} runbook starts and records the queue's and its consumer's diagnostics on an OpsItem.`,
      others: [
        { runbook: redrive, automatic: false, trigger: 'an operator, once the consumer is fixed; waits for approval' },
        { runbook: consumer.onUnhealthy, ...byOperator },
        ...consumer.others ?? [],
      ],
    };
  }

  public alarmSpecs(service: Construct): SignalAlarmSpec[] {
    const queueSpecs = workerAlarmSpecs(this.signals!, this.settings!, this.serviceName);
    const specs = [...this.consumer.alarmSpecs(service), ...queueSpecs];
    return specs;
  }

  public rollOut(service: Construct, request: ServiceRolloutRequest): IConstruct {
    return this.consumer.rollOut(service, request);
  }

  public dashboardSection(service: Construct, context: ServiceSectionContext): cloudwatch.IWidget[] {
    const consumer = this.consumer.dashboardSection(service, context);
    return [...consumer, ...workerGraphs(context.serviceName, this.signals!, this.settings!)];
  }

  public ownedResources(): IConstruct[] {
    return [...this.consumer.ownedResources(), this.queue, this.deadLetterQueue];
  }
}
