import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { allowApiDiagnostics, createApiDiagnosticsRunbook } from './api-diagnostics';
import { ChangeRunbookOptions, variantId } from './approval';
import { createEcsForceNewDeploymentRunbook, createEcsScaleOutRunbook, createEcsStoppedTasksRunbook, CLUSTER_SLOT, SERVICE_SLOT, TASKS_SLOT } from './ecs';
import { createEcsDiagnosticsRunbook, ECS_LOG_GROUP_SLOT } from './ecs-diagnostics';
import { createEcsRollbackRunbook, TASK_ROLES_SLOT } from './ecs-rollback';
import { createNotifyRunbook, createOpsItemRunbook, TOPIC_SLOT } from './generic';
import { createLambdaConcurrencyRunbook, createLambdaRollbackRunbook } from './lambda-changes';
import { allowLambdaDiagnostics, createLambdaDiagnosticsRunbook, FUNCTION_SLOT, logGroupArn } from './lambda-diagnostics';
import { createSqsDiagnosticsRunbook, EVENT_SOURCE_MAPPING_SLOT } from './sqs-diagnostics';
import { createSqsRedriveRunbook, DEAD_LETTER_QUEUE_SLOT, QUEUE_SLOT } from './sqs-redrive';
import { OperationsHub } from '../../hub/operations-hub';
import { Runbook } from '../runbook';

/**
 * Runbooks cdk-opex ships, one shared document per stack each (per approval variant),
 * parameterized by the resource. `allow*` methods let a runbook act on one more
 * resource; the runbook's role holds permissions for exactly those resources.
 */
export class RunbookLibrary {
  /** Lambda: gather diagnostics (alias version, previous version, concurrency, recent errors) onto an OpsItem. Read-only. */
  public static lambdaDiagnostics(scope: IConstruct): Runbook {
    return OperationsHub.of(scope)._shared('LambdaDiagnostics', createLambdaDiagnosticsRunbook);
  }

  /** Lambda: roll the alias back to the previous version, behind an approval by default. */
  public static lambdaRollback(scope: IConstruct, options: ChangeRunbookOptions = {}): Runbook {
    return OperationsHub.of(scope)._shared(variantId('LambdaRollback', options), (s, id) => createLambdaRollbackRunbook(s, id, options));
  }

  /** Lambda: set reserved concurrency, behind an approval by default. */
  public static lambdaConcurrency(scope: IConstruct, options: ChangeRunbookOptions = {}): Runbook {
    return OperationsHub.of(scope)._shared(variantId('LambdaConcurrency', options), (s, id) => createLambdaConcurrencyRunbook(s, id, options));
  }

  /** ECS: force a new deployment and wait for it, behind an approval by default. */
  public static ecsForceNewDeployment(scope: IConstruct, options: ChangeRunbookOptions = {}): Runbook {
    return OperationsHub.of(scope)._shared(variantId('EcsForceNewDeployment', options),
      (s, id) => createEcsForceNewDeploymentRunbook(s, id, options));
  }

  /** ECS: scale out to a desired count and wait for the tasks, behind an approval by default. */
  public static ecsScaleOut(scope: IConstruct, options: ChangeRunbookOptions = {}): Runbook {
    return OperationsHub.of(scope)._shared(variantId('EcsScaleOut', options), (s, id) => createEcsScaleOutRunbook(s, id, options));
  }

  /** ECS: collect why recent tasks stopped onto an OpsItem. Read-only. */
  public static ecsStoppedTasks(scope: IConstruct): Runbook {
    return OperationsHub.of(scope)._shared('EcsStoppedTasks', createEcsStoppedTasksRunbook);
  }

  /** ECS: gather diagnostics (stopped tasks, deployments, events, revisions, recent errors) onto an OpsItem. Read-only. */
  public static ecsDiagnostics(scope: IConstruct): Runbook {
    return OperationsHub.of(scope)._shared('EcsDiagnostics', createEcsDiagnosticsRunbook);
  }

  /** ECS: roll the service back to the previous task definition revision, behind an approval by default. */
  public static ecsRollback(scope: IConstruct, options: ChangeRunbookOptions = {}): Runbook {
    return OperationsHub.of(scope)._shared(variantId('EcsRollback', options), (s, id) => createEcsRollbackRunbook(s, id, options));
  }

  /** Any service: open an OpsItem with context. */
  public static createOpsItem(scope: IConstruct): Runbook {
    return OperationsHub.of(scope)._shared('CreateOpsItem', createOpsItemRunbook);
  }

  /** Any service: publish a message to a topic. */
  public static notify(scope: IConstruct): Runbook {
    return OperationsHub.of(scope)._shared('Notify', createNotifyRunbook);
  }

  /** Lets a Lambda runbook (diagnostics, rollback, concurrency) act on `fn` (and, for diagnostics, its log group). */
  public static allowLambda(runbook: Runbook, fn: lambda.IFunction, logGroupName?: string): void {
    if (runbook.slots.includes('logGroup')) {
      allowLambdaDiagnostics(runbook, fn, logGroupName ?? `/aws/lambda/${fn.functionName}`);
    } else {
      runbook.allowOn(FUNCTION_SLOT, [fn.functionArn]);
    }
  }

