import { AlarmInfo, indexAlarms, outageDetection, withComposites } from './alarms';
import { CfnResourceJson, constructPath, cfnText, idsOfType, literalString, referencedIds, Resources, tagsOf } from './cfn';
import { costCents, estimate, freeDashboardCents, prices, centsToUsd } from './cost';
import {
  OperationalReadiness, ReadinessAlarm, ReadinessDeployment, ReadinessObjective, ReadinessRunbook,
  ReadinessResponses, ReadinessService, ReadinessStack,
} from './model';
import { wellArchitectedRows } from './well-architected';
import { CATALOG_METADATA_KEY } from '../core/catalog';
import { OWNERSHIP_TAGS } from '../core/ownership';

/** Version of the report's JSON shape. */
export const REPORT_SCHEMA_VERSION = 1;

/** One synthesized stack: its name and template JSON. */
export interface StackTemplateInput {
  readonly stackName: string;
  readonly template: any;
  /** Template file, relative to the assembly directory. */
  readonly templateFile?: string;
}

/** Resource types that are services, and their kind. */
const SERVICE_KINDS: Record<string, string> = {
  'AWS::Lambda::Function': 'lambda',
  'AWS::ECS::Service': 'ecs',
  'AWS::ApiGateway::Stage': 'apigateway',
  'AWS::ApiGatewayV2::Stage': 'apigateway',
  'AWS::SQS::Queue': 'sqs',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
};

/** Functions the CDK adds for custom resources: plumbing, not services. */
const CDK_PLUMBING = /Custom::|CustomResourceProvider|LogRetention[0-9a-f]{32}|AWS[0-9a-f]{32}|framework-on(Event|Timeout|IsComplete)|BucketNotificationsHandler|SingletonLambda|AutoDeleteObjects/;

/** The catalog entry of a cdk-opex service (see OperationsHub.renderCatalog). */
interface CatalogService {
  readonly name: string;
  readonly kind: string;
  readonly team?: string;
  readonly path?: string;
  readonly detectionSeconds?: number;
  readonly healthAlarm?: string;
  readonly signalAlarms?: Record<string, string>;
  readonly deployment?: { group?: string; strategy?: string; rollbackAlarms?: string[] };
  readonly responses?: Array<{ runbook: string; trigger: string }>;
  readonly objectives?: Array<{ target: number; windowDays: number; alerts: string; pageAlarm: string }>;
}

/** Everything about one template that the per-service analysis reads. */
export interface StackContext {
  readonly resources: Resources;
  readonly alarms: Map<string, AlarmInfo>;
  /** Alarm ids by literalString AlarmName. */
  readonly alarmsByName: Map<string, string>;
}

/** The readiness report of the given stacks, from their templates alone. */
export function analyzeAssembly(stacks: StackTemplateInput[]): OperationalReadiness {
  const analyzed = stacks.map(analyzeStack);
  const grossCents = analyzed.reduce((s, st) => s + costCents(st.cost), 0);
  const dashboards = analyzed.reduce((s, st) => s + (st.cost.lines.find((l) => l.item === 'dashboards')?.quantity ?? 0), 0);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: 'cdk-opex',
    summary: {
      stacks: analyzed.length,
      services: analyzed.reduce((s, st) => s + st.services.length, 0),
      findings: analyzed.reduce((s, st) => s + st.findings, 0),
      monthlyUsd: centsToUsd(grossCents),
      monthlyUsdBeyondFreeTier: centsToUsd(grossCents - freeDashboardCents(dashboards)),
    },
    prices: prices(),
    stacks: analyzed,
  };
}

