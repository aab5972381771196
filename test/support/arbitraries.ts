import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as fc from 'fast-check';
import { complianceFindings, findingLines } from './compliance';
import {
  AlarmAction, AlarmPolicyProps, BurnRateSeverity, KpiBand, KpiDirection, RolloutStrategy, TrafficShiftOptions,
} from '../../src';

// Generators of valid props, and of props with exactly one invalid field, for the
// property tests in test/properties. Each invalid case carries the prop its error must name.

/**
 * The seed of every property run: `FC_SEED=<n>` replays one; otherwise a fresh one per
 * run. fast-check prints the seed and path of a failing case, so it can be replayed.
 */
export const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);

/** fast-check parameters: a fixed number of runs with the run's seed. */
export function runs(numRuns: number): fc.Parameters<unknown> {
  return { numRuns, seed: SEED };
}

/** Every `every`-th call answers true: construct in every case, synth only in some. */
export function sampler(every: number): () => boolean {
  let calls = 0;
  return () => calls++ % every === 0;
}

/** The error cdk-opex throws for a bad `prop`: `<path>: invalid \`prop\`: ...`. */
export function invalidPropError(prop: string): RegExp {
  return new RegExp(`: invalid \`${prop.replace(/[.[\]]/g, (c) => `\\${c}`)}\`: `);
}

/** A case with one invalid field: what to change, and the prop the error must name. */
export interface InvalidCase<T> {
  readonly props: T;
  readonly prop: string;
  readonly field: string;
}

/** Replaces one field of valid props with an invalid value. */
function mutate<T extends object>(valid: fc.Arbitrary<T>, mutations: Array<fc.Arbitrary<{ field: string; prop: string; patch: Partial<T> }>>):
fc.Arbitrary<InvalidCase<T>> {
  return fc.tuple(valid, fc.oneof(...mutations)).map(([props, m]) => ({ props: { ...props, ...m.patch }, prop: m.prop, field: m.field }));
}

function bad<T>(field: string, prop: string, values: fc.Arbitrary<any>, patch: (v: any) => Partial<T>) {
  return values.map((v) => ({ field: `${field}=${String(v)}`, prop, patch: patch(v) }));
}

// ---- shared pieces ----

export const serviceName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/);
export const badName = fc.constantFrom('', 'check out', 'a/b', 'x'.repeat(65), 'tab\tbed', 'ünï');

/** Alarm periods CloudWatch accepts on per-minute AWS metrics: whole minutes, or hours. */
export const minutePeriod = fc.oneof(
  fc.integer({ min: 1, max: 59 }).map((m) => Duration.minutes(m)),
  fc.integer({ min: 1, max: 24 }).map((h) => Duration.hours(h)),
);

/** Periods CloudWatch rejects outright (not 10/20/30 s nor a multiple of 60 s). */
export const rejectedPeriod = fc.oneof(
  fc.constantFrom(Duration.seconds(0), Duration.seconds(45), Duration.seconds(90), Duration.millis(1500), Duration.seconds(61)),
  fc.integer({ min: 31, max: 3599 }).filter((s) => s % 60 !== 0).map((s) => Duration.seconds(s)),
);

/** Longest evaluation CloudWatch allows for a period, in periods. */
export function maxEvaluationPeriods(period: Duration): number {
  const seconds = period.toSeconds();
  return Math.floor((seconds >= 3600 ? 604_800 : 86_400) / seconds);
}

/** An evaluation as the props that set it. */
function flatEvaluation(e: { period: Duration; evaluationPeriods: number; datapointsToAlarm: number }) {
  return { period: e.period, evaluationPeriods: e.evaluationPeriods, datapointsToAlarm: e.datapointsToAlarm };
}

/** A period with evaluation periods and datapoints CloudWatch accepts. */
export function evaluation(periods: fc.Arbitrary<Duration>) {
  return periods.chain((period) => fc.integer({ min: 1, max: Math.min(maxEvaluationPeriods(period), 30) })
    .chain((evaluationPeriods) => fc.integer({ min: 1, max: evaluationPeriods })
      .map((datapointsToAlarm) => ({ period, evaluationPeriods, datapointsToAlarm }))));
}

// ---- OperationalFunction ----

