import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { append } from '../core/collections';
import { Limits } from '../core/limits';
import { integerInRange, invalidProp, invalidPropMessage, literalMillis, positiveNumber } from '../core/validate';
import { OperationsHub } from '../hub/operations-hub';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { SectionLinks, serviceSection } from '../observability/dashboards';
import { percentOf, worsePercentOf, worseWhenCounted } from '../observability/metric-math';
import { tracingPolicy } from '../observability/tracing';
import { RunbookLibrary } from '../runbooks/library';

/**
 * The Lambda service kind: its golden signals, default thresholds, dashboard
 * section and the runbooks that respond to it. Everything cdk-opex knows about
 * Lambda lives here.
 */
export const LAMBDA_KIND = 'lambda';

/** Lambda publishes its metrics once a minute: a shorter alarm period never gets data. */
export const LAMBDA_METRIC_RESOLUTION = Duration.seconds(Limits.AWS_METRIC_RESOLUTION_SECONDS);

/** Default alarm thresholds for a Lambda function. */
export const LAMBDA_DEFAULTS = {
  /** Error rate, in percent of invocations, at which the errors alarm fires. */
  errorRatePercent: 5,
  /** p99 duration alarm threshold as a share of the function's timeout. */
  latencyShareOfTimeout: 0.8,
  /** Throttled invocations per period at which the throttles alarm fires. */
  throttles: 1,
  /** Lambda's own default timeout, when the function sets none. */
  timeout: Duration.seconds(3),
  /**
   * Invocations per period from which the version being deployed is judged on its own
   * rate: 50, so at the default 5% one error reads 2% and never rolls a canary back.
   */
  canaryMinimumInvocations: 50,
};

/**
 * Runbooks that respond to a Lambda service (one shared document per stack each):
 * diagnostics starts on its own when the service turns unhealthy; rollback and
 * concurrency are for operators, behind an approval.
 */
export function lambdaRunbooks(scope: IConstruct, fn: lambda.IFunction, logGroupName: string) {
  const runbooks = {
    diagnostics: RunbookLibrary.lambdaDiagnostics(scope),
    rollback: RunbookLibrary.lambdaRollback(scope),
    concurrency: RunbookLibrary.lambdaConcurrency(scope),
  };
  for (const runbook of Object.values(runbooks)) RunbookLibrary.allowLambda(runbook, fn, logGroupName);
  return runbooks;
}

/** Thresholds a Lambda service's alarms use. */
export interface LambdaThresholds {
  readonly errorRatePercent: number;
  readonly latency: Duration;
  readonly throttles: number;
  /** Invocations per period from which the new version's own rate and p99 count. */
  readonly canaryMinimumInvocations: number;
}

/** The metrics an operator reads to judge a Lambda service. */
export interface LambdaSignals {
  readonly invocations: cloudwatch.IMetric;
  readonly errors: cloudwatch.IMetric;
  readonly errorRate: cloudwatch.IMetric;
  readonly latencyP50: cloudwatch.IMetric;
  readonly latencyP90: cloudwatch.IMetric;
  readonly latencyP99: cloudwatch.IMetric;
  readonly throttles: cloudwatch.IMetric;
  readonly concurrency: cloudwatch.IMetric;
  /** Invocations through the alias that the version being deployed served (`ExecutedVersion`). */
  readonly versionInvocations: cloudwatch.IMetric;
  /** The version being deployed's own error rate and p99, on the alias's traffic. */
  readonly versionErrorRate: cloudwatch.IMetric;
  readonly versionLatencyP99: cloudwatch.IMetric;
  /**
   * What the errors alarm judges: the worse of the alias's error rate and the version
   * being deployed's, the latter counted against at least `canaryMinimumInvocations`.
   */
  readonly judgedErrorRate: cloudwatch.IMetric;
  /** What the latency alarm judges: the worse of the alias's p99 and the version's, once it has enough invocations. */
  readonly judgedLatencyP99: cloudwatch.IMetric;
}

/** Threshold overrides a Lambda service may give; each undefined one takes its default. */
export interface LambdaThresholdOverrides {
  readonly errorRateThreshold?: number;
  readonly latencyThreshold?: Duration;
  readonly throttleThreshold?: number;
  readonly canaryMinimumInvocations?: number;
}

/**
 * The thresholds of a function's alarms, checked: an error rate is a percentage, and
 * a p99 duration at or above the timeout could never be reached.
 */