function analyzeStack(input: StackTemplateInput): ReadinessStack {
  const resources: Resources = input.template?.Resources ?? {};
  const alarms = indexAlarms(resources);
  const alarmsByName = new Map<string, string>();
  for (const a of alarms.values()) if (a.alarmName) alarmsByName.set(a.alarmName, a.id);
  const ctx: StackContext = { resources, alarms, alarmsByName };

  const catalog = input.template?.Metadata?.[CATALOG_METADATA_KEY];
  const catalogServices: CatalogService[] = Array.isArray(catalog?.services) ? catalog.services : [];
  const kpis: Array<{ service: string; alarm: string }> = Array.isArray(catalog?.kpis) ? catalog.kpis : [];

  const services: ReadinessService[] = [];
  const responses = responseDeadLetterQueue(ctx);
  // The response dead-letter queue is the stack's plumbing for its runbooks, not a service.
  const claimed = new Set<string>(responses ? [responses.deadLetterQueue] : []);
  for (const entry of catalogServices) {
    const service = analyzeCatalogService(ctx, entry, kpis.filter((k) => k.service === entry.name).map((k) => k.alarm));
    if (service.resourceType !== 'unknown') claimed.add(service.logicalId);
    services.push(service);
  }
  for (const id of Object.keys(resources)) {
    const r = resources[id];
    if (!SERVICE_KINDS[r.Type] || claimed.has(id) || isPlumbing(id, r)) continue;
    services.push(analyzeTemplateService(ctx, id));
  }

  const dashboards = idsOfType(resources, 'AWS::CloudWatch::Dashboard');
  return {
    stackName: input.stackName,
    templateFile: input.templateFile,
    catalog: catalog !== undefined,
    resources: Object.keys(resources).length,
    services,
    findings: services.reduce((s, svc) => s + svc.findings.length, 0),
    cost: estimate({ alarms: [...alarms.values()], dashboards, kmsKeys: alarmTopicKeys(ctx) }),
    responses,
  };
}

/** The queue the stack's runbook targets dead-letter to (the first, if several), and the alarm on its messages. */
function responseDeadLetterQueue(ctx: StackContext): ReadinessResponses | undefined {
  const queues = Object.values(ctx.resources)
    .filter((r) => r.Type === 'AWS::Events::Rule')
    .flatMap((r) => (Array.isArray(r.Properties?.Targets) ? r.Properties.Targets : []))
    .filter((t: any) => cfnText(t?.Arn).includes('automation-definition/'))
    .flatMap((t: any) => [...referencedIds(t?.DeadLetterConfig?.Arn)])
    .filter((id) => ctx.resources[id]?.Type === 'AWS::SQS::Queue');
  if (queues.length === 0) return undefined;
  const alarm = [...ctx.alarms.values()].find((a) => a.dimensionRefs.has(queues[0]));
  return { deadLetterQueue: queues[0], alarm: alarm?.id, alarmPages: alarm?.pages ?? false };
}

function isPlumbing(id: string, r: CfnResourceJson): boolean {
  if (r.Type !== 'AWS::Lambda::Function') return false;
  const metadata = Object.keys(r.Metadata ?? {});
  return metadata.some((k) => k.startsWith('aws:cdk:is-custom-resource-handler')) || CDK_PLUMBING.test(`${id} ${constructPath(r) ?? ''}`);
}

/** KMS keys that encrypt a topic an alarm notifies: the alarm topic's key. */
function alarmTopicKeys(ctx: StackContext): string[] {
  const topics = new Set<string>();
  for (const a of ctx.alarms.values()) {
    for (const ref of referencedIds([a.resource.Properties?.AlarmActions, a.resource.Properties?.OKActions])) {
      if (ctx.resources[ref]?.Type === 'AWS::SNS::Topic') topics.add(ref);
    }
  }
  const keys = new Set<string>();
  for (const topic of topics) {
    for (const ref of referencedIds(ctx.resources[topic].Properties?.KmsMasterKeyId)) {
      if (ctx.resources[ref]?.Type === 'AWS::KMS::Key') keys.add(ref);
    }
  }
  return [...keys];
}

