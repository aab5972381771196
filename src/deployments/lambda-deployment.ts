import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { RolloutStrategy } from './rollout-strategy';
import { alarmNamePrefix } from '../core/alarm-names';
import { Limits } from '../core/limits';
import { allowOnResources } from '../core/merged-policy';
import { acknowledgeWildcardResource } from '../core/nag';
import { invalidProp } from '../core/validate';
import { OperationsHub } from '../hub/operations-hub';

/** The CodeDeploy application every Lambda deployment group of the stack belongs to. */
export function lambdaApplication(hub: OperationsHub): codedeploy.LambdaApplication {
  return hub._shared('LambdaApplication', (scope, id) => new codedeploy.LambdaApplication(scope, id));
}

/**
 * The role CodeDeploy assumes for the stack's deployment groups. It starts empty;
 * each deployment group adds statements scoped to its own alias and alarms.
 */
export function lambdaDeploymentRole(hub: OperationsHub): iam.Role {
  return hub._shared('DeploymentRole', (scope, id) => new iam.Role(scope, id, {
    description: 'Lets CodeDeploy shift traffic between versions of this stack\'s Lambda aliases and read their alarms',
    assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
  }));
}

/** Deployment roles whose own-alarms pattern is acknowledged already: once per role, however many services read it. */
const acknowledgedOwnAlarms = new WeakSet<iam.Role>();

/**
 * ARN pattern of the alarms cdk-opex names in this stack, which the deployment role
 * may read: one constant statement instead of three ARNs per service.
 */
export function ownAlarmsArn(hub: OperationsHub): string {
  const arn = Stack.of(hub).formatArn({
    service: 'cloudwatch',
    resource: 'alarm',
    resourceName: `${alarmNamePrefix(hub)}*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const role = lambdaDeploymentRole(hub);
  if (!acknowledgedOwnAlarms.has(role)) {
    acknowledgedOwnAlarms.add(role);
    acknowledgeWildcardResource(role, arn,
      'CodeDeploy may only read (DescribeAlarms) the alarms cdk-opex names `<stack>-...` in this stack; '
      + 'one pattern keeps the policy constant in size as services are added.');
  }
  return arn;
}

/** The deployment configuration for a rollout strategy; custom ones are created once per stack. */
export function lambdaDeploymentConfig(hub: OperationsHub, strategy: RolloutStrategy): codedeploy.ILambdaDeploymentConfig {
  return strategy._predefinedLambdaConfig() ?? hub._shared(`DeploymentConfig-${strategy.key}`,
    (scope, id) => new codedeploy.LambdaDeploymentConfig(scope, id, { trafficRouting: strategy._trafficRouting() }));
}

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
  const role = lambdaDeploymentRole(options.hub);
  const grants = allowOnResources(role, ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
    [options.fn.functionArn, options.alias.functionArn]);
  // The stack's own alarms are all named `<stack>-...`: one constant statement covers them.
  const own = ownAlarmsArn(options.hub);
  const others = options.alarms.filter((a) => !options.ownAlarms.includes(a)).map((a) => a.alarmArn);
  allowOnResources(role, ['cloudwatch:DescribeAlarms'], [own, ...others]);
  const group = new codedeploy.LambdaDeploymentGroup(scope, 'DeploymentGroup', {
    alias: options.alias,
    application: lambdaApplication(options.hub),
    deploymentConfig: lambdaDeploymentConfig(options.hub, options.rollout),
    alarms: options.alarms,
    autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    // Immutable view: the L2 would otherwise attach the broad AWSCodeDeployRoleForLambdaLimited policy.
    role: role.withoutPolicyUpdates(),
  });
  // The first rollout must find the policy in place; depend on it alone, not on every role resource.
  if (grants) group.node.addDependency(grants);
  return group;
}
