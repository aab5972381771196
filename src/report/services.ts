import { Catalog, CatalogObjective, CatalogService } from './catalog';
import { OWNERSHIP_TAGS } from '../core/ownership';
import { queuesConsumedBy, SERVICE_TYPES } from '../model/identities';
import { StackModel } from '../model/stack-model';
import { constructPath, tagsOf } from '../model/template';

/** Functions the CDK adds for custom resources: plumbing, not services. */
const CDK_PLUMBING = /Custom::|CustomResourceProvider|LogRetention[0-9a-f]{32}|AWS[0-9a-f]{32}|framework-on(Event|Timeout|IsComplete)|BucketNotificationsHandler|SingletonLambda|AutoDeleteObjects/;

/** One service the report shows: its main resource, the resources that belong to it, and its alarms. */
export interface ServiceDraft {
  readonly name: string;
  readonly kind: string;
  readonly source: 'catalog' | 'template';
  /** Logical id of the main resource, when the template has it. */
  readonly primary?: string;
  /** The main resource and those that are part of it (a queue's dead-letter queue). */
  readonly members: Set<string>;
  /** Its alarms: on its members' metrics, declared by the catalog, and the composites reading them. */
  readonly alarms: Set<string>;
  readonly entry?: CatalogService;
  readonly objectives: CatalogObjective[];
}

/** The services of a stack: every catalog service first, then each service resource no catalog entry claims. */
export function discoverServices(model: StackModel, catalog: Catalog | undefined, plumbing: Set<string> = new Set()): ServiceDraft[] {
  const drafts: ServiceDraft[] = [];
  const claimed = new Set<string>(plumbing);
  const declaredBy = alarmsDeclaredByEntry(catalog);
  for (const entry of catalog?.services ?? []) {
    const kpiAlarms = (catalog?.kpis ?? []).filter((k) => k.service === entry.name).map((k) => k.alarm);
    const declared = [
      ...Object.values(entry.signalAlarms ?? {}),
      ...(entry.healthAlarm ? [entry.healthAlarm] : []),
      ...(entry.backendsAlarm ? [entry.backendsAlarm] : []),
      ...(entry.objectives ?? []).map((o) => o.pageAlarm),
      ...kpiAlarms,
    ].filter((a) => model.alarms.has(a));
    const primary = primaryOf(model, entry, declared);
    const dependencies = (entry.dependencies ?? []).filter((d) => model.resource(d.resource));
    // A service's dependencies are part of it in the report (their alarms are its own), not services of their own.
    const members = new Set([...membersOf(model, primary), ...dependencies.map((d) => d.resource)]);
    const dependencyAlarms = dependencies.flatMap((d) => Object.values(d.alarms ?? {})).filter((a) => model.alarms.has(a));
    consumedQueues(model, primary, entry.name).forEach((q) => membersOf(model, q).forEach((m) => members.add(m)));
    members.forEach((m) => claimed.add(m));
    const underPath = [...model.alarms.values()]
      .filter((a) => entry.path && (constructPath(a.resource) ?? '').startsWith(`${entry.path}/`)).map((a) => a.id);
    drafts.push({
      name: entry.name,
      kind: entry.kind,
      source: 'catalog',
      primary,
      members,
      // A composite another catalog service declares (e.g. an API's health alarm reading this one's) is that service's.
      alarms: new Set([...model.withComposites([...declared, ...dependencyAlarms, ...underPath, ...[...members].flatMap((m) => model.alarmsOn(m))])]
        .filter((a) => (declaredBy.get(a) ?? entry.name) === entry.name)),
      entry,
      objectives: entry.objectives ?? [],
    });
  }
  for (const id of model.serviceIds()) {
    if (claimed.has(id) || isPlumbing(model, id) || isDeadLetterQueue(model, id)) continue;
    const members = membersOf(model, id);
    const r = model.resource(id)!;
    drafts.push({
      name: tagsOf(r)[OWNERSHIP_TAGS.service] ?? relativePath(constructPath(r)) ?? withoutHash(id),
      kind: SERVICE_TYPES[r.Type],
      source: 'template',
      primary: id,
      members,
      alarms: model.withComposites([...members].flatMap((m) => model.alarmsOn(m))),
      objectives: [],
    });
  }
  // A standalone objective belongs to the service whose alarms its page alarm reads.
  for (const objective of catalog?.objectives ?? []) {
    const owner = drafts.find((d) => d.alarms.has(objective.pageAlarm)) ?? drafts.find((d) => d.name === objective.service);
    owner?.objectives.push(objective);
  }
  return drafts;
}

/** The alarms each catalog service declares (health, signals, objectives, dependencies, backends), by alarm. */
function alarmsDeclaredByEntry(catalog: Catalog | undefined): Map<string, string> {
  const owners = new Map<string, string>();
  for (const entry of catalog?.services ?? []) {
    const alarms = [entry.healthAlarm, entry.backendsAlarm, ...Object.values(entry.signalAlarms ?? {}),
      ...(entry.objectives ?? []).map((o) => o.pageAlarm),
      ...(entry.dependencies ?? []).flatMap((d) => Object.values(d.alarms ?? {}))];
    for (const a of alarms) if (a !== undefined && !owners.has(a)) owners.set(a, entry.name);
  }
  return owners;
}

/** The main resource of a catalog service: what its declared alarms measure, else what carries its tag. */
function primaryOf(model: StackModel, entry: CatalogService, declared: string[]): string | undefined {
  const group = entry.rollout?.deploymentGroup;
  if (group) {
    const fn = model.deployedBy(group);
    if (fn) return fn;
  }
  const measured = model.serviceIds().find((id) => model.alarmsOn(id).some((a) => declared.includes(a)));
  return measured ?? model.serviceIds().find((id) => tagsOf(model.resource(id))[OWNERSHIP_TAGS.service] === entry.name);
}

/** A resource and what is part of it: a queue's dead-letter queue. */
function membersOf(model: StackModel, primary: string | undefined): Set<string> {
  if (!primary) return new Set();
  const dlq = model.resource(primary)?.Type === 'AWS::SQS::Queue' ? model.deadLetterQueueOf(primary) : undefined;
  return new Set([primary, ...(dlq ? [dlq] : [])]);
}

/**
 * The queues a catalog service's function consumes and that carry its `service` tag: a
 * queue worker's queue, one service with its consumer (and, through membersOf, its DLQ).
 */
function consumedQueues(model: StackModel, primary: string | undefined, serviceName: string): string[] {
  if (!primary || model.resource(primary)?.Type !== 'AWS::Lambda::Function') return [];
  return queuesConsumedBy(model.resources, primary).filter((q) => tagsOf(model.resource(q))[OWNERSHIP_TAGS.service] === serviceName);
}

function isDeadLetterQueue(model: StackModel, id: string): boolean {
  return model.resource(id)?.Type === 'AWS::SQS::Queue' && model.sourceQueuesOf(id).length > 0;
}

function isPlumbing(model: StackModel, id: string): boolean {
  const r = model.resource(id)!;
  if (r.Type !== 'AWS::Lambda::Function') return false;
  const metadata = Object.keys(r.Metadata ?? {});
  return metadata.some((k) => k.startsWith('aws:cdk:is-custom-resource-handler')) || CDK_PLUMBING.test(`${id} ${constructPath(r) ?? ''}`);
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