  /** Lets an ECS runbook act on `service` (and, for stopped tasks, list and read the tasks of its cluster). */
  public static allowEcsService(runbook: Runbook, service: ecs.IBaseService): void {
    if (runbook.slots.includes(SERVICE_SLOT)) runbook.allowOn(SERVICE_SLOT, [service.serviceArn]);
    if (runbook.slots.includes(CLUSTER_SLOT)) runbook.allowOn(CLUSTER_SLOT, [service.cluster.clusterArn]);
    if (runbook.slots.includes(TASKS_SLOT)) {
      const tasks = Stack.of(service).formatArn({
        service: 'ecs', resource: 'task', resourceName: `${service.cluster.clusterName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
      runbook.allowOn(TASKS_SLOT, [tasks], { wildcardReason: 'Task ARNs are known only at run time; the pattern names the tasks of this service\'s cluster only.' });
    }
  }

  /** Lets the ECS diagnostics runbook read the log group `logGroupName` the service's containers write to. */
  public static allowEcsLogs(runbook: Runbook, logGroupName: string): void {
    runbook.allowOn(ECS_LOG_GROUP_SLOT, [logGroupArn(runbook, logGroupName)], {
      wildcardReason: 'The trailing :* is how IAM names the streams of one log group; the statement reads only this service\'s logs.',
    });
  }

  /** Lets the ECS rollback runbook pass the task and execution roles of `taskDefinition` to ECS. */
  public static allowEcsTaskRoles(runbook: Runbook, taskDefinition: ecs.TaskDefinition): void {
    const roles = [taskDefinition.taskRole, taskDefinition.executionRole].filter((r): r is NonNullable<typeof r> => r !== undefined);
    runbook.allowOn(TASK_ROLES_SLOT, roles.map((r) => r.roleArn));
  }

  /** Lets the notify runbook publish to `topic` (and use its KMS key, if encrypted). */
  public static allowTopic(runbook: Runbook, topic: sns.ITopic): void {
    runbook.allowOn(TOPIC_SLOT, [topic.topicArn]);
    // SNS asks KMS for a data key on the publisher's behalf; named exactly, not GenerateDataKey*.
    topic.masterKey?.grant(runbook.role, 'kms:GenerateDataKey', 'kms:Decrypt');
  }

  /** API Gateway: gather diagnostics (stage settings, recent 5XX from the access logs, health of the API and its backends) onto an OpsItem. Read-only. */
  public static apiDiagnostics(scope: IConstruct): Runbook {
    return OperationsHub.of(scope)._shared('ApiDiagnostics', createApiDiagnosticsRunbook);
  }

  /** Lets the API diagnostics runbook read `stage`, query the access log group `logGroupName` and read the alarms `healthAlarmArns`. */
  public static allowApiStage(runbook: Runbook, stage: apigateway.IStage, logGroupName: string, healthAlarmArns: string[]): void {
    allowApiDiagnostics(runbook, stage, logGroupName, healthAlarmArns);
  }

  /** SQS queue worker: gather diagnostics (backlog, dead letters, consumer version and polling state) onto an OpsItem. Read-only. */
  public static sqsDiagnostics(scope: IConstruct): Runbook {
    return OperationsHub.of(scope)._shared('SqsDiagnostics', createSqsDiagnosticsRunbook);
  }

  /** SQS: move a dead-letter queue's messages back to their queue and wait until the move completes, behind an approval by default. */
  public static sqsRedrive(scope: IConstruct, options: ChangeRunbookOptions = {}): Runbook {
    return OperationsHub.of(scope)._shared(variantId('SqsRedrive', options), (s, id) => createSqsRedriveRunbook(s, id, options));
  }

  /**
   * Lets an SQS runbook (diagnostics, redrive) act on `queue` and its `deadLetterQueue`
   * (and use their KMS keys, if encrypted with one).
   */
  public static allowQueue(runbook: Runbook, queue: sqs.IQueue, deadLetterQueue: sqs.IQueue): void {
    if (runbook.slots.includes(QUEUE_SLOT)) runbook.allowOn(QUEUE_SLOT, [queue.queueArn]);
    if (runbook.slots.includes(DEAD_LETTER_QUEUE_SLOT)) runbook.allowOn(DEAD_LETTER_QUEUE_SLOT, [deadLetterQueue.queueArn]);
    if (runbook.slots.includes(EVENT_SOURCE_MAPPING_SLOT)) return; // diagnostics reads attributes only, which need no key
    // A redrive reads (decrypts) from the dead-letter queue and writes (encrypts) to the queue; named exactly, not GenerateDataKey*.
    deadLetterQueue.encryptionMasterKey?.grant(runbook.role, 'kms:Decrypt');
    queue.encryptionMasterKey?.grant(runbook.role, 'kms:GenerateDataKey', 'kms:Decrypt');
  }

  /** Lets the SQS diagnostics runbook read the consumer `fn` and the event source mapping that feeds it. */
  public static allowQueueConsumer(runbook: Runbook, fn: lambda.IFunction, eventSourceMapping: lambda.IEventSourceMapping): void {
    runbook.allowOn(FUNCTION_SLOT, [fn.functionArn]);
    runbook.allowOn(EVENT_SOURCE_MAPPING_SLOT, [eventSourceMapping.eventSourceMappingArn]);
  }

  private constructor() {}
}