/** Logical ids whose reference identifies the service in a dimension, target or input. */
function serviceRefIds(ctx: StackContext, id: string): Set<string> {
  const r = ctx.resources[id];
  const ids = new Set([id]);
  if (r.Type === 'AWS::Lambda::Function') {
    for (const [other, o] of Object.entries(ctx.resources)) {
      if ((o.Type === 'AWS::Lambda::Alias' || o.Type === 'AWS::Lambda::Version') && referencedIds(o.Properties?.FunctionName).has(id)) ids.add(other);
    }
  }
  if (r.Type === 'AWS::ApiGateway::Stage') referencedIds(r.Properties?.RestApiId, ids);
  if (r.Type === 'AWS::ApiGatewayV2::Stage') referencedIds(r.Properties?.ApiId, ids);
  return ids;
}

/** Alarms whose metrics are the service's: dimensions that reference it (or name its REST API). */
function alarmsOnService(ctx: StackContext, id: string, refIds: Set<string>): Set<string> {
  const r = ctx.resources[id];
  let apiName: string | undefined;
  if (r.Type === 'AWS::ApiGateway::Stage') {
    const api = [...referencedIds(r.Properties?.RestApiId)][0];
    apiName = literalString(ctx.resources[api]?.Properties?.Name);
  }
  const owned = new Set<string>();
  for (const alarm of ctx.alarms.values()) {
    if ([...alarm.dimensionRefs].some((ref) => refIds.has(ref))) owned.add(alarm.id);
    if (apiName && alarm.dimensionLiterals.includes(`ApiName=${apiName}`)) owned.add(alarm.id);
  }
  return owned;
}

function analyzeTemplateService(ctx: StackContext, id: string): ReadinessService {
  const r = ctx.resources[id];
  const refIds = serviceRefIds(ctx, id);
  const owned = withComposites(ctx.alarms, alarmsOnService(ctx, id, refIds));
  const tags = tagsOf(r);
  const path = constructPath(r);
  const name = tags[OWNERSHIP_TAGS.service] ?? relativePath(path) ?? withoutHash(id);
  const detection = detect(ctx, owned);
  return assemble(ctx, {
    name,
    kind: SERVICE_KINDS[r.Type],
    source: 'template',
    id,
    refIds,
    owned,
    owner: { service: tags[OWNERSHIP_TAGS.service], team: tags[OWNERSHIP_TAGS.team] },
    detection: detection.seconds === undefined
      ? { seconds: undefined, alarm: undefined, basis: 'no alarm on its metrics notifies anyone (SNS, OpsItem or Incident Manager)' }
      : { ...detection, basis: `period x datapoints to alarm + ${60} s publish delay of ${detection.alarm}` },
    deployment: deploymentOf(ctx, id, r),
    runbooks: [],
    objectives: [],
  });
}

function analyzeCatalogService(ctx: StackContext, entry: CatalogService, kpiAlarms: string[]): ReadinessService {
  const declared = [
    ...Object.values(entry.signalAlarms ?? {}),
    ...(entry.healthAlarm ? [entry.healthAlarm] : []),
    ...(entry.objectives ?? []).map((o) => o.pageAlarm),
    ...kpiAlarms,
  ].filter((a) => ctx.alarms.has(a));
  const primary = catalogPrimary(ctx, entry, declared);
  const refIds = primary ? serviceRefIds(ctx, primary) : new Set<string>();
  const underPath = [...ctx.alarms.values()]
    .filter((a) => entry.path && (constructPath(a.resource) ?? '').startsWith(`${entry.path}/`)).map((a) => a.id);
  const onService = primary ? alarmsOnService(ctx, primary, refIds) : new Set<string>();
  const owned = withComposites(ctx.alarms, new Set([...declared, ...underPath, ...onService]));
  const r = primary ? ctx.resources[primary] : undefined;
  const tags = tagsOf(r);
  const group = entry.deployment?.group;
  const groupProps = group ? ctx.resources[group]?.Properties : undefined;
  const deployment: ReadinessDeployment = {
    applicable: true,
    strategy: entry.deployment?.strategy,
    deploymentGroup: group,
    rollbackOnAlarm: groupProps ? rollbackWired(groupProps) : false,
    rollbackAlarms: entry.deployment?.rollbackAlarms ?? [],
  };
  const healthName = entry.healthAlarm ? ctx.alarms.get(entry.healthAlarm)?.alarmName ?? entry.healthAlarm : undefined;
  return assemble(ctx, {
    name: entry.name,
    kind: entry.kind,
    source: 'catalog',
    id: primary ?? entry.path ?? entry.name,
    refIds,
    owned,
    owner: { service: tags[OWNERSHIP_TAGS.service] ?? entry.name, team: tags[OWNERSHIP_TAGS.team] ?? entry.team },
    detection: entry.detectionSeconds !== undefined
      ? { seconds: entry.detectionSeconds, alarm: entry.healthAlarm, basis: `cdk-opex catalog: the health alarm ${healthName} fires within ${entry.detectionSeconds} s` }
      : { seconds: undefined, alarm: undefined, basis: 'the catalog records no detection time' },
    deployment,
    runbooks: (entry.responses ?? []).map((resp) => ({
      document: resp.runbook,
      trigger: resp.trigger,
      rule: undefined,
      automatic: /^EventBridge/i.test(resp.trigger),
    })),
    objectives: (entry.objectives ?? []).map((o): ReadinessObjective => ({
      target: o.target, windowDays: o.windowDays, alerts: o.alerts, pageAlarm: o.pageAlarm,
    })),
  });
}

