import { CatalogRollout } from './catalog';
import { estimate } from './cost';
import {
  ReadinessAlarm, ReadinessDeployment, ReadinessObjective, ReadinessRunbook, ReadinessService,
} from './model';
import { ServiceDraft } from './services';
import { wellArchitectedRows } from './well-architected';
import { OWNERSHIP_TAGS } from '../core/ownership';
import { minDefined, outageDetection } from '../model/alarms';
import { DeploymentFact } from '../model/deployments';
import { alarmStates, RunbookStartFact } from '../model/responses';
import { StackModel } from '../model/stack-model';
import { constructPath, literalString, tagsOf } from '../model/template';

/** Console deep links, in the stack's region when the assembly says which. */
export class ConsoleLinks {
  constructor(private readonly region?: string) {}

  public alarm(name: string | undefined): string | undefined {
    return name === undefined ? undefined : `${this.base('cloudwatch/home')}#alarmsV2:alarm/${encodeURIComponent(name)}`;
  }

  public document(name: string | undefined): string | undefined {
    return name === undefined ? undefined : this.base(`systems-manager/documents/${encodeURIComponent(name)}/description`);
  }

  private base(path: string): string {
    return this.region
      ? `https://${this.region}.console.aws.amazon.com/${path}?region=${this.region}`
      : `https://console.aws.amazon.com/${path}`;
  }
}

/** Kinds with no code deployment of their own. */
const NOT_DEPLOYED = ['sqs', 'dynamodb'];

/**
 * One service's entry in the report, read from the stack model: its alarms, detection,
 * deployment, runbooks, game days, objectives, the cost of the alarms it alone owns
 * (`costAlarms`), and the Well-Architected rows.
 */
export function serviceEntry(model: StackModel, draft: ServiceDraft, costAlarms: string[], links: ConsoleLinks): ReadinessService {
  const r = draft.primary ? model.resource(draft.primary) : undefined;
  const tags = tagsOf(r);
  const entry = draft.entry;
  const owned = [...draft.alarms].map((id) => model.alarms.get(id)!).filter(Boolean);
  const metricAlarms = new Set(owned.filter((a) => a.alarmType !== 'composite').map((a) => a.id));
  const items: ReadinessAlarm[] = owned.map((a) => ({
    logicalId: a.id,
    alarmName: a.alarmName,
    alarmType: a.alarmType,
    pages: a.pages,
    actions: a.actions.map((x) => x.text),
    metrics: a.chargedMetrics,
    highResolution: a.highResolution,
    detectionSeconds: a.alarmType === 'composite' ? outageDetection(model.alarms, a.id, metricAlarms) : a.ownDetection,
    monthlyUsd: estimate({ alarms: [a], dashboards: [], kmsKeys: [] }).monthlyUsd,
    consoleUrl: links.alarm(a.alarmName),
  }));

  const found = model.detection(metricAlarms);
  const healthName = entry?.healthAlarm ? model.alarmLabel(entry.healthAlarm) : undefined;
  const detection = entry?.detectionSeconds !== undefined
    ? { seconds: entry.detectionSeconds, alarm: entry.healthAlarm, basis: `cdk-opex catalog: the health alarm ${healthName} fires within ${entry.detectionSeconds} s` }
    : found.seconds !== undefined
      ? { ...found, basis: `period x datapoints to alarm + 60 s publish delay of ${model.alarmLabel(found.alarm!)}` }
      : { seconds: undefined, alarm: undefined, basis: 'no alarm on its metrics pages anyone (an SNS topic not tagged as non-paging, or Incident Manager)' };

  const runbooks = runbooksOf(model, draft, links);
  const gameDays = gameDaysOf(model, draft, tags[OWNERSHIP_TAGS.service] ?? draft.name);
  const dashboards = model.idsOfType('AWS::CloudWatch::Dashboard').filter((d) =>
    [...model.mentionsOf(d)].some((x) => draft.members.has(x) || draft.alarms.has(x)));
  const deployment = deploymentEntry(model, draft);
  const owner = { service: tags[OWNERSHIP_TAGS.service] ?? entry?.name, team: tags[OWNERSHIP_TAGS.team] ?? entry?.team };
  const id = draft.primary ?? entry?.path ?? draft.name;
  const rows = wellArchitectedRows(model, {
    id, resource: r, kind: draft.kind, owner, alarms: owned, deployment, runbooks, gameDays, dashboards, detectionSeconds: detection.seconds,
  });
  return {
    name: draft.name,
    kind: draft.kind,
    source: draft.source,
    logicalId: id,
    resourceType: r?.Type ?? 'unknown',
    constructPath: constructPath(r),
    members: [...draft.members],
    owner,
    alarms: { count: items.length, paging: items.filter((a) => a.pages).length, items },
    detection,
    deployment,
    runbooks,
    gameDays,
    objectives: draft.objectives.map((o): ReadinessObjective => ({
      target: o.target, windowDays: o.windowDays, alerts: o.alerts, pageAlarm: o.pageAlarm, pageAlarmName: model.alarms.get(o.pageAlarm)?.alarmName,
    })),
    cost: estimate({ alarms: costAlarms.map((a) => model.alarms.get(a)!), dashboards: [], kmsKeys: [] }),
    wellArchitected: rows,
    findings: rows.filter((row) => row.status === 'not met').map((row) => row.id),
  };
}