/** Valid OperationalFunction props, with the timeout of the function they go with. */
export interface FunctionCase {
  readonly timeoutSeconds: number;
  readonly errorRateThreshold?: number;
  readonly latencyThreshold?: Duration;
  readonly throttleThreshold?: number;
  readonly alarmPeriod?: Duration;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly serviceName?: string;
  readonly team?: string;
  readonly aliasName?: string;
  readonly sloTarget?: number;
  readonly rollout?: RolloutStrategy;
  readonly tracing?: boolean;
}

const percentage = fc.double({ min: 0.01, max: 100, noNaN: true }).map((x) => Math.round(x * 100) / 100).filter((x) => x > 0);

export const validFunction: fc.Arbitrary<FunctionCase> = fc.integer({ min: 1, max: 900 }).chain((timeoutSeconds) => fc.record({
  timeoutSeconds: fc.constant(timeoutSeconds),
  errorRateThreshold: fc.option(percentage, { nil: undefined }),
  latencyThreshold: fc.option(fc.integer({ min: 1, max: timeoutSeconds * 1000 - 1 }).map((ms) => Duration.millis(ms)), { nil: undefined }),
  throttleThreshold: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
  evaluation: fc.option(evaluation(minutePeriod), { nil: undefined }),
  serviceName: fc.option(serviceName, { nil: undefined }),
  team: fc.option(serviceName, { nil: undefined }),
  aliasName: fc.option(fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/), { nil: undefined }),
  sloTarget: fc.option(fc.double({ min: 50.01, max: 99.99, noNaN: true }).map((x) => Math.round(x * 100) / 100), { nil: undefined }),
  rollout: fc.option(validRollout(), { nil: undefined }),
  tracing: fc.option(fc.boolean(), { nil: undefined }),
})).map(({ evaluation: e, ...rest }) => ({
  ...rest,
  ...(e ? { alarmPeriod: e.period, evaluationPeriods: e.evaluationPeriods, datapointsToAlarm: e.datapointsToAlarm } : {}),
}));

export const invalidFunction: fc.Arbitrary<InvalidCase<FunctionCase>> = mutate(validFunction, [
  bad<FunctionCase>('errorRateThreshold', 'errorRateThreshold', fc.oneof(fc.constantFrom(0, -1, NaN, Infinity), fc.double({ min: 100.01, max: 1e6, noNaN: true })),
    (v) => ({ errorRateThreshold: v })),
  bad<FunctionCase>('throttleThreshold', 'throttleThreshold', fc.constantFrom(0, -5, NaN), (v) => ({ throttleThreshold: v })),
  bad<FunctionCase>('latencyThreshold', 'latencyThreshold', fc.constantFrom('timeout', 'zero', 'nan', 'over'),
    (v) => ({ latencyThreshold: v === 'zero' ? Duration.millis(0) : v === 'nan' ? Duration.millis(NaN) : v === 'over' ? Duration.minutes(16) : 'timeout' as any })),
  bad<FunctionCase>('alarmPeriod', 'alarmPeriod', fc.oneof(rejectedPeriod, fc.constantFrom(Duration.seconds(10), Duration.seconds(20), Duration.seconds(30))),
    (v) => ({ alarmPeriod: v, evaluationPeriods: 1, datapointsToAlarm: 1 })),
  bad<FunctionCase>('evaluationPeriods', 'evaluationPeriods', fc.oneof(fc.constantFrom(0, 1.5, -1), fc.integer({ min: 1441, max: 100_000 })),
    (v) => ({ alarmPeriod: Duration.minutes(1), evaluationPeriods: v, datapointsToAlarm: 1 })),
  bad<FunctionCase>('datapointsToAlarm', 'datapointsToAlarm', fc.integer({ min: 4, max: 50 }),
    (v) => ({ alarmPeriod: Duration.minutes(1), evaluationPeriods: 3, datapointsToAlarm: v })),
  bad<FunctionCase>('serviceName', 'serviceName', badName, (v) => ({ serviceName: v })),
  bad<FunctionCase>('team', 'team', badName, (v) => ({ team: v })),
  bad<FunctionCase>('aliasName', 'aliasName', fc.constantFrom('42', 'a b', '', 'x'.repeat(129)), (v) => ({ aliasName: v })),
  bad<FunctionCase>('slo.target', 'target', fc.oneof(fc.constantFrom(50, 100, NaN, -1), fc.double({ min: 100, max: 1000, noNaN: true })),
    (v) => ({ sloTarget: v })),
]);