export function lambdaThresholds(scope: IConstruct, overrides: LambdaThresholdOverrides, timeout: Duration): LambdaThresholds {
  const errorRatePercent = positiveNumber(scope, 'errorRateThreshold', overrides.errorRateThreshold ?? LAMBDA_DEFAULTS.errorRatePercent, '% of invocations');
  if (errorRatePercent > 100) {
    invalidProp(scope, 'errorRateThreshold', `is a percentage of invocations and must be at most 100 (got ${errorRatePercent})`);
  }
  const latency = overrides.latencyThreshold ?? Duration.millis(timeout.toMilliseconds() * LAMBDA_DEFAULTS.latencyShareOfTimeout);
  const millis = literalMillis(scope, 'latencyThreshold', latency);
  positiveNumber(scope, 'latencyThreshold', millis, 'ms');
  if (millis >= timeout.toMilliseconds()) {
    invalidProp(scope, 'latencyThreshold', `must be below the function's timeout of ${timeout.toMilliseconds()} ms `
      + `(got ${millis} ms): duration never passes the timeout, so the alarm could never fire`);
  }
  return {
    errorRatePercent,
    latency,
    throttles: positiveNumber(scope, 'throttleThreshold', overrides.throttleThreshold ?? LAMBDA_DEFAULTS.throttles, 'throttled invocations per period'),
    canaryMinimumInvocations: integerInRange(scope, 'canaryMinimumInvocations',
      overrides.canaryMinimumInvocations ?? LAMBDA_DEFAULTS.canaryMinimumInvocations, 1, Number.MAX_SAFE_INTEGER, 'invocations per alarm period'),
  };
}

/**
 * The function's timeout, or Lambda's default when it sets none. It must be a literal:
 * the latency alarm's threshold is derived from it and checked against it at synth.
 */
export function lambdaTimeout(scope: IConstruct, fn: lambda.Function): Duration {
  const timeout = fn.timeout ?? LAMBDA_DEFAULTS.timeout;
  if (timeout.isUnresolved()) {
    invalidProp(scope, 'lambdaFunction', 'the function\'s timeout must be a literal duration, not a token resolved at deploy time: '
      + 'the latency alarm\'s threshold is derived from it (80% by default) and must stay below it');
  }
  literalMillis(scope, 'lambdaFunction', timeout);
  return timeout;
}

/**
 * The function as an OperationalFunction needs it: defined in this app (an imported
 * one has no `currentVersion` to roll out, nor a template resource to turn tracing on in).
 */
export function definedFunction(scope: IConstruct, fn: lambda.IFunction): lambda.Function {
  const cfn = fn?.node?.defaultChild;
  if (!(cfn instanceof CfnResource) || cfn.cfnResourceType !== lambda.CfnFunction.CFN_RESOURCE_TYPE_NAME) {
    invalidProp(scope, 'lambdaFunction', 'must be a lambda.Function defined in this app; a function imported with '
      + 'fromFunctionArn/fromFunctionName/fromFunctionAttributes has no version CodeDeploy can roll out. '
      + 'Define the function in this app, or alarm on the imported one with a ServiceLevelObjective or your own alarms');
  }
  return fn as lambda.Function;
}

/**
 * Golden signals measured on the alias, so they judge exactly the traffic users
 * send, and the same signals of the version being deployed (`fn.currentVersion`) on
 * its own: Lambda publishes an alias's metrics also per `ExecutedVersion`, so during
 * a canary the new version's share is judged apart from the old version's traffic.
 * The dimension is the template's current version, so the stack update that shifts the
 * alias to a new version also points the alarms at it (they reference it; an alarm
 * update takes seconds against a canary step of minutes, and keeps the alarm's state).
 */
