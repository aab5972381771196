import { CfnResource, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { GameDayRecord, KpiRecord, ObjectiveRecord, ServiceRecord } from './records';
import { RolloutType } from '../deployments/rollout-strategy';

/** Rollout types as the catalog (and the stack model) name them. */
const CATALOG_ROLLOUT_TYPES: Record<RolloutType, string> = {
  [RolloutType.CANARY]: 'canary',
  [RolloutType.LINEAR]: 'linear',
  [RolloutType.ALL_AT_ONCE]: 'all-at-once',
  [RolloutType.BLUE_GREEN]: 'blue-green',
  [RolloutType.ROLLING]: 'rolling',
};

/** What the hub holds that its catalog lists. */
export interface CatalogSources {
  /** The hub: its path and the resources it shares. */
  readonly shared: IConstruct;
  /** Nested stacks the hub placed services in (their resources are listed by their own logical ids). */
  readonly nestedStacks?: Stack[];
  readonly services: ServiceRecord[];
  readonly kpis: KpiRecord[];
  /** Every objective of the stack, with or without a service pattern. */
  readonly objectives: Array<ObjectiveRecord & { readonly serviceName: string }>;
  /** Game days of the stack's services. */
  readonly gameDays?: GameDayRecord[];
}

/** The catalog written into the template's metadata: structured data (logical ids, numbers), never prose to parse back. */
export function renderCatalog(sources: CatalogSources): unknown {
  const stack = Stack.of(sources.shared);
  const logicalId = (c: IConstruct): string => {
    const resource = CfnResource.isCfnResource(c) ? c : c.node.defaultChild;
    // Alarms imported by ARN have no resource in this stack: name them instead.
    return resource && CfnResource.isCfnResource(resource) ? stack.getLogicalId(resource) : (c as cloudwatch.IAlarm).alarmName ?? c.node.path;
  };
  const { services } = sources;
  return {
    version: 2,
    shared: { path: sources.shared.node.path, resources: countResources(sources.shared) },
    // Only stacks with placed services carry the key: where the report finds the nested templates to read as part of this one.
    ...(sources.nestedStacks?.length ? {
      nestedStacks: sources.nestedStacks.map((n) => ({
        logicalId: stack.getLogicalId(n.nestedStackResource as CfnResource),
        templateFile: n.templateFile,
      })),
    } : {}),
    services: services.map((s) => ({
      name: s.serviceName,
      kind: s.kind,
      team: s.team,
      path: s.scope.node.path,
      resources: countResources(s.scope),
      detectionSeconds: s.detectionSeconds,
      healthAlarm: logicalId(s.healthAlarm),
      signalAlarms: Object.fromEntries(Object.entries(s.signalAlarms).map(([signal, a]) => [signal, logicalId(a)])),
      rollout: s.rollout && s.deploymentGroup ? {
        type: CATALOG_ROLLOUT_TYPES[s.rollout.rolloutType],
        ...(s.rollout.rolloutType === RolloutType.ALL_AT_ONCE || s.rollout.rolloutType === RolloutType.ROLLING ? {}
          : s.rollout.rolloutType === RolloutType.BLUE_GREEN ? { intervalMinutes: s.rollout.bakeMinutes }
            : { percentage: s.rollout.percentage, intervalMinutes: s.rollout.interval.toMinutes() }),
        deploymentGroup: logicalId(s.deploymentGroup),
        rollbackAlarms: s.rollbackAlarms.map(logicalId),
      } : undefined,
      responses: s.responses.map((r) => ({ runbook: logicalId(r.runbook.document), automatic: r.automatic, trigger: r.trigger })),
      objectives: (s.objectives ?? []).map((o) => ({
        target: o.target, windowDays: o.windowDays, alerts: o.alerts, pageAlarm: logicalId(o.pageAlarm),
      })),
      ...(s.backendsAlarm ? { backendsAlarm: logicalId(s.backendsAlarm) } : {}),
      ...(s.dependencies?.length ? {
        dependencies: s.dependencies.map((d) => ({
          kind: d.kind,
          name: d.name,
          resource: logicalId(d.resource),
          alarms: Object.fromEntries(Object.entries(d.alarms).map(([signal, a]) => [signal, logicalId(a)])),
        })),
      } : {}),
    })),
    kpis: sources.kpis.map((k) => ({ service: k.serviceName, name: k.kpiName, alarm: logicalId(k.alarm) })),
    // Objectives no service pattern records (a ServiceLevelObjective on its own).
    objectives: sources.objectives
      .filter((o) => !services.some((s) => (s.objectives ?? []).some((so) => so.pageAlarm === o.pageAlarm)))
      .map((o) => ({ service: o.serviceName, target: o.target, windowDays: o.windowDays, alerts: o.alerts, pageAlarm: logicalId(o.pageAlarm) })),
    // Only stacks with game days carry the key: the catalogs of other stacks stay byte-identical.
    ...(sources.gameDays?.length ? {
      gameDays: sources.gameDays.flatMap((g) => g.scenarios.map((s) => ({
        service: g.serviceName,
        scenario: s.scenario,
        actionId: s.actionId,
        template: logicalId(s.template),
        blastRadius: { percentage: s.percentage, unit: s.unit },
        durationSeconds: s.durationSeconds,
        guardAlarm: logicalId(s.guardAlarm),
        trips: s.trips,
        schedule: s.schedule,
        runbook: logicalId(g.runbook.document),
        verifies: { healthAlarm: logicalId(g.healthAlarm), detectionSeconds: g.detectionSeconds, response: logicalId(g.response.document) },
        failedAlarm: logicalId(g.failedAlarm),
      }))),
    } : {}),
  };
}

function countResources(scope: IConstruct): number {
  return scope.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
}
