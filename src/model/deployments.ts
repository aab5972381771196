import { asList, cfnText, literalString, referencedId, referencedIds, Resources } from './template';

/** How a resource's changes reach users, and whether they roll back on alarm. */
export interface DeploymentFact {
  /** `codedeploy` (a deployment group), `ecs` (ECS's own deployments), `apigateway` (a stage canary), or `none` (CloudFormation updates in place). */
  readonly mechanism: 'codedeploy' | 'ecs' | 'apigateway' | 'none';
  /** Traffic shifting, structured: `canary`, `linear`, `all-at-once`, `blue-green`, `rolling`, or `custom`. */
  readonly rolloutType: string;
  /** Percent of traffic per step, for canary and linear. */
  readonly percentage?: number;
  /** Minutes between steps (or the bake time), for canary, linear and blue/green. */
  readonly intervalMinutes?: number;
  /** Logical id of the CodeDeploy deployment group, when there is one in the template. */
  readonly deploymentGroup?: string;
  /** Whether an alarm stops the deployment and rolls it back. */
  readonly rollbackOnAlarm: boolean;
  /** ECS's circuit breaker rolls back a deployment whose tasks fail to start. */
  readonly circuitBreaker: boolean;
  /** Alarms (logical ids, or names not in the template) that roll a deployment back. */
  readonly rollbackAlarms: string[];
  /** The deployment group's name when it is in another template (whose own model judges it). */
  readonly externalGroup?: string;
}

/** Whether a deployment rolls back with no person involved: on alarm, by the circuit breaker, or by a group judged elsewhere. */
export function rollsBackAutomatically(fact: DeploymentFact): boolean {
  return fact.rollbackOnAlarm || fact.circuitBreaker || fact.externalGroup !== undefined;
}

const NONE: DeploymentFact = { mechanism: 'none', rolloutType: 'all-at-once', rollbackOnAlarm: false, circuitBreaker: false, rollbackAlarms: [] };

/** Whether a CodeDeploy deployment group's properties stop and roll back a deployment when an alarm fires. */
export function rollsBackOnAlarm(properties: Record<string, any>): boolean {
  const alarms = properties.AlarmConfiguration;
  const rollback = properties.AutoRollbackConfiguration;
  return alarms?.Enabled === true && asList(alarms.Alarms).length > 0
    && rollback?.Enabled === true && asList(rollback.Events).includes('DEPLOYMENT_STOP_ON_ALARM');
}

/** The deployment group an alias's `CodeDeployLambdaAliasUpdate` names, when it is in the template. */
export function aliasDeploymentGroup(resources: Resources, aliasId: string): string | undefined {
  const update = resources[aliasId]?.UpdatePolicy?.CodeDeployLambdaAliasUpdate;
  if (!update) return undefined;
  const ref = referencedId(update.DeploymentGroupName);
  if (ref && resources[ref]) return ref;
  return Object.keys(resources).find((id) => resources[id].Type === 'AWS::CodeDeploy::DeploymentGroup'
    && literalString(resources[id].Properties?.DeploymentGroupName) === update.DeploymentGroupName);
}

/** How the resource `id` is deployed. */
export function deploymentOf(resources: Resources, id: string, alarmIdOf: (value: unknown) => string,
  aliasesOf?: (functionId: string) => string[]): DeploymentFact {
  const r = resources[id];
  if (r?.Type === 'AWS::Lambda::Function' || r?.Type === 'AWS::Lambda::Alias') {
    const aliases = r.Type === 'AWS::Lambda::Alias' ? [id] : aliasesOf?.(id) ?? Object.keys(resources).filter((a) =>
      resources[a].Type === 'AWS::Lambda::Alias' && referencedIds(resources[a].Properties?.FunctionName).has(id));
    for (const alias of aliases) {
      const group = aliasDeploymentGroup(resources, alias);
      if (group) return codeDeploy(resources, group, alarmIdOf);
    }
    const update = aliases.map((a) => resources[a].UpdatePolicy?.CodeDeployLambdaAliasUpdate).find((u) => u !== undefined);
    if (update) return { ...NONE, mechanism: 'codedeploy', rolloutType: 'custom', externalGroup: cfnText(update.DeploymentGroupName) };
    return NONE;
  }
  if (r?.Type === 'AWS::ECS::Service') {
    if (r.Properties?.DeploymentController?.Type === 'CODE_DEPLOY') {
      const group = Object.keys(resources).find((g) => resources[g].Type === 'AWS::CodeDeploy::DeploymentGroup'
        && referencedIds(resources[g].Properties?.ECSServices).has(id));
      // The group names the service, not the other way round: one outside this template is judged in its own.
      return group ? codeDeploy(resources, group, alarmIdOf)
        : { ...NONE, mechanism: 'codedeploy', rolloutType: 'blue-green', externalGroup: 'a deployment group outside this template' };
    }
    return ecsDeployment(r.Properties?.DeploymentConfiguration ?? {}, alarmIdOf);
  }
  const canary = r?.Type === 'AWS::ApiGateway::Stage' ? r.Properties?.CanarySetting : undefined;
  if (canary) return { ...NONE, mechanism: 'apigateway', rolloutType: 'canary', percentage: Number(canary.PercentTraffic ?? 0) };
  return NONE;
}

