import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct, IConstruct } from 'constructs';
import { ServiceDependency } from './dependencies';
import { IServiceKind, ServiceSignals } from './service-kind';
import { operationsStack } from '../core/operations-stack';
import { invalidProp, literalMillis, positiveNumber } from '../core/validate';
import { AlarmEvaluation, createCompositeAlarm, createSignalAlarm, detectionSeconds } from '../observability/alarm-factory';
import { AlarmSeverity } from '../observability/alarm-policy';
import { ServiceLevelObjective, SloIndicator } from '../observability/slo';

/** The widgets, alarms and tag target of one dependency of a service, as the composition uses them. */
export interface WiredDependency {
  readonly kindName: string;
  readonly name: string;
  readonly resource: IConstruct;
  readonly alarms: cloudwatch.Alarm[];
  readonly alarmsBySignal: { [signal: string]: cloudwatch.IAlarm };
  /** Whether this service tags the resource (the first service of the app to declare it does). */
  readonly tagged: boolean;
  readonly widgets: (detectionSeconds: number) => cloudwatch.IWidget[];
}

/** Resources a service already tags as its dependency, with that service's path. */
const taggedBy = new WeakMap<IConstruct, string>();

/** Alarms on each dependency, made in `service/DependsOn<name>`; they feed the service's health alarm. */
export function bindDependencies(service: Construct, serviceName: string, dependencies: ServiceDependency[],
  evaluation: AlarmEvaluation): WiredDependency[] {
  const names = new Map<string, number>();
  return dependencies.map((dependency, i) => {
    const bound = dependency._bind(service, { period: evaluation.period, prop: `dependencies[${i}]` });
    if (names.has(bound.name)) {
      invalidProp(service, `dependencies[${i}].name`, `'${bound.name}' already names dependencies[${names.get(bound.name)}]; give each a distinct name`);
    }
    names.set(bound.name, i);
    const scope = new Construct(service, `DependsOn${bound.name}`);
    const owner = { serviceName, response: `Feeds the ${serviceName} health alarm, which pages.` };
    const alarms = bound.specs.map((spec) => createSignalAlarm(scope, owner, spec, evaluation));
    const tagged = !taggedBy.has(bound.resource);
    if (tagged) taggedBy.set(bound.resource, service.node.path);
    return {
      kindName: bound.kindName,
      name: bound.name,
      resource: bound.resource,
      alarms,
      alarmsBySignal: Object.fromEntries(alarms.map((a, j) => [bound.specs[j].signal, a])),
      tagged,
      widgets: (seconds: number) => bound.widgets(serviceName, seconds, alarms),
    };
  });
}

/** A latency objective on the kind's own latency metric (its percentile rank under the threshold). */
export function latencyObjective(service: Construct, serviceName: string, kind: IServiceKind, signals: ServiceSignals,
  options: { target: number; threshold: Duration; window?: Duration }): ServiceLevelObjective {
  const unit = kind.latencyUnit;
  if (!unit || !(signals.latency instanceof cloudwatch.Metric)) {
    invalidProp(service, 'latencySlo', `a ${kind.kindName} service has no latency objective yet: its latency is no raw metric cdk-opex can rank`);
  }
  const ms = positiveNumber(service, 'latencySlo.threshold', literalMillis(service, 'latencySlo.threshold', options.threshold), 'ms');
  return new ServiceLevelObjective(service, 'LatencySlo', {
    serviceName,
    indicator: SloIndicator.latencyPercentile({ metric: signals.latency, threshold: ms / unit.toMilliseconds() }),
    target: options.target,
    window: options.window,
    pageActions: [], // the health alarm pages for it
  });
}

/**
 * While a backend is unhealthy, the service's health alarm stays in ALARM (its rule reads
 * the backends' health alarms) but its actions are suppressed: the backend's own health
 * alarm pages for the failure, once. One backend suppresses directly; several, through a
 * composite over their health alarms (one nesting level more; CloudWatch allows composites
 * of composites and takes one suppressor per alarm).
 */
export function suppressWhileBackendsFail(service: Construct, serviceName: string, healthAlarm: cloudwatch.CompositeAlarm,
  backends: cloudwatch.IAlarm[], evaluation: AlarmEvaluation): cloudwatch.IAlarm | undefined {
  if (backends.length === 0) return undefined;
  for (const [i, backend] of backends.entries()) {
    if (operationsStack(backend) !== operationsStack(service)) invalidProp(service, 'backends', `backends[${i}] (${backend.node.path}) is in another stack; a backend must be in the service's stack`);
  }
  const suppressor = backends.length === 1 ? backends[0] : createCompositeAlarm(service, {
    id: 'BackendsAlarm',
    serviceName,
    signal: 'backends',
    severity: AlarmSeverity.INFO,
    description: `A backend of ${serviceName} is unhealthy: one of ${backends.map((b) => b.alarmName).join(', ')} is in ALARM. `
      + `Suppresses the ${serviceName} health alarm's actions while it is, so the backend's own page is the only one.`,
  }, cloudwatch.AlarmRule.anyOf(...backends));
  const cfn = healthAlarm.node.defaultChild as cloudwatch.CfnCompositeAlarm;
  cfn.actionsSuppressor = suppressor.alarmArn;
  // Wait for a backend to catch up before paging (its alarm may fire up to one detection later than ours);
  // stay quiet one detection after it recovers, while our own signals clear.
  cfn.actionsSuppressorWaitPeriod = detectionSeconds(evaluation);
  cfn.actionsSuppressorExtensionPeriod = detectionSeconds(evaluation);
  return suppressor;
}
