import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { RolloutStrategy } from './rollout-strategy';
import { Limits } from '../core/limits';
import { allowOnResources } from '../core/merged-policy';
import { invalidProp } from '../core/validate';
import { OperationsHub } from '../hub/operations-hub';

/** What a Lambda deployment group needs. */
export interface LambdaDeploymentOptions {
  readonly hub: OperationsHub;
  readonly fn: lambda.IFunction;
  readonly alias: lambda.Alias;
  readonly rollout: RolloutStrategy;
  /** Alarms that stop the rollout and roll it back. */
  readonly alarms: cloudwatch.IAlarm[];
  /** Those of `alarms` that cdk-opex named (`<stack>-...`). */
  readonly ownAlarms: cloudwatch.IAlarm[];
}

/**
 * A deployment group that shifts the alias to each new version step by step and
 * rolls back when the deployment fails, is stopped, or any of `alarms` fires.
 *
 * It runs as the stack's shared CodeDeploy role, which gains only what this group
 * needs: its own alias and its own alarms.
 */
export function createLambdaDeploymentGroup(scope: Construct, options: LambdaDeploymentOptions): codedeploy.LambdaDeploymentGroup {
  if (options.alarms.length > Limits.DEPLOYMENT_GROUP_ALARMS) {
    const extra = options.alarms.length - options.ownAlarms.length;
    invalidProp(scope, 'additionalRollbackAlarms', `a deployment group takes at most ${Limits.DEPLOYMENT_GROUP_ALARMS} alarms; `
      + `the ${options.ownAlarms.length} signal alarms and ${extra} more make ${options.alarms.length}`);
  }
  const role = options.hub.deploymentRole;
  allowOnResources(role, ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
    [options.fn.functionArn, options.alias.functionArn]);
  // The stack's own alarms are all named `<stack>-...`: one constant statement covers them.
  const own = options.hub.ownAlarmsArn;
  const others = options.alarms.filter((a) => !options.ownAlarms.includes(a)).map((a) => a.alarmArn);
  allowOnResources(role, ['cloudwatch:DescribeAlarms'], [own, ...others]);
  const group = new codedeploy.LambdaDeploymentGroup(scope, 'DeploymentGroup', {
    alias: options.alias,
    application: options.hub.lambdaApplication,
    deploymentConfig: options.hub.lambdaDeploymentConfig(options.rollout),
    alarms: options.alarms,
    autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    // Immutable view: the L2 would otherwise attach the broad AWSCodeDeployRoleForLambdaLimited policy.
    role: role.withoutPolicyUpdates(),
  });
  // The first rollout must find the policy in place; depend on it alone, not on every role resource.
  group.node.addDependency(role.node.findChild('DefaultPolicy'));
  return group;
}