function codeDeploy(resources: Resources, groupId: string, alarmIdOf: (value: unknown) => string): DeploymentFact {
  const props = resources[groupId]?.Properties ?? {};
  return {
    mechanism: 'codedeploy',
    ...codeDeployConfig(resources, props.DeploymentConfigName),
    deploymentGroup: groupId,
    rollbackOnAlarm: rollsBackOnAlarm(props),
    circuitBreaker: false,
    rollbackAlarms: asList(props.AlarmConfiguration?.Alarms).map((a) => alarmIdOf(a?.Name)),
  };
}

/** A CodeDeploy deployment configuration (a custom one in the template, or a predefined name). */
function codeDeployConfig(resources: Resources, value: unknown): Pick<DeploymentFact, 'rolloutType' | 'percentage' | 'intervalMinutes'> {
  const ref = [...referencedIds(value)].find((id) => resources[id]?.Type === 'AWS::CodeDeploy::DeploymentConfig');
  const routing = ref ? resources[ref].Properties?.TrafficRoutingConfig : undefined;
  if (routing?.TimeBasedCanary) {
    return { rolloutType: 'canary', percentage: routing.TimeBasedCanary.CanaryPercentage, intervalMinutes: routing.TimeBasedCanary.CanaryInterval };
  }
  if (routing?.TimeBasedLinear) {
    return { rolloutType: 'linear', percentage: routing.TimeBasedLinear.LinearPercentage, intervalMinutes: routing.TimeBasedLinear.LinearInterval };
  }
  if (routing?.Type === 'AllAtOnce') return { rolloutType: 'all-at-once' };
  if (value === undefined) return { rolloutType: 'all-at-once' }; // CodeDeployDefault.*AllAtOnce
  const name = cfnText(value);
  const canary = /Canary(\d+)Percent(\d+)Minutes?/.exec(name);
  if (canary) return { rolloutType: 'canary', percentage: Number(canary[1]), intervalMinutes: Number(canary[2]) };
  const linear = /Linear(\d+)Percent(?:Every)?(\d+)Minutes?/.exec(name);
  if (linear) return { rolloutType: 'linear', percentage: Number(linear[1]), intervalMinutes: Number(linear[2]) };
  return { rolloutType: /AllAtOnce/.test(name) ? 'all-at-once' : 'custom' };
}

/** ECS's own deployments: rolling, or the CANARY, LINEAR and BLUE_GREEN strategies, with alarms and the circuit breaker. */
function ecsDeployment(config: Record<string, any>, alarmIdOf: (value: unknown) => string): DeploymentFact {
  const alarms = config.Alarms;
  const alarmRollback = alarms?.Enable === true && alarms?.Rollback === true && asList(alarms.AlarmNames).length > 0;
  const breaker = config.DeploymentCircuitBreaker?.Enable === true && config.DeploymentCircuitBreaker?.Rollback === true;
  const strategy = String(config.Strategy ?? 'ROLLING');
  const shift = strategy === 'CANARY'
    ? { rolloutType: 'canary', percentage: config.CanaryConfiguration?.CanaryPercent, intervalMinutes: config.CanaryConfiguration?.CanaryBakeTimeInMinutes }
    : strategy === 'LINEAR'
      ? { rolloutType: 'linear', percentage: config.LinearConfiguration?.StepPercent, intervalMinutes: config.LinearConfiguration?.StepBakeTimeInMinutes }
      : strategy === 'BLUE_GREEN' ? { rolloutType: 'blue-green', intervalMinutes: config.BakeTimeInMinutes } : { rolloutType: 'rolling' };
  return {
    mechanism: 'ecs',
    ...shift,
    rollbackOnAlarm: alarmRollback,
    circuitBreaker: breaker,
    rollbackAlarms: alarmRollback ? asList(alarms.AlarmNames).map(alarmIdOf) : [],
  };
}