/** The main resource of a catalog service: what its alarms measure, else what carries its tag. */
function catalogPrimary(ctx: StackContext, entry: CatalogService, declared: string[]): string | undefined {
  if (entry.deployment?.group) {
    for (const r of Object.values(ctx.resources)) {
      const policy = r.UpdatePolicy?.CodeDeployLambdaAliasUpdate;
      if (r.Type === 'AWS::Lambda::Alias' && policy && referencedIds(policy.DeploymentGroupName).has(entry.deployment.group)) {
        const fn = [...referencedIds(r.Properties?.FunctionName)].find((f) => ctx.resources[f]?.Type === 'AWS::Lambda::Function');
        if (fn) return fn;
      }
    }
  }
  for (const alarmId of declared) {
    const ref = [...(ctx.alarms.get(alarmId)?.dimensionRefs ?? [])].find((d) => SERVICE_KINDS[ctx.resources[d]?.Type]);
    if (ref) return ref;
  }
  return Object.keys(ctx.resources)
    .find((id) => SERVICE_KINDS[ctx.resources[id].Type] && tagsOf(ctx.resources[id])[OWNERSHIP_TAGS.service] === entry.name);
}

/** A CDK logical id without its 8-character hash, e.g. `OrdersA9B65338` -> `Orders`. */
function withoutHash(id: string): string {
  const m = /^(.+?)[0-9A-F]{8}$/.exec(id);
  return m ? m[1] : id;
}

function relativePath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const parts = path.split('/');
  return parts.length > 1 ? parts.slice(1).join('/') : path;
}

/** First paging alarm and its detection time for a total outage of the service. */
function detect(ctx: StackContext, owned: Set<string>): { seconds?: number; alarm?: string } {
  let best: { seconds?: number; alarm?: string } = {};
  for (const id of owned) {
    if (!ctx.alarms.get(id)?.pages) continue;
    const seconds = outageDetection(ctx.alarms, id, owned);
    if (seconds !== undefined && (best.seconds === undefined || seconds < best.seconds)) best = { seconds, alarm: id };
  }
  return best;
}

/** AutoRollbackConfiguration stops on alarm and the alarm configuration has alarms. */
function rollbackWired(group: any): boolean {
  const auto = group.AutoRollbackConfiguration;
  const alarmConfig = group.AlarmConfiguration;
  return auto?.Enabled === true && Array.isArray(auto.Events) && auto.Events.includes('DEPLOYMENT_STOP_ON_ALARM')
    && alarmConfig?.Enabled === true && Array.isArray(alarmConfig.Alarms) && alarmConfig.Alarms.length > 0;
}

