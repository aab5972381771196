import { CfnResourceJson, cfnText, isObject, literalString, referencedIds, Resources, tagsOf } from './template';
import { Limits } from '../core/limits';
import { NON_PAGING_TAG } from '../core/ownership';

/** What an alarm action does to people: page them, open a ticket, tell them, or run automation. */
export type ActionEffect = 'page' | 'ticket' | 'notify' | 'automation' | 'other';

/** What an alarm does when it enters ALARM. */
export interface AlarmActionFact {
  /** In words, e.g. `SNS topic AlarmTopic`. */
  readonly text: string;
  readonly effect: ActionEffect;
  /** Logical id of the SNS topic notified, when it is in this template. */
  readonly topic?: string;
}

/** A composite alarm's rule, parsed. */
export type RuleNode =
  | { readonly op: 'state'; readonly state: string; readonly alarm?: string }
  | { readonly op: 'and' | 'or'; readonly args: RuleNode[] }
  | { readonly op: 'not'; readonly arg: RuleNode }
  | { readonly op: 'const'; readonly value: boolean };

/** One alarm of a template, read once. */
export interface AlarmFact {
  readonly id: string;
  readonly resource: CfnResourceJson;
  readonly alarmName?: string;
  readonly alarmType: 'metric' | 'math' | 'anomaly' | 'composite';
  /** Alarms a composite's rule reads, by logical id. */
  readonly children: string[];
  readonly rule?: RuleNode;
  /** One map per metric the alarm reads: dimension name → value (as in the template). */
  readonly dimensions: Array<Record<string, unknown>>;
  /** Actions when it enters ALARM; empty when actions are disabled. */
  readonly actions: AlarmActionFact[];
  /** Whether one of its actions pages a person (a topic not tagged as non-paging, Incident Manager). */
  readonly pages: boolean;
  /** Metrics it is charged for (0 for a composite; an anomaly band counts its bounds). */
  readonly chargedMetrics: number;
  /** A period under 60 s. */
  readonly highResolution: boolean;
  /** Seconds from a total outage to ALARM, for metric alarms: period × datapoints + publish delay. */
  readonly ownDetection?: number;
  /** `service` and `severity` tags. */
  readonly tags: Record<string, string>;
}

const METRIC_ALARM = 'AWS::CloudWatch::Alarm';
/** The tag cdk-opex puts on every alarm it makes, and the severities that page no one (AlarmSeverity.WARNING, INFO). */
const SEVERITY_TAG = 'severity';
const NOT_PAGING_SEVERITIES = ['warning', 'info'];
const COMPOSITE_ALARM = 'AWS::CloudWatch::CompositeAlarm';

/** Every alarm of a template, by logical id. */
export function indexAlarms(resources: Resources): Map<string, AlarmFact> {
  const byName = new Map<string, string>();
  for (const [id, r] of Object.entries(resources)) {
    const name = r.Type === METRIC_ALARM || r.Type === COMPOSITE_ALARM ? literalString(r.Properties?.AlarmName) : undefined;
    if (name) byName.set(name, id);
  }
  const index = new Map<string, AlarmFact>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === METRIC_ALARM) index.set(id, metricAlarm(resources, id, r));
    if (r.Type === COMPOSITE_ALARM) index.set(id, compositeAlarm(resources, id, r, byName));
  }
  return index;
}

