import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { RolloutStrategy, RolloutType } from './rollout-strategy';
import { Limits } from '../core/limits';
import { allowOnResources } from '../core/merged-policy';
import { acknowledgeWildcardResource } from '../core/nag';
import { invalidProp } from '../core/validate';
import { OperationsHub } from '../hub/operations-hub';

/** The ECS deployment strategy a rollout strategy selects: all at once is blue/green (all traffic at once, the old revision kept to roll back to). */
const ECS_STRATEGY: Record<RolloutType, ecs.DeploymentStrategy> = {
  [RolloutType.CANARY]: ecs.DeploymentStrategy.CANARY,
  [RolloutType.LINEAR]: ecs.DeploymentStrategy.LINEAR,
  [RolloutType.ALL_AT_ONCE]: ecs.DeploymentStrategy.BLUE_GREEN,
  [RolloutType.BLUE_GREEN]: ecs.DeploymentStrategy.BLUE_GREEN,
  [RolloutType.ROLLING]: ecs.DeploymentStrategy.ROLLING,
};

/** Whether ECS shifts traffic between two target groups for this rollout (every strategy but rolling). */
export function shiftsTraffic(rollout: RolloutStrategy): boolean {
  return rollout.rolloutType !== RolloutType.ROLLING;
}

/** The service props that make ECS roll out `rollout` itself, checked against ECS's limits; the circuit breaker is always on. */
export function ecsDeploymentProps(scope: IConstruct, rollout: RolloutStrategy, desiredCount: number): Partial<ecs.FargateServiceProps> {
  const type = rollout.rolloutType;
  if (desiredCount === 0 && shiftsTraffic(rollout)) {
    invalidProp(scope, 'desiredCount', `a ${rollout.describe()} rollout moves traffic to new tasks, so it needs at least 1 task (got 0); `
      + 'use RolloutStrategy.rolling() for a service scaled to zero');
  }
  const minutes = rollout.interval.toMinutes();
  if ((type === RolloutType.CANARY || type === RolloutType.LINEAR) && minutes > Limits.ECS_BAKE_MINUTES) {
    invalidProp(scope, 'rollout', `ECS bakes each step at most ${Limits.ECS_BAKE_MINUTES} minutes (got an interval of ${minutes} minutes)`);
  }
  if (type === RolloutType.LINEAR && rollout.percentage < Limits.ECS_LINEAR_MIN_STEP_PERCENT) {
    invalidProp(scope, 'rollout', `an ECS linear step moves at least ${Limits.ECS_LINEAR_MIN_STEP_PERCENT}% of traffic (got ${rollout.percentage}%)`);
  }
  const step = { stepPercent: rollout.percentage, stepBakeTime: Duration.minutes(minutes) };
  return {
    deploymentStrategy: ECS_STRATEGY[type],
    circuitBreaker: { enable: true, rollback: true },
    ...(type === RolloutType.CANARY ? { canaryConfiguration: step } : {}),
    ...(type === RolloutType.LINEAR ? { linearConfiguration: step } : {}),
    ...(shiftsTraffic(rollout) ? { bakeTime: Duration.minutes(rollout.bakeMinutes) } : {}),
  };
}

/** Roles whose Describe* statement is in place already: once per role, however many services use it. */
const describing = new WeakSet<iam.Role>();

/**
 * The role ECS assumes to shift a service's listener rule between its blue and green
 * target groups, shared by the stack's services. It starts empty (not with the broad
 * AmazonECSInfrastructureRolePolicyForLoadBalancers); each service adds its own rule and groups.
 */
export function ecsLoadBalancerRole(hub: OperationsHub): iam.Role {
  const role = hub._shared('EcsTrafficShiftRole', (scope, id) => new iam.Role(scope, id, {
    description: 'Lets ECS shift this stack\'s services\' listener rules between their blue and green target groups',
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
  }));
  if (!describing.has(role)) {
    describing.add(role);
    const actions = ['elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeRules'];
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: ['*'] }));
    acknowledgeWildcardResource(role, '*', 'Elastic Load Balancing\'s Describe* actions have no resource-level permission; '
      + 'the role may change only the rules and target groups of this stack\'s services.');
  }
  return role;
}

/** Lets the shared role move `rule` between `groups` and (de)register their tasks. */
export function allowTrafficShift(role: iam.Role, rule: elbv2.ApplicationListenerRule, groups: elbv2.IApplicationTargetGroup[]): void {
  allowOnResources(role, ['elasticloadbalancing:ModifyRule'], [rule.listenerRuleArn]);
  allowOnResources(role, ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], groups.map((g) => g.targetGroupArn));
}

/**
 * Makes `alarms` stop a deployment of `service` and roll it back. ECS reads them by
 * name, so names must be literals (a name resolved at deploy time could make a cycle).
 */
export function rollBackOnAlarms(scope: IConstruct, service: ecs.BaseService, alarms: cloudwatch.IAlarm[]): void {
  const names = alarms.map((a) => {
    // An alarm of this app reads its name as a reference; the name it was given is on its resource.
    const given = a.node.defaultChild instanceof cloudwatch.CfnAlarm ? a.node.defaultChild.alarmName : undefined;
    const name = Token.isUnresolved(a.alarmName) ? given : a.alarmName;
    if (name === undefined || Token.isUnresolved(name)) {
      invalidProp(scope, 'additionalRollbackAlarms', `ECS names deployment alarms by name: ${a.node.path} needs a literal alarmName`);
    }
    return name;
  });
  service.enableDeploymentAlarms(names, { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM });
}