export function lambdaSignals(fn: lambda.Function, alias: lambda.IAlias, period: Duration, minimumInvocations: number): LambdaSignals {
  const invocations = alias.metricInvocations({ period, statistic: cloudwatch.Stats.SUM });
  const errors = alias.metricErrors({ period, statistic: cloudwatch.Stats.SUM });
  const latency = (p: number) => alias.metricDuration({ period, statistic: cloudwatch.Stats.percentile(p), label: `p${p}` });
  const ofVersion = (metric: cloudwatch.Metric, label?: string) => metric.with({
    dimensionsMap: { ...metric.dimensions, ExecutedVersion: fn.currentVersion.version }, label,
  });
  const latencyP99 = latency(99);
  const version = {
    invocations: ofVersion(invocations),
    errors: ofVersion(errors),
    latencyP99: ofVersion(latencyP99, 'p99 (new version)'),
  };
  const named = {
    errors: { id: 'errors', metric: errors },
    invocations: { id: 'invocations', metric: invocations },
    versionErrors: { id: 'versionErrors', metric: version.errors },
    versionInvocations: { id: 'versionInvocations', metric: version.invocations },
  };
  return {
    invocations,
    errors,
    errorRate: percentOf(named.errors, named.invocations, period, 'error rate (%)'),
    latencyP50: latency(50),
    latencyP90: latency(90),
    latencyP99,
    throttles: alias.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
    concurrency: fn.metric('ConcurrentExecutions', { period, statistic: cloudwatch.Stats.MAXIMUM }),
    versionInvocations: version.invocations,
    versionErrorRate: percentOf(named.versionErrors, named.versionInvocations, period, 'new version error rate (%)'),
    versionLatencyP99: version.latencyP99,
    judgedErrorRate: worsePercentOf({ part: named.errors, total: named.invocations },
      { part: named.versionErrors, total: named.versionInvocations, minimumTotal: minimumInvocations }, period,
      'error rate (%), worse of alias and new version'),
    judgedLatencyP99: worseWhenCounted({ id: 'latency', metric: latencyP99 }, { id: 'versionLatency', metric: version.latencyP99 },
      named.versionInvocations, minimumInvocations, period, 'p99 (ms), worse of alias and new version'),
  };
}

/**
 * The alarms a Lambda service gets, one per golden signal that users feel. The errors
 * and latency alarms judge the alias and, on its own, the version being deployed: they
 * roll a canary back that the alias's mixed traffic would hide, and still page when
 * the old version fails.
 */
export function lambdaAlarmSpecs(signals: LambdaSignals, thresholds: LambdaThresholds, aliasName: string): SignalAlarmSpec[] {
  const latencyMs = thresholds.latency.toMilliseconds();
  const minimum = thresholds.canaryMinimumInvocations;
  return [
    {
      signal: 'errors',
      metric: signals.judgedErrorRate,
      threshold: thresholds.errorRatePercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `Error rate on alias ${aliasName}, or of the version being deployed alone, is at or above `
        + `${thresholds.errorRatePercent}% of invocations (below ${minimum} invocations a period, the version's errors count `
        + `against ${minimum}). Impact: callers get errors.`,
      detectsOutage: true,
    },
    {
      signal: 'latency',
      metric: signals.judgedLatencyP99,
      threshold: latencyMs,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `p99 duration on alias ${aliasName}, or of the version being deployed once it has ${minimum} invocations `
        + `a period, is at or above ${latencyMs} ms. Impact: slow responses; near the timeout, requests fail.`,
      detectsOutage: false,
    },
    {
      signal: 'throttles',
      metric: signals.throttles,
      threshold: thresholds.throttles,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `At least ${thresholds.throttles} invocations per period on alias ${aliasName} are throttled. Impact: requests are rejected or retried late.`,
      detectsOutage: false,
    },
  ];
}

/** The service's dashboard section: what it does, how it fails, and its alarms' states. */
export function lambdaDashboardWidgets(links: SectionLinks, signals: LambdaSignals, thresholds: LambdaThresholds,
  timeout: Duration, alarms: cloudwatch.IAlarm[]): cloudwatch.IWidget[] {
  return serviceSection({
    ...links,
    kindLabel: 'Lambda',
    detail: `Outage detected within ${links.detectionSeconds} s · rollout ${links.rollout}, `
      + 'rolled back when the alias or the new version alone breaches · '
      + `[diagnostics runbook](${links.runbookUrl}) · [deployment group](${links.deploymentGroupUrl})`,
  }, [
    { title: 'traffic (invocations)', left: [signals.invocations] },
    { title: 'errors', left: [signals.errors], right: [signals.errorRate, signals.versionErrorRate] },
    {
      title: 'latency (ms)',
      left: [signals.latencyP50, signals.latencyP90, signals.latencyP99, signals.versionLatencyP99],
      annotations: [
        { value: thresholds.latency.toMilliseconds(), label: 'alarm' },
        { value: timeout.toMilliseconds(), label: 'timeout', color: cloudwatch.Color.RED },
      ],
    },
    { title: 'throttles', left: [signals.throttles], annotations: [{ value: thresholds.throttles, label: 'alarm' }] },
    { title: 'concurrency (max)', left: [signals.concurrency] },
  ], alarms);
}