/** A CodeDeploy configuration in words, in the catalog's style. */
export function describeDeploymentConfig(ctx: StackContext, value: unknown): string {
  const ref = [...referencedIds(value)].find((id) => ctx.resources[id]?.Type === 'AWS::CodeDeploy::DeploymentConfig');
  const routing = ref ? ctx.resources[ref].Properties?.TrafficRoutingConfig : undefined;
  if (routing?.TimeBasedCanary) return `canary: ${routing.TimeBasedCanary.CanaryPercentage}% for ${routing.TimeBasedCanary.CanaryInterval} min, then 100%`;
  if (routing?.TimeBasedLinear) return `linear: +${routing.TimeBasedLinear.LinearPercentage}% every ${routing.TimeBasedLinear.LinearInterval} min`;
  if (routing?.Type === 'AllAtOnce') return 'all at once';
  const name = typeof value === 'string' ? value : undefined;
  if (!name) return `custom (${cfnText(value)})`;
  const canary = /Canary(\d+)Percent(\d+)Minutes?/.exec(name);
  if (canary) return `canary: ${canary[1]}% for ${canary[2]} min, then 100%`;
  const linear = /Linear(\d+)Percent(?:Every)?(\d+)Minutes?/.exec(name);
  if (linear) return `linear: +${linear[1]}% every ${linear[2]} min`;
  if (/AllAtOnce/.test(name)) return 'all at once';
  return name;
}

function groupDeployment(ctx: StackContext, groupId: string, fallback: string): ReadinessDeployment {
  const props = ctx.resources[groupId]?.Properties ?? {};
  const names: unknown[] = (props.AlarmConfiguration?.Alarms ?? []).map((a: any) => a?.Name);
  return {
    applicable: true,
    strategy: props.DeploymentConfigName !== undefined ? describeDeploymentConfig(ctx, props.DeploymentConfigName) : fallback,
    deploymentGroup: groupId,
    rollbackOnAlarm: rollbackWired(props),
    rollbackAlarms: names.map((n) => alarmIdOf(ctx, n)),
  };
}

/** Logical id of an alarm named by a Ref or a literalString name; else the text. */
function alarmIdOf(ctx: StackContext, value: unknown): string {
  const ref = [...referencedIds(value)].find((id) => ctx.alarms.has(id));
  if (ref) return ref;
  const text = cfnText(value);
  return ctx.alarmsByName.get(text) ?? text;
}

function deploymentOf(ctx: StackContext, id: string, r: CfnResourceJson): ReadinessDeployment {
  const none = (strategy: string): ReadinessDeployment => ({
    applicable: true, strategy, deploymentGroup: undefined, rollbackOnAlarm: false, rollbackAlarms: [],
  });
  switch (r.Type) {
    case 'AWS::Lambda::Function': {
      for (const o of Object.values(ctx.resources)) {
        const policy = o.UpdatePolicy?.CodeDeployLambdaAliasUpdate;
        if (o.Type !== 'AWS::Lambda::Alias' || !policy || !referencedIds(o.Properties?.FunctionName).has(id)) continue;
        const group = [...referencedIds(policy.DeploymentGroupName)].find((g) => ctx.resources[g]?.Type === 'AWS::CodeDeploy::DeploymentGroup');
        if (group) return groupDeployment(ctx, group, 'canary: 10% for 5 min, then 100%');
      }
      return none('all at once (CloudFormation updates the function in place)');
    }
    case 'AWS::ECS::Service': {
      for (const [gid, g] of Object.entries(ctx.resources)) {
        if (g.Type === 'AWS::CodeDeploy::DeploymentGroup' && referencedIds(g.Properties?.ECSServices).has(id)) {
          return groupDeployment(ctx, gid, 'all at once (blue/green)');
        }
      }
      const config = r.Properties?.DeploymentConfiguration ?? {};
      const alarms = config.Alarms;
      const alarmRollback = alarms?.Enable === true && alarms?.Rollback === true && (alarms.AlarmNames ?? []).length > 0;
      const breaker = config.DeploymentCircuitBreaker?.Enable === true && config.DeploymentCircuitBreaker?.Rollback === true;
      return {
        applicable: true,
        strategy: `rolling update${breaker ? ' with circuit breaker' : ''}`,
        deploymentGroup: undefined,
        rollbackOnAlarm: alarmRollback,
        rollbackAlarms: alarmRollback ? (alarms.AlarmNames as unknown[]).map((n) => alarmIdOf(ctx, n)) : [],
      };
    }
    case 'AWS::ApiGateway::Stage': {
      const canary = r.Properties?.CanarySetting;
      return none(canary ? `stage canary: ${canary.PercentTraffic ?? 0}% of traffic` : 'all at once (new stage deployment)');
    }
    case 'AWS::ApiGatewayV2::Stage':
      return none(r.Properties?.AutoDeploy ? 'all at once (auto deploy)' : 'all at once (new stage deployment)');
    default:
      return { applicable: false, strategy: undefined, deploymentGroup: undefined, rollbackOnAlarm: false, rollbackAlarms: [] };
  }
}