/** A case's function and props (latency `timeout` means: exactly the function's timeout, which can never be reached). */
export function functionProps(c: FunctionCase, fn: lambda.Function) {
  const { timeoutSeconds: _t, sloTarget, latencyThreshold, ...rest } = c;
  return {
    ...rest,
    lambdaFunction: fn,
    latencyThreshold: (latencyThreshold as unknown) === 'timeout' ? Duration.seconds(c.timeoutSeconds) : latencyThreshold,
    slo: sloTarget === undefined ? undefined : { target: sloTarget },
  };
}

// ---- RolloutStrategy ----

export function validRollout(): fc.Arbitrary<RolloutStrategy> {
  return fc.oneof(
    validTrafficShift.map((o) => RolloutStrategy.canary(o)),
    validTrafficShift.map((o) => RolloutStrategy.linear(o)),
    fc.constant(RolloutStrategy.allAtOnce()),
  );
}

export const validTrafficShift: fc.Arbitrary<TrafficShiftOptions> = fc.record({
  percentage: fc.integer({ min: 1, max: 99 }),
  interval: fc.integer({ min: 1, max: 2880 }).map((m) => Duration.minutes(m)),
});

export const invalidTrafficShift: fc.Arbitrary<InvalidCase<TrafficShiftOptions>> = mutate(validTrafficShift, [
  bad<TrafficShiftOptions>('percentage', 'percentage', fc.oneof(fc.constantFrom(0, 100, 1.5, NaN, -10), fc.integer({ min: 100, max: 10_000 })),
    (v) => ({ percentage: v })),
  bad<TrafficShiftOptions>('interval', 'interval', fc.oneof(
    fc.constantFrom(Duration.seconds(0), Duration.millis(1500), Duration.seconds(90), Duration.days(3), Duration.millis(NaN)),
    fc.integer({ min: 2881, max: 100_000 }).map((m) => Duration.minutes(m)),
  ), (v) => ({ interval: v })),
]);

// ---- AlarmPolicy ----

const action = fc.oneof(
  fc.constantFrom(OpsItemSeverity.CRITICAL, OpsItemSeverity.HIGH, OpsItemSeverity.MEDIUM, OpsItemSeverity.LOW).map((s) => AlarmAction.opsItem(s)),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).map((n) => AlarmAction.incident(n)),
  fc.constant(AlarmAction.stackTopic()),
);
const actions = (min: number, max: number) => fc.array(action, { minLength: min, maxLength: max });

/** Any period CloudWatch accepts, sub-minute ones included (a policy may serve high-resolution metrics). */
const anyPeriod = fc.oneof(fc.constantFrom(Duration.seconds(10), Duration.seconds(20), Duration.seconds(30)), minutePeriod);

export const validAlarmPolicy: fc.Arbitrary<AlarmPolicyProps> = fc.record({
  critical: fc.option(actions(0, 5), { nil: undefined }),
  warning: fc.option(actions(0, 5), { nil: undefined }),
  info: fc.option(actions(0, 5), { nil: undefined }),
  evaluation: evaluation(anyPeriod),
}).map(({ evaluation: e, ...rest }) => ({ ...rest, ...flatEvaluation(e) }));

export const invalidAlarmPolicy: fc.Arbitrary<InvalidCase<AlarmPolicyProps>> = mutate(validAlarmPolicy, [
  ...(['critical', 'warning', 'info'] as const).map((severity) => bad<AlarmPolicyProps>(severity, severity, actions(6, 9), (v) => ({ [severity]: v }))),
  bad<AlarmPolicyProps>('period', 'period', rejectedPeriod, (v) => ({ period: v, evaluationPeriods: 1, datapointsToAlarm: 1 })),
  bad<AlarmPolicyProps>('evaluationPeriods', 'evaluationPeriods', fc.tuple(minutePeriod, fc.integer({ min: 1, max: 1000 })),
    ([period, extra]) => ({ period, evaluationPeriods: maxEvaluationPeriods(period) + extra, datapointsToAlarm: 1 })),
  bad<AlarmPolicyProps>('datapointsToAlarm', 'datapointsToAlarm', fc.integer({ min: 1, max: 20 }),
    (extra) => ({ period: Duration.minutes(1), evaluationPeriods: 3, datapointsToAlarm: 3 + extra })),
]);