function metricAlarm(resources: Resources, id: string, r: CfnResourceJson): AlarmFact {
  const p = r.Properties ?? {};
  const metrics: any[] = Array.isArray(p.Metrics) ? p.Metrics : [];
  const toMap = (dimensions: unknown): Record<string, unknown> =>
    Object.fromEntries((Array.isArray(dimensions) ? dimensions : []).filter(isObject).map((d) => [String(d.Name), d.Value]));
  const dimensions = [
    ...(p.Dimensions ? [toMap(p.Dimensions)] : p.MetricName ? [{}] : []),
    ...metrics.filter((m) => m?.MetricStat?.Metric).map((m) => toMap(m.MetricStat.Metric.Dimensions)),
  ];
  const periods: number[] = p.Period !== undefined
    ? [Number(p.Period)]
    : metrics.map((m) => m?.MetricStat?.Period ?? m?.Period).filter((x: unknown): x is number => typeof x === 'number');
  const period = periods.length ? Math.max(...periods) : 60;
  const expressions = metrics.map((m) => m?.Expression).filter((e: unknown): e is string => typeof e === 'string');
  const anomaly = expressions.some((e) => /ANOMALY_DETECTION_BAND/i.test(e)) || p.ThresholdMetricId !== undefined;
  const stats = metrics.filter((m) => m?.MetricStat).length;
  // A metrics-insights query (SELECT ...) is charged per metric it matches, unknown at synth: count one.
  const queries = expressions.filter((e) => /^\s*SELECT\b/i.test(e)).length;
  const metricCount = metrics.length === 0 ? 1 : Math.max(1, stats + queries);
  const alarmType = anomaly ? 'anomaly' : metrics.length > 1 || expressions.length > 0 ? 'math' : 'metric';
  const datapoints = Number(p.DatapointsToAlarm ?? p.EvaluationPeriods ?? 1);
  const actions = alarmActions(resources, p, tagsOf(r));
  return {
    id,
    resource: r,
    alarmName: literalString(p.AlarmName),
    alarmType,
    children: [],
    dimensions,
    actions,
    pages: actions.some((a) => a.effect === 'page'),
    chargedMetrics: anomaly ? 3 * Math.max(1, stats) : metricCount,
    highResolution: periods.some((x) => x < 60),
    ownDetection: period * datapoints + Limits.METRIC_PUBLISH_DELAY_SECONDS,
    tags: tagsOf(r),
  };
}

function compositeAlarm(resources: Resources, id: string, r: CfnResourceJson, byName: Map<string, string>): AlarmFact {
  const p = r.Properties ?? {};
  const rule = parseRule(ruleText(p.AlarmRule), (arg) => resolveAlarm(arg, resources, byName));
  const children = new Set<string>();
  collectChildren(rule, children);
  const actions = alarmActions(resources, p, tagsOf(r));
  return {
    id,
    resource: r,
    alarmName: literalString(p.AlarmName),
    alarmType: 'composite',
    children: [...children],
    rule,
    dimensions: [],
    actions,
    pages: actions.some((a) => a.effect === 'page'),
    chargedMetrics: 0,
    highResolution: false,
    tags: tagsOf(r),
  };
}

/** Actions of an alarm when it enters ALARM; none when actions are disabled. */
function alarmActions(resources: Resources, props: any, tags: Record<string, string>): AlarmActionFact[] {
  if (props.ActionsEnabled === false) return [];
  // A warning (a ticket) or an info alarm (a signal) that notifies a topic tells people; it pages no one.
  const lowSeverity = NOT_PAGING_SEVERITIES.includes(tags[SEVERITY_TAG]);
  const list: unknown[] = Array.isArray(props.AlarmActions) ? props.AlarmActions : [];
  return list.map((action: any): AlarmActionFact => {
    const ref = [...referencedIds(action)][0];
    const target = ref ? resources[ref] : undefined;
    const text = cfnText(action);
    if (target?.Type === 'AWS::SNS::Topic') {
      // A topic tagged as not paging (the hub's signal topic) tells people without paging them.
      const quiet = tagsOf(target)[NON_PAGING_TAG.key] === NON_PAGING_TAG.value || lowSeverity;
      return { text: `SNS topic ${ref}${quiet ? ' (no paging)' : ''}`, effect: quiet ? 'notify' : 'page', topic: ref };
    }
    const opsItem = /:opsitem:(\d+)/.exec(text);
    if (opsItem) return { text: `OpsItem severity ${opsItem[1]}`, effect: 'ticket' };
    if (/ssm-incidents/.test(text)) return { text: `Incident Manager ${text.split('/').pop()}`, effect: 'page' };
    if (/:sns:/.test(text)) return { text: `SNS topic ${text.split(':').pop()}${lowSeverity ? ' (no paging)' : ''}`, effect: lowSeverity ? 'notify' : 'page' };
    if (/:lambda:/.test(text) || target?.Type === 'AWS::Lambda::Function') return { text: `Lambda ${text}`, effect: 'automation' };
    if (/:autoscaling:|:automate:|:ec2:/.test(text)) return { text, effect: 'automation' };
    return { text, effect: 'other' };
  });
}

const PLACEHOLDER = '\u0000';