/** Runbooks started by EventBridge rules on the service's alarms, or with the service in their input. */
function ruleRunbooks(ctx: StackContext, refIds: Set<string>, owned: Set<string>): ReadinessRunbook[] {
  const out: ReadinessRunbook[] = [];
  for (const [ruleId, rule] of Object.entries(ctx.resources)) {
    if (rule.Type !== 'AWS::Events::Rule') continue;
    const p = rule.Properties ?? {};
    const targets: any[] = (Array.isArray(p.Targets) ? p.Targets : []).filter((t: any) => cfnText(t?.Arn).includes('automation-definition/'));
    if (targets.length === 0) continue;
    const patternRefs = referencedIds(p.EventPattern);
    const patternText = cfnText(JSON.stringify(p.EventPattern ?? {}));
    const onAlarms = [...owned].filter((a) => patternRefs.has(a) || literalAlarmInPattern(ctx, a, patternText));
    for (const target of targets) {
      const inputRefs = referencedIds([target.Input, target.InputTransformer]);
      if (onAlarms.length === 0 && ![...refIds].some((id) => inputRefs.has(id) || patternRefs.has(id))) continue;
      const documentRef = [...referencedIds(target.Arn)].find((id) => ctx.resources[id]?.Type === 'AWS::SSM::Document');
      const document = documentRef ?? /automation-definition\/([^:]+)/.exec(cfnText(target.Arn))?.[1] ?? ruleId;
      out.push({ document, trigger: ruleTrigger(ctx, p, onAlarms), rule: ruleId, automatic: p.State !== 'DISABLED' });
    }
  }
  return out;
}

function literalAlarmInPattern(ctx: StackContext, alarmId: string, patternText: string): boolean {
  const name = ctx.alarms.get(alarmId)?.alarmName;
  return name !== undefined && (patternText.includes(`:alarm:${name}"`) || patternText.includes(`"${name}"`));
}

function ruleTrigger(ctx: StackContext, p: any, onAlarms: string[]): string {
  if (p.ScheduleExpression) return `EventBridge schedule ${cfnText(p.ScheduleExpression)}`;
  if (onAlarms.length) {
    const states: unknown = p.EventPattern?.detail?.state?.value;
    const names = onAlarms.map((a) => ctx.alarms.get(a)?.alarmName ?? a).join(' or ');
    return `EventBridge, when ${names} enters ${Array.isArray(states) ? states.join(' or ') : 'a new state'}`;
  }
  const detailType = p.EventPattern?.['detail-type'];
  return `EventBridge, on ${Array.isArray(detailType) ? detailType.join(' or ') : 'a matching event'}`;
}