/**
 * Turns on X-Ray active tracing for a function that has none; its role may then send
 * traces through the stack's one shared tracing policy.
 */
export function enableLambdaTracing(hub: OperationsHub, fn: lambda.Function): void {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  const current = Stack.of(fn).resolve(cfn.tracingConfig) as { mode?: string } | undefined;
  if (current?.mode === lambda.Tracing.ACTIVE) return; // already traced, with its permissions
  cfn.tracingConfig = { mode: lambda.Tracing.ACTIVE };
  if (fn.role) tracingPolicy(hub).attachToRole(fn.role);
}

/** Log group the function writes to: its logging config's, or Lambda's default. */
export function lambdaLogGroupName(fn: lambda.Function): string {
  const config = (fn.node.defaultChild as lambda.CfnFunction).loggingConfig as lambda.CfnFunction.LoggingConfigProperty | undefined;
  return config?.logGroup ?? `/aws/lambda/${fn.functionName}`;
}

/** Functions an OperationalFunction already operates, with its path. */
const operatedFunctions = new WeakMap<lambda.Function, string>();

/** What one OperationalFunction claimed: its scope (where its own alias is), the function and the alias name. */
interface AliasClaim {
  readonly scope: IConstruct;
  readonly fn: lambda.Function;
  readonly aliasName: string;
}

/** Each stack's claims, checked together against the stack's aliases when the tree is validated. */
const claimsByStack = new WeakMap<Stack, AliasClaim[]>();

/**
 * Claims `fn` for one OperationalFunction: a second one would create a second alias of
 * the same name and a second deployment group for it, which fails at deploy time. An
 * alias of the same name made through the function (`fn.addAlias`) is refused at once;
 * one made anywhere else in the stack, before or after, when the tree is validated (one
 * look through the stack for all its functions, instead of one per function).
 */
export function claimFunction(scope: IConstruct, fn: lambda.Function, aliasName: string): void {
  const owner = operatedFunctions.get(fn);
  if (owner !== undefined) {
    invalidProp(scope, 'lambdaFunction', `${fn.node.path} is already operated by ${owner}; one OperationalFunction per function`);
  }
  const stack = Stack.of(fn);
  const functionRef = JSON.stringify(stack.resolve(fn.functionName));
  const existing = fn.node.findAll().find((c) => sameAlias(stack, c, aliasName, functionRef));
  if (existing) invalidProp(scope, 'aliasName', aliasTaken(fn, aliasName, existing));
  operatedFunctions.set(fn, scope.node.path);
  let claims = claimsByStack.get(stack);
  if (!claims) {
    claims = [];
    claimsByStack.set(stack, claims);
    const all = claims;
    stack.node.addValidation({ validate: () => aliasConflicts(stack, all) });
  }
  claims.push({ scope, fn, aliasName });
}

/** Whether `c` is an alias named `aliasName` of the function `functionRef` (its resolved name) names. */
function sameAlias(stack: Stack, c: IConstruct, aliasName: string, functionRef: string): c is lambda.CfnAlias {
  return c instanceof lambda.CfnAlias && c.name === aliasName && JSON.stringify(stack.resolve(c.functionName)) === functionRef;
}

function aliasTaken(fn: lambda.Function, aliasName: string, existing: IConstruct): string {
  return `${fn.node.path} already has an alias named '${aliasName}' (${existing.node.path}); `
    + 'Lambda rejects a second alias of the same name at deploy time. Pass another aliasName, or remove the existing alias';
}

/** An error for each claim whose function has another alias of the claimed name in the stack (its own alias aside). */
function aliasConflicts(stack: Stack, claims: AliasClaim[]): string[] {
  const aliases = new Map<string, lambda.CfnAlias[]>();
  for (const c of stack.node.findAll()) {
    if (!(c instanceof lambda.CfnAlias)) continue;
    const key = `${c.name} ${JSON.stringify(stack.resolve(c.functionName))}`;
    append(aliases, key, c);
  }
  return claims.flatMap(({ scope, fn, aliasName }) => {
    const own = `${scope.node.path}/`;
    const other = (aliases.get(`${aliasName} ${JSON.stringify(stack.resolve(fn.functionName))}`) ?? [])
      .find((c) => !c.node.path.startsWith(own));
    return other ? [invalidPropMessage(scope, 'aliasName', aliasTaken(fn, aliasName, other))] : [];
  });
}