/** The rule as text, every reference written as `\0<LogicalId>\0`. */
function ruleText(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = (value ?? {}) as Record<string, any>;
  if (typeof node.Ref === 'string') return `${PLACEHOLDER}${node.Ref}${PLACEHOLDER}`;
  if (node['Fn::GetAtt']) {
    const att = node['Fn::GetAtt'];
    return `${PLACEHOLDER}${Array.isArray(att) ? att[0] : String(att).split('.')[0]}${PLACEHOLDER}`;
  }
  if (Array.isArray(node['Fn::Join'])) return (node['Fn::Join'][1] as unknown[]).map(ruleText).join(node['Fn::Join'][0]);
  return cfnText(value);
}

function resolveAlarm(arg: string, resources: Resources, byName: Map<string, string>): string | undefined {
  const ref = new RegExp(`^${PLACEHOLDER}([^${PLACEHOLDER}]+)${PLACEHOLDER}$`).exec(arg);
  if (ref) return resources[ref[1]] ? ref[1] : undefined;
  const name = /:alarm:(.+)$/.exec(arg)?.[1] ?? arg;
  return byName.get(name);
}

/** Parses a composite alarm rule; NOT binds tighter than AND, AND tighter than OR. */
export function parseRule(text: string, resolve: (arg: string) => string | undefined): RuleNode {
  const tokens: string[] = [];
  const re = /\s*(ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*("([^"]*)"|[^)\s]*)\s*\)|\s*(AND|OR|NOT|TRUE|FALSE|\(|\))\s*/gy;
  const args: string[] = [];
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) {
    if (m[1]) {
      tokens.push(`${m[1]}#${args.length}`);
      args.push(m[3] ?? m[2]);
    } else {
      tokens.push(m[4]);
    }
  }
  let pos = 0;
  const parseOr = (): RuleNode => {
    const parts = [parseAnd()];
    while (tokens[pos] === 'OR') { pos++; parts.push(parseAnd()); }
    return parts.length === 1 ? parts[0] : { op: 'or', args: parts };
  };
  const parseAnd = (): RuleNode => {
    const parts = [parseNot()];
    while (tokens[pos] === 'AND') { pos++; parts.push(parseNot()); }
    return parts.length === 1 ? parts[0] : { op: 'and', args: parts };
  };
  const parseNot = (): RuleNode => {
    const token = tokens[pos++];
    if (token === 'NOT') return { op: 'not', arg: parseNot() };
    if (token === '(') {
      const inner = parseOr();
      if (tokens[pos] === ')') pos++;
      return inner;
    }
    if (token === 'TRUE' || token === 'FALSE') return { op: 'const', value: token === 'TRUE' };
    if (token && token.includes('#')) {
      const [state, index] = token.split('#');
      return { op: 'state', state, alarm: resolve(args[Number(index)]) };
    }
    return { op: 'const', value: false };
  };
  return tokens.length ? parseOr() : { op: 'const', value: false };
}

function collectChildren(node: RuleNode, into: Set<string>): void {
  if (node.op === 'state' && node.alarm) into.add(node.alarm);
  if (node.op === 'and' || node.op === 'or') node.args.forEach((a) => collectChildren(a, into));
  if (node.op === 'not') collectChildren(node.arg, into);
}

/**
 * Seconds until `alarmId` enters ALARM when the service whose metric alarms are `owned` is
 * totally down and nothing else is: a metric alarm of the service after its own evaluation;
 * a composite when its rule holds (OR: the first child, AND: the last); undefined when it would not fire.
 */
export function outageDetection(
  alarms: Map<string, AlarmFact>, alarmId: string, owned: Set<string>, seen: Set<string> = new Set(),
): number | undefined {
  const alarm = alarms.get(alarmId);
  if (!alarm || seen.has(alarmId)) return undefined;
  if (alarm.alarmType !== 'composite') return owned.has(alarmId) ? alarm.ownDetection : undefined;
  const next = new Set(seen).add(alarmId);
  const evaluate = (node: RuleNode): number | undefined => {
    switch (node.op) {
      case 'state': return node.state === 'ALARM' && node.alarm ? outageDetection(alarms, node.alarm, owned, next) : undefined;
      case 'or': return minDefined(node.args.map(evaluate));
      case 'and': {
        const times = node.args.map(evaluate);
        return times.every((t) => t !== undefined) ? Math.max(...(times as number[])) : undefined;
      }
      case 'const': return node.value ? 0 : undefined;
      default: return undefined; // NOT, OK, INSUFFICIENT_DATA: not fired by an outage
    }
  };
  return alarm.rule ? evaluate(alarm.rule) : undefined;
}

export function minDefined(values: Array<number | undefined>): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
}