/** FIS experiment templates that target the service or stop on its alarms. */
function gameDaysOf(ctx: StackContext, refIds: Set<string>, owned: Set<string>, serviceName?: string): string[] {
  return idsOfType(ctx.resources, 'AWS::FIS::ExperimentTemplate').filter((id) => {
    const p = ctx.resources[id].Properties ?? {};
    const refs = referencedIds([p.Targets, p.Actions, p.StopConditions]);
    if ([...refs].some((r) => refIds.has(r) || owned.has(r))) return true;
    const targets = Object.values(p.Targets ?? {}) as any[];
    return serviceName !== undefined && targets.some((t) => t?.ResourceTags?.[OWNERSHIP_TAGS.service] === serviceName);
  });
}

interface Parts {
  readonly name: string;
  readonly kind: string;
  readonly source: string;
  readonly id: string;
  readonly refIds: Set<string>;
  readonly owned: Set<string>;
  readonly owner: { service?: string; team?: string };
  readonly detection: { seconds?: number; alarm?: string; basis: string };
  readonly deployment: ReadinessDeployment;
  /** Runbooks the catalog records; rules found in the template are added. */
  readonly runbooks: ReadinessRunbook[];
  readonly objectives: ReadinessObjective[];
}

/** The service's entry: alarms, runbooks, game days, cost and Well-Architected rows. */
function assemble(ctx: StackContext, parts: Parts): ReadinessService {
  const r: CfnResourceJson | undefined = ctx.resources[parts.id];
  const ownedAlarms = [...parts.owned].map((id) => ctx.alarms.get(id)!).filter(Boolean);
  const alarmItems: ReadinessAlarm[] = ownedAlarms.map((a) => ({
    logicalId: a.id,
    alarmName: a.alarmName,
    alarmType: a.type,
    pages: a.pages,
    actions: a.actions.map((x) => x.text),
    metrics: a.metrics,
    highResolution: a.highResolution,
    detectionSeconds: a.type === 'composite' ? outageDetection(ctx.alarms, a.id, parts.owned) : a.ownDetection,
    monthlyUsd: centsToUsd(a.cents),
  }));

  const runbooks = [...parts.runbooks];
  for (const found of ruleRunbooks(ctx, parts.refIds, parts.owned)) {
    // A catalog response started by EventBridge is the rule found here: record the rule on it.
    const recorded = runbooks.findIndex((x) => x.document === found.document && x.automatic && x.rule === undefined);
    if (recorded >= 0) runbooks[recorded] = { ...runbooks[recorded], rule: found.rule };
    else if (!runbooks.some((x) => x.document === found.document && x.rule === found.rule)) runbooks.push(found);
  }
  const gameDays = gameDaysOf(ctx, parts.refIds, parts.owned, parts.owner.service ?? parts.name);
  const dashboards = idsOfType(ctx.resources, 'AWS::CloudWatch::Dashboard').filter((d) => {
    const refs = referencedIds(ctx.resources[d].Properties?.DashboardBody);
    return [...refs].some((x) => parts.refIds.has(x) || parts.owned.has(x));
  });
  const rows = wellArchitectedRows(ctx, {
    id: parts.id,
    resource: r,
    kind: r ? SERVICE_KINDS[r.Type] ?? parts.kind : parts.kind,
    owner: parts.owner,
    alarms: ownedAlarms,
    deployment: parts.deployment,
    runbooks,
    gameDays,
    dashboards,
    detectionSeconds: parts.detection.seconds,
  });
  return {
    name: parts.name,
    kind: parts.kind,
    source: parts.source,
    logicalId: parts.id,
    resourceType: r?.Type ?? 'unknown',
    constructPath: constructPath(r),
    owner: { service: parts.owner.service, team: parts.owner.team },
    alarms: { count: alarmItems.length, paging: alarmItems.filter((a) => a.pages).length, items: alarmItems },
    detection: { seconds: parts.detection.seconds, alarm: parts.detection.alarm, basis: parts.detection.basis },
    deployment: parts.deployment,
    runbooks,
    gameDays,
    objectives: parts.objectives,
    cost: estimate({ alarms: ownedAlarms, dashboards: [], kmsKeys: [] }),
    wellArchitected: rows,
    findings: rows.filter((row) => row.status === 'not met').map((row) => row.id),
  };
}

