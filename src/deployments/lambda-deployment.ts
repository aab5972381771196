import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { RolloutStrategy } from './rollout-strategy';
import { OperationsHub } from '../hub/operations-hub';

/** What a Lambda deployment group needs. */
export interface LambdaDeploymentOptions {
  readonly hub: OperationsHub;
  readonly fn: lambda.IFunction;
  readonly alias: lambda.Alias;
  readonly rollout: RolloutStrategy;
  /** Alarms that stop the rollout and roll it back. */
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * A deployment group that shifts the alias to each new version step by step and
 * rolls back when the deployment fails, is stopped, or any of `alarms` fires.
 *
 * It runs as the stack's shared CodeDeploy role, which gains only what this group
 * needs: its own alias and its own alarms.
 */
export function createLambdaDeploymentGroup(scope: Construct, options: LambdaDeploymentOptions): codedeploy.LambdaDeploymentGroup {
  const role = options.hub.deploymentRole;
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
    resources: [options.fn.functionArn, options.alias.functionArn],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['cloudwatch:DescribeAlarms'],
    resources: options.alarms.map((a) => a.alarmArn),
  }));
  const group = new codedeploy.LambdaDeploymentGroup(scope, 'DeploymentGroup', {
    alias: options.alias,
    application: options.hub.lambdaApplication,
    deploymentConfig: options.hub.lambdaDeploymentConfig(options.rollout),
    alarms: options.alarms,
    autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    // Immutable view: the L2 would otherwise attach the broad AWSCodeDeployRoleForLambdaLimited policy.
    role: role.withoutPolicyUpdates(),
  });
  group.node.addDependency(role);
  return group;
}
