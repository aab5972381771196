import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { TimelineService } from './incident-timeline';
import { whenOperationsLog } from './operations-log';
import { DeploymentTarget, OperationsDimension } from './operations-metrics';
import { operationsStack } from '../core/operations-stack';
import { IRunbook } from '../runbooks/runbook';

/** What a service tells its stack's incident capabilities about itself. */
export interface IncidentSources {
  /** The service's name. */
  readonly serviceName: string;
  /** Name of the composite alarm that pages for the service. */
  readonly healthAlarmName: string;
  /** What rolls the service out, when it has a rollout (a CodeDeploy deployment group). */
  readonly deployment?: IConstruct;
  /** Resources of the user's the service kind binds (an ECS service among them is routed by ARN). */
  readonly ownedResources: IConstruct[];
  /** The service's runbooks. */
  readonly runbooks: IRunbook[];
}

/**
 * The one call a service pattern makes: routes the service's deployments and runbook
 * executions to the stack's operations log, now if it is on, else when it is turned on.
 * Adds nothing to a stack whose operations log is off.
 */
export function operateIncidents(service: IConstruct, sources: IncidentSources): void {
  whenOperationsLog(service, (log) => {
    const deployments: DeploymentTarget[] = [];
    const stackName = operationsStack(service).stackName;
    const timeline: Mutable<TimelineService> = {
      healthAlarmName: sources.healthAlarmName, alarmPrefix: `${stackName}-${sources.serviceName}-`, dedupStrings: [],
    };
    const group = sources.deployment;
    if (isDeploymentGroup(group)) {
      log.routeDeploymentGroup(group);
      deployments.push({ dimension: OperationsDimension.DEPLOYMENT_GROUP, value: group.deploymentGroupName });
      timeline.application = group.application.applicationName;
      timeline.deploymentGroup = group.deploymentGroupName;
    }
    for (const owned of sources.ownedResources) {
      if (owned instanceof ecs.BaseService) {
        log.routeEcsService(owned.serviceArn, owned);
        deployments.push({ dimension: OperationsDimension.ECS_SERVICE, value: owned.serviceArn });
        timeline.ecsService = owned.serviceArn;
      }
      // The OpsItem the Lambda diagnostics runbook opens when the service turns unhealthy.
      if (owned instanceof lambda.Function) timeline.dedupStrings.push(`cdk-opex:${owned.functionName}:unhealthy`);
    }
    timeline.dedupStrings.push(`cdk-opex:${sources.healthAlarmName}`);
    for (const runbook of sources.runbooks) log.routeRunbook(runbook);
    const groupArn = isDeploymentGroup(group) ? group.deploymentGroupArn : undefined;
    log._registerService({ serviceName: sources.serviceName, healthAlarmName: sources.healthAlarmName, deployments }, timeline, groupArn);
  });
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isDeploymentGroup(group?: IConstruct): group is codedeploy.LambdaDeploymentGroup | codedeploy.EcsDeploymentGroup {
  return group instanceof codedeploy.LambdaDeploymentGroup || group instanceof codedeploy.EcsDeploymentGroup;
}