function deploymentEntry(model: StackModel, draft: ServiceDraft): ReadinessDeployment {
  if (NOT_DEPLOYED.includes(draft.kind)) {
    return { applicable: false, rolloutType: 'none', rollbackOnAlarm: false, circuitBreaker: false, rollbackAlarms: [] };
  }
  const fact: DeploymentFact | undefined = draft.primary ? model.deploymentOf(draft.primary) : undefined;
  const recorded: CatalogRollout | undefined = draft.entry?.rollout;
  const rolloutType = fact && fact.mechanism !== 'none' ? fact.rolloutType : recorded?.type ?? fact?.rolloutType ?? 'all-at-once';
  const percentage = fact?.percentage ?? recorded?.percentage;
  const intervalMinutes = fact?.intervalMinutes ?? recorded?.intervalMinutes;
  // ECS deploys a service itself: the catalog's rollout names the service, which is no deployment group.
  const group = fact?.deploymentGroup ?? (fact?.mechanism === 'ecs' ? undefined : recorded?.deploymentGroup);
  const r = draft.primary ? model.resource(draft.primary) : undefined;
  return {
    applicable: true,
    rolloutType,
    percentage,
    intervalMinutes,
    strategy: describeRollout(rolloutType, percentage, intervalMinutes, fact, r?.Type),
    deploymentGroup: group,
    deploymentGroupName: group ? literalString(model.resource(group)?.Properties?.DeploymentGroupName) : undefined,
    rollbackOnAlarm: fact?.rollbackOnAlarm ?? false,
    circuitBreaker: fact?.circuitBreaker ?? false,
    rollbackAlarms: fact?.rollbackAlarms ?? recorded?.rollbackAlarms ?? [],
    ...rollbackJudgement(model, fact?.rollbackAlarms ?? recorded?.rollbackAlarms ?? [], percentage, draft.entry?.signalAlarms?.errors),
  };
}

/** The dimension Lambda publishes an alias's metrics by the version that served them under. */
const EXECUTED_VERSION = 'ExecutedVersion';

/**
 * What the rollback alarms judge: the version being deployed on its own, or only the
 * alias's mix; how soon they fire, and what failure share of a canary trips `errorsAlarm`.
 */
function rollbackJudgement(model: StackModel, rollbackAlarms: string[], percentage: number | undefined, errorsAlarm: string | undefined) {
  const alarms = rollbackAlarms.map((id) => model.alarms.get(id)).filter((a) => a !== undefined);
  if (alarms.length === 0) return {};
  const judgesVersion = (a: typeof alarms[number]) => a.dimensions.some((d) => EXECUTED_VERSION in d);
  const rollbackJudgesNewVersion = alarms.some(judgesVersion);
  const errors = errorsAlarm === undefined ? undefined : model.alarms.get(errorsAlarm);
  const threshold = errors?.resource.Properties?.Threshold;
  const canaryFailurePercentRolledBack = errors && rollbackAlarms.includes(errors.id) && typeof threshold === 'number'
    ? (judgesVersion(errors) ? threshold : percentage ? Math.round(threshold * 1000 / percentage) / 10 : undefined)
    : undefined;
  return {
    rollbackJudgesNewVersion,
    rollbackWatches: rollbackJudgesNewVersion
      ? 'the version being deployed on its own (ExecutedVersion), and the alias'
      : 'the alias only: old and new versions mixed',
    rollbackSeconds: minDefined(alarms.map((a) => a.ownDetection)),
    canaryFailurePercentRolledBack,
  };
}