// ---- Kpi ----

/** Kpi props with the band described as data (a KpiBand is made per case). */
export interface KpiCase {
  readonly serviceName: string;
  readonly kpiName: string;
  readonly band: { kind: 'below' | 'above' | 'anomaly'; threshold?: number; direction?: KpiDirection; stdDevs?: number };
  readonly period: Duration;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly team?: string;
}

const kpiBand = fc.oneof(
  fc.double({ min: 0.001, max: 1e6, noNaN: true }).map((threshold) => ({ kind: 'below' as const, threshold })),
  fc.double({ min: 0, max: 1e6, noNaN: true }).map((threshold) => ({ kind: 'above' as const, threshold })),
  fc.record({
    kind: fc.constant('anomaly' as const),
    direction: fc.constantFrom(KpiDirection.LOW, KpiDirection.HIGH, KpiDirection.BOTH),
    stdDevs: fc.double({ min: 0.1, max: 10, noNaN: true }).map((x) => Math.round(x * 10) / 10),
  }),
);

export const validKpi: fc.Arbitrary<KpiCase> = fc.record({
  serviceName,
  kpiName: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/),
  band: kpiBand,
  evaluation: evaluation(fc.oneof(
    fc.constantFrom(1, 5, 10, 15, 30, 60).map((m) => Duration.minutes(m)),
    fc.constantFrom(Duration.hours(6), Duration.days(1)),
  )),
  team: fc.option(serviceName, { nil: undefined }),
}).map(({ evaluation: e, ...rest }) => ({ ...rest, ...flatEvaluation(e) }));

export const invalidKpi: fc.Arbitrary<InvalidCase<KpiCase>> = mutate(validKpi, [
  bad<KpiCase>('kpiName', 'kpiName', fc.constantFrom('Orders', 'orders per minute', '-x', '', 'x'.repeat(64)), (v) => ({ kpiName: v })),
  bad<KpiCase>('serviceName', 'serviceName', badName, (v) => ({ serviceName: v })),
  bad<KpiCase>('team', 'team', badName, (v) => ({ team: v })),
  bad<KpiCase>('evaluationPeriods', 'evaluationPeriods', fc.tuple(fc.constantFrom(1, 5, 60), fc.integer({ min: 1, max: 500 })),
    ([minutes, extra]) => ({
      period: Duration.minutes(minutes), evaluationPeriods: maxEvaluationPeriods(Duration.minutes(minutes)) + extra, datapointsToAlarm: 1,
    })),
  bad<KpiCase>('datapointsToAlarm', 'datapointsToAlarm', fc.integer({ min: 6, max: 40 }), (v) => ({ evaluationPeriods: 5, datapointsToAlarm: v })),
  bad<KpiCase>('band below', 'threshold', fc.oneof(fc.constantFrom(0, -1, NaN), fc.double({ min: -1e6, max: -0.001, noNaN: true })),
    (threshold) => ({ band: { kind: 'below', threshold } })),
  bad<KpiCase>('band above', 'threshold', fc.oneof(fc.constantFrom(-1, NaN), fc.double({ min: -1e6, max: -0.001, noNaN: true })),
    (threshold) => ({ band: { kind: 'above', threshold } })),
  bad<KpiCase>('band stdDevs', 'stdDevs', fc.constantFrom(0, -1, 10.5, NaN), (stdDevs) => ({ band: { kind: 'anomaly', direction: KpiDirection.BOTH, stdDevs } })),
]);

/** The KpiBand a case describes (throws our error for an invalid one). */
export function kpiBandOf(band: KpiCase['band']): KpiBand {
  if (band.kind === 'below') return KpiBand.below(band.threshold!);
  if (band.kind === 'above') return KpiBand.above(band.threshold!);
  return KpiBand.anomaly(band.direction!, band.stdDevs);
}

export function kpiMetric(period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: 'Shop', metricName: 'OrdersPlaced', statistic: 'Sum', period });
}

