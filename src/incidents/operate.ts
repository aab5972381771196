import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { whenOperationsLog } from './operations-log';
import { DeploymentTarget, OperationsDimension } from './operations-metrics';
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
    const group = sources.deployment;
    if (group instanceof codedeploy.LambdaDeploymentGroup || group instanceof codedeploy.EcsDeploymentGroup) {
      log.routeDeploymentGroup(group);
      deployments.push({ dimension: OperationsDimension.DEPLOYMENT_GROUP, value: group.deploymentGroupName });
    }
    for (const owned of sources.ownedResources) {
      if (!(owned instanceof ecs.BaseService)) continue;
      log.routeEcsService(owned.serviceArn, owned);
      deployments.push({ dimension: OperationsDimension.ECS_SERVICE, value: owned.serviceArn });
    }
    for (const runbook of sources.runbooks) log.routeRunbook(runbook);
    log._registerService({ serviceName: sources.serviceName, healthAlarmName: sources.healthAlarmName, deployments });
  });
}