/** A rollout in words. */
function describeRollout(
  type: string, percentage: number | undefined, minutes: number | undefined, fact: DeploymentFact | undefined, resourceType?: string,
): string {
  const breaker = fact?.circuitBreaker ? ' with circuit breaker' : '';
  if (fact?.mechanism === 'apigateway') return `stage canary: ${percentage}% of traffic`;
  switch (type) {
    case 'canary': return `canary: ${percentage}% for ${minutes} min, then 100%${breaker}`;
    case 'linear': return `linear: +${percentage}% every ${minutes} min${breaker}`;
    case 'blue-green': return `blue/green${minutes !== undefined ? `, ${minutes} min bake` : ''}${breaker}`;
    case 'rolling': return `rolling update${breaker}`;
    case 'all-at-once':
      return fact?.mechanism === 'none' && resourceType === 'AWS::Lambda::Function'
        ? 'all at once (CloudFormation updates the function in place)' : 'all at once';
    default: return type;
  }
}

/** Runbooks the catalog records, and those rules start on the service's alarms or with its resources in their input. */
function runbooksOf(model: StackModel, draft: ServiceDraft, links: ConsoleLinks): ReadinessRunbook[] {
  const starts = new Map<string, RunbookStartFact>();
  for (const alarm of draft.alarms) for (const s of model.runbooksStartedBy(alarm)) starts.set(`${s.rule}/${s.document}`, s);
  for (const s of model.runbooksNaming(draft.members)) starts.set(`${s.rule}/${s.document}`, s);
  const startedBy = (rule?: string) => [...draft.alarms].filter((a) => model.runbooksStartedBy(a).some((s) => s.rule === rule));
  const entry = (document: string, trigger: string, automatic: boolean, rule?: string): ReadinessRunbook => {
    // A document of this template is linked only when it has a literal name; one named by ARN elsewhere, by that name.
    const name = model.resource(document) ? literalString(model.resource(document)?.Properties?.Name) : document;
    return {
      document,
      documentName: model.documentLabel(document),
      consoleUrl: links.document(name),
      trigger,
      startedBy: rule ? startedBy(rule) : [],
      rule,
      automatic,
    };
  };
  const out: ReadinessRunbook[] = [];
  for (const response of draft.entry?.responses ?? []) {
    // A catalog response started by EventBridge is one of the rules found: record the rule on it.
    const match = response.automatic ? [...starts.values()].find((s) => s.document === response.runbook) : undefined;
    if (match) starts.delete(`${match.rule}/${match.document}`);
    out.push(entry(response.runbook, response.trigger, response.automatic, match?.rule));
  }
  for (const s of starts.values()) out.push(entry(s.document, triggerText(model, s, draft), s.automatic, s.rule));
  return out;
}

function triggerText(model: StackModel, start: RunbookStartFact, draft: ServiceDraft): string {
  if (start.schedule) return `EventBridge schedule ${start.schedule}`;
  const alarms = [...draft.alarms].filter((a) => model.runbooksStartedBy(a).includes(start));
  if (alarms.length) {
    const states = alarmStates(start);
    return `EventBridge, when ${alarms.map((a) => model.alarmLabel(a)).join(' or ')} enters ${states.length ? states.join(' or ') : 'a new state'}`;
  }
  return `EventBridge, on ${start.detailTypes.length ? start.detailTypes.join(' or ') : 'a matching event'}`;
}

/** FIS experiment templates that target the service or stop on its alarms. */
function gameDaysOf(model: StackModel, draft: ServiceDraft, serviceName: string): string[] {
  return model.idsOfType('AWS::FIS::ExperimentTemplate').filter((id) => {
    const p = model.resource(id)?.Properties ?? {};
    if ([...model.mentionsOf(id)].some((x) => draft.members.has(x) || draft.alarms.has(x))) return true;
    return Object.values(p.Targets ?? {}).some((t: any) => t?.ResourceTags?.[OWNERSHIP_TAGS.service] === serviceName);
  });
}