// ---- ServiceLevelObjective ----

export interface SloCase {
  readonly serviceName: string;
  readonly target: number;
  readonly windowDays?: number;
  readonly name?: string;
  readonly alerts?: Array<{ severity: BurnRateSeverity; burnRate: number; longMinutes: number; shortMinutes: number }>;
  readonly pageActionCount?: number;
}

const target = fc.double({ min: 50.01, max: 99.99, noNaN: true }).map((x) => Math.round(x * 100) / 100);

export const validSlo: fc.Arbitrary<SloCase> = fc.record({
  serviceName,
  target,
  windowDays: fc.option(fc.integer({ min: 7, max: 90 }), { nil: undefined }),
  name: fc.option(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/), { nil: undefined }),
  pageActionCount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
});

export const invalidSlo: fc.Arbitrary<InvalidCase<SloCase>> = mutate(validSlo, [
  bad<SloCase>('target', 'target', fc.oneof(fc.constantFrom(50, 100, NaN, 0, -1), fc.double({ min: 100, max: 1e4, noNaN: true }),
    fc.double({ min: -1e4, max: 50, noNaN: true })), (v) => ({ target: v })),
  bad<SloCase>('windowDays', 'window', fc.oneof(fc.constantFrom(0, 6, 91, 7.5, 365), fc.integer({ min: 91, max: 1000 })), (v) => ({ windowDays: v })),
  bad<SloCase>('name', 'name', fc.constantFrom('p99/latency', '', '-x', 'a b', 'x'.repeat(65)), (v) => ({ name: v })),
  bad<SloCase>('serviceName', 'serviceName', badName, (v) => ({ serviceName: v })),
  bad<SloCase>('pageActions', 'pageActions', fc.integer({ min: 6, max: 9 }), (v) => ({ pageActionCount: v })),
  bad<SloCase>('burnRateAlerts: no page', 'burnRateAlerts', fc.constant(0),
    () => ({ alerts: [{ severity: BurnRateSeverity.TICKET, burnRate: 1, longMinutes: 1440, shortMinutes: 120 }] })),
  bad<SloCase>('burnRate', 'burnRateAlerts[0].burnRate', fc.constantFrom(0, -2, NaN),
    (burnRate) => ({ alerts: [{ severity: BurnRateSeverity.PAGE, burnRate, longMinutes: 60, shortMinutes: 5 }] })),
  bad<SloCase>('shortWindow', 'burnRateAlerts[0].shortWindow', fc.integer({ min: 60, max: 600 }),
    (shortMinutes) => ({ alerts: [{ severity: BurnRateSeverity.PAGE, burnRate: 1.5, longMinutes: 60, shortMinutes }] })),
]);

// ---- Runbook ----

export interface StepCase {
  readonly kind: 'sleep' | 'pause' | 'getAlias' | 'opsItem';
  readonly name: string;
  readonly seconds?: number;
  readonly timeoutSeconds?: number;
  readonly maxAttempts?: number;
  /** Index of the parameter the step references. */
  readonly ref: number;
}

export interface RunbookCase {
  readonly parameters: string[];
  readonly steps: StepCase[];
  readonly documentName?: string;
  /** Mistakes the invalid generator plants. */
  readonly refName?: string;
  readonly api?: string;
  readonly service?: string;
  readonly bindSlot?: boolean;
}

const stepCase = fc.record({
  kind: fc.constantFrom('sleep' as const, 'pause' as const, 'getAlias' as const, 'opsItem' as const),
  seconds: fc.integer({ min: 1, max: 604_800 }),
  timeoutSeconds: fc.option(fc.integer({ min: 1, max: 604_800 }), { nil: undefined }),
  maxAttempts: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  ref: fc.nat(),
});

export const validRunbook: fc.Arbitrary<RunbookCase> = fc.record({
  parameters: fc.uniqueArray(fc.stringMatching(/^[A-Z][A-Za-z0-9_]{0,15}$/).filter((n) => n !== 'AutomationAssumeRole'), { minLength: 1, maxLength: 4 }),
  steps: fc.array(stepCase, { minLength: 1, maxLength: 5 }).map((steps) => steps.map((s, i) => ({ ...s, name: `Step${i}_${s.kind}` }))),
  documentName: fc.option(fc.stringMatching(/^[A-Z][A-Za-z0-9_.-]{2,30}$/), { nil: undefined }),
});

const withApiStep = (r: RunbookCase): RunbookCase => ({ ...r, steps: [{ kind: 'getAlias', name: 'Lookup', ref: 0 }, ...r.steps] });

export const invalidRunbook: fc.Arbitrary<InvalidCase<RunbookCase>> = mutate(validRunbook, [
  bad<RunbookCase>('reference', 'steps', fc.constantFrom('no-such-param', 'Missing', 'Step9.Out', 'a b'), (refName) => ({ refName })),
  bad<RunbookCase>('parameters', 'parameters', fc.constantFrom('bad-name', 'a b', '', 'x'.repeat(51)), (v) => ({ parameters: [v] })),
  bad<RunbookCase>('documentName', 'documentName', fc.constantFrom('AWS-Mine', 'amazon-x', 'ab', 'a b c'), (v) => ({ documentName: v })),
  bad<RunbookCase>('step name', 'name', fc.constantFrom('bad name', 'a-b', ''), (name) => ({ steps: [{ kind: 'pause', name, ref: 0 }] })),
  bad<RunbookCase>('duplicate step', 'steps', fc.constant(0), () => ({ steps: [{ kind: 'pause', name: 'Twice', ref: 0 }, { kind: 'pause', name: 'Twice', ref: 0 }] })),
  bad<RunbookCase>('sleep', 'duration', fc.oneof(fc.constantFrom(0, 1.5, 604_801, NaN), fc.double({ min: 0.001, max: 0.999, noNaN: true })),
    (seconds) => ({ steps: [{ kind: 'sleep', name: 'Wait', seconds, ref: 0 }] })),
  bad<RunbookCase>('timeout', 'timeout', fc.constantFrom(0, 1.5, 0.2, 604_801),
    (timeoutSeconds) => ({ steps: [{ kind: 'pause', name: 'Hold', timeoutSeconds, ref: 0 }] })),
  bad<RunbookCase>('maxAttempts', 'maxAttempts', fc.constantFrom(0, 11, 1.5), (maxAttempts) => ({ steps: [{ kind: 'pause', name: 'Hold', maxAttempts, ref: 0 }] })),
  bad<RunbookCase>('api', 'api', fc.constantFrom('getAlias', 'get_alias', 'Get Alias', 'lambda:GetAlias', ''), (api) => ({ api })),
  bad<RunbookCase>('service', 'service', fc.constantFrom('Lambda', 'aws lambda', '', 'lambda:'), (service) => ({ service })),
  bad<RunbookCase>('unbound slot', 'steps', fc.constant(0), () => ({ bindSlot: false })),
]).map((c) => (c.props.api !== undefined || c.props.service !== undefined || c.props.bindSlot === false || c.props.refName !== undefined
  ? { ...c, props: withApiStep(c.props) } : c));

// ---- findings on cdk-opex's resources ----

const LAMBDA_BASIC_ROLE = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** Acknowledges the finding on the app team's own function role, which is not cdk-opex's. */
/**
 * The metric alarms a service's props describe: every alarm of the template except the
 * hub's own (the response dead-letter queue's, tagged `service=cdk-opex`).
 */
export function serviceAlarms(t: Template): any[] {
  return Object.values(t.findResources('AWS::CloudWatch::Alarm')).filter((a: any) =>
    !(a.Properties.Tags ?? []).some((tag: any) => tag.Key === 'service' && tag.Value === 'cdk-opex'));
}

export function acknowledgeAppFunction(fn: lambda.Function): void {
  Validations.of(fn.role!).acknowledge({ id: LAMBDA_BASIC_ROLE, reason: 'The app team\'s function under test, not a cdk-opex resource.' });
}

/**
 * Unacknowledged compliance findings on a synthesized stack, as `rule path`. The one
 * function to widen when more packs (NIST, HIPAA, PCI, Serverless, Control Tower) must pass.
 */
export function findingsOnOurResources(stack: Stack): string[] {
  // Control Tower's rules and all five cdk-nag packs plus OPEX, on the resources cdk-opex creates.
  return findingLines(complianceFindings(stack));
}
