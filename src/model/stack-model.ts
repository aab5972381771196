import { AlarmFact, indexAlarms, outageDetection } from './alarms';
import { DeploymentFact, deploymentOf } from './deployments';
import { identityKeys, namesResource, SERVICE_TYPES } from './identities';
import { RunbookStartFact, runbookStarts, selectsAlarm } from './responses';
import { asList, cfnText, CfnResourceJson, literalString, referencedId, referencedIds, Resources, resourcesOfType } from './template';
import { append } from '../core/collections';

/**
 * One template's resources with the relations between them computed once: the alarms on a
 * resource (also through its alias or target group), the composites that read an alarm, the
 * deployment and rollback of a resource, the runbooks an alarm starts, what each alarm's
 * actions do and how long an outage takes to detect. Pure JSON in, plain data out: the checks
 * build it from a stack, the report and the CLI from templates, and both read only it.
 */
export class StackModel {
  /** The model of a template (its JSON, as synthesized). */
  public static fromTemplate(template: any): StackModel {
    return new StackModel(template?.Resources ?? {}, template?.Metadata ?? {});
  }

  /** Every alarm, by logical id. */
  public readonly alarms: Map<string, AlarmFact>;
  /** Every rule target that starts a runbook. */
  public readonly runbookStarts: RunbookStartFact[];
  private readonly alarmsByName = new Map<string, string>();
  private readonly readers = new Map<string, string[]>();
  private readonly watchers = new Map<string, string[]>();
  private readonly onResource = new Map<string, string[]>();
  private readonly startedBy = new Map<string, RunbookStartFact[]>();
  private readonly mentions = new Map<string, Set<string>>();
  private readonly deployments = new Map<string, DeploymentFact>();
  private services?: string[];
  private groupTargets?: Map<string, string>;
  private aliases?: Map<string, string[]>;
  private dimensionValues?: { values: Map<string, string[]>; order: Map<string, number> };
  private startsByAlarm?: Map<string, RunbookStartFact[]>;
  private startsByText?: RunbookStartFact[];
  private startOrder?: Map<RunbookStartFact, number>;
  private startsByMention?: Map<string, RunbookStartFact[]>;

  private constructor(public readonly resources: Resources, public readonly metadata: Record<string, any>) {
    this.alarms = indexAlarms(resources);
    for (const alarm of this.alarms.values()) {
      if (alarm.alarmName) this.alarmsByName.set(alarm.alarmName, alarm.id);
      for (const child of alarm.children) append(this.readers, child, alarm.id);
    }
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type !== 'AWS::CodeDeploy::DeploymentGroup' || r.Properties?.AlarmConfiguration?.Enabled !== true) continue;
      for (const a of asList(r.Properties.AlarmConfiguration.Alarms)) {
        const alarm = this.alarmIdOf(a?.Name);
        append(this.watchers, alarm, id);
      }
    }
    this.runbookStarts = runbookStarts(resources);
  }

  /** Logical ids the resource's properties reference. */
  public mentionsOf(id: string): Set<string> {
    let found = this.mentions.get(id);
    if (!found) {
      found = referencedIds(this.resources[id]?.Properties);
      this.mentions.set(id, found);
    }
    return found;
  }

  /** The resource a logical id names. */
  public resource(id: string): CfnResourceJson | undefined {
    return this.resources[id];
  }

  /** Logical ids of the resources of the given types, in template order. */
  public idsOfType(...types: string[]): string[] {
    if (types.length === 1) return resourcesOfType(this.resources, types[0]).map(([id]) => id);
    return Object.keys(this.resources).filter((id) => types.includes(this.resources[id].Type));
  }

  /** Logical ids of the template's service resources (functions, ECS services, stages, queues, tables). */
  public serviceIds(): string[] {
    this.services ??= Object.keys(this.resources).filter((id) => SERVICE_TYPES[this.resources[id].Type] !== undefined);
    return this.services;
  }

  /** Logical id of an alarm named by a reference, a literal name or an ARN; else the text itself. */
  public alarmIdOf(value: unknown): string {
    const ref = [...referencedIds(value)].find((id) => this.alarms.has(id));
    if (ref) return ref;
    const text = cfnText(value);
    return this.alarmsByName.get(/:alarm:(.+)$/.exec(text)?.[1] ?? text) ?? text;
  }

  /** Metric alarms on the resource's own metrics (a function's through its alias, an ECS service's through its target groups). */
  public alarmsOn(resourceId: string): string[] {
    let found = this.onResource.get(resourceId);
    if (!found) {
      const index = this.alarmsByDimensionValue();
      const candidates = new Set(identityKeys(this.resources, resourceId).flatMap((key) => index.values.get(key) ?? []));
      found = [...candidates].sort((a, b) => index.order.get(a)! - index.order.get(b)!)
        .filter((id) => this.alarms.get(id)!.dimensions.some((d) => namesResource(this.resources, resourceId, d)));
      this.onResource.set(resourceId, found);
    }
    return found;
  }

  /** Alarm ids by every logical id their dimensions reference and every literal string value they hold, and each alarm's place in the template (indexed once). */
  private alarmsByDimensionValue(): { values: Map<string, string[]>; order: Map<string, number> } {
    if (!this.dimensionValues) {
      this.dimensionValues = { values: new Map(), order: new Map([...this.alarms.keys()].map((id, i) => [id, i])) };
      for (const alarm of this.alarms.values()) {
        const keys = new Set<string>();
        for (const value of alarm.dimensions.flatMap((d) => Object.values(d))) {
          if (typeof value === 'string') keys.add(value);
          referencedIds(value, keys);
        }
        for (const key of keys) append(this.dimensionValues.values, key, alarm.id);
      }
    }
    return this.dimensionValues;
  }

  /** Composite alarms whose rule reads `alarmId` directly. */
  public compositesReading(alarmId: string): string[] {
    return this.readers.get(alarmId) ?? [];
  }

  /** `alarmIds` plus every composite that reads one of them, transitively. */
  public withComposites(alarmIds: Iterable<string>): Set<string> {
    const result = new Set(alarmIds);
    const queue = [...result];
    while (queue.length) {
      for (const reader of this.compositesReading(queue.shift()!)) {
        if (!result.has(reader)) {
          result.add(reader);
          queue.push(reader);
        }
      }
    }
    return result;
  }

  /** CodeDeploy deployment groups with an enabled alarm configuration listing `alarmId`. */
  public deploymentGroupsWatching(alarmId: string): string[] {
    return this.watchers.get(alarmId) ?? [];
  }

  /** How the resource is deployed, and what rolls it back. */
  public deploymentOf(resourceId: string): DeploymentFact {
    let fact = this.deployments.get(resourceId);
    if (!fact) {
      fact = deploymentOf(this.resources, resourceId, (v) => this.alarmIdOf(v), (fn) => this.aliasesOf(fn));
      this.deployments.set(resourceId, fact);
    }
    return fact;
  }

  /** The service resource a deployment group deploys, if any (computed once for all groups). */
  public deployedBy(groupId: string): string | undefined {
    if (!this.groupTargets) {
      this.groupTargets = new Map();
      for (const id of this.serviceIds()) {
        const group = this.deploymentOf(id).deploymentGroup;
        if (group && !this.groupTargets.has(group)) this.groupTargets.set(group, id);
      }
    }
    return this.groupTargets.get(groupId);
  }

  /** Lambda aliases of a function, by the function's logical id (indexed once). */
  private aliasesOf(functionId: string): string[] {
    if (!this.aliases) {
      this.aliases = new Map();
      for (const [id, r] of Object.entries(this.resources)) {
        if (r.Type !== 'AWS::Lambda::Alias') continue;
        for (const fn of referencedIds(r.Properties?.FunctionName)) append(this.aliases, fn, id);
      }
    }
    return this.aliases.get(functionId) ?? [];
  }

  /** Rule targets that start a runbook when `alarmId` changes state (by reference, name, ARN or prefix). */
  public runbooksStartedBy(alarmId: string): RunbookStartFact[] {
    let found = this.startedBy.get(alarmId);
    if (!found) {
      const alarm = this.alarms.get(alarmId);
      found = alarm ? this.startCandidates(alarmId).filter((s) => s.automatic && selectsAlarm(s, alarm)) : [];
      this.startedBy.set(alarmId, found);
    }
    return found;
  }

  /**
   * The starts that could select `alarmId`, in template order: those whose pattern's
   * `resources` reference it, and every start that selects by name, ARN or prefix (a
   * superset of what {@link selectsAlarm} admits, so each alarm is not tried on every rule).
   */
  private startCandidates(alarmId: string): RunbookStartFact[] {
    if (!this.startsByAlarm) {
      this.startsByAlarm = new Map();
      this.startsByText = [];
      for (const start of this.runbookStarts) {
        const selectors = asList(start.pattern?.resources);
        const byText = start.pattern?.detail?.alarmName !== undefined
          || selectors.some((r) => typeof r === 'string' || (typeof r === 'object' && r !== null && 'prefix' in r));
        if (byText) this.startsByText.push(start);
        else for (const id of referencedIds(selectors)) append(this.startsByAlarm, id, start);
      }
    }
    const byAlarm = this.startsByAlarm.get(alarmId) ?? [];
    if (byAlarm.length === 0) return this.startsByText!;
    return [...new Set([...byAlarm, ...this.startsByText!])].sort((a, b) => this.orderOf(a) - this.orderOf(b));
  }

  /** Rule targets that start a runbook with one of `resourceIds` in their pattern or input. */
  public runbooksNaming(resourceIds: Set<string>): RunbookStartFact[] {
    if (!this.startsByMention) {
      this.startsByMention = new Map();
      for (const start of this.runbookStarts) for (const id of start.mentions) append(this.startsByMention, id, start);
    }
    const found = new Set([...resourceIds].flatMap((id) => this.startsByMention!.get(id) ?? []));
    return [...found].sort((a, b) => this.orderOf(a) - this.orderOf(b));
  }

  /** A start's place among the template's starts. */
  private orderOf(start: RunbookStartFact): number {
    this.startOrder ??= new Map(this.runbookStarts.map((s, i) => [s, i]));
    return this.startOrder.get(start)!;
  }

  /** Whether the alarm does something when it fires: its own actions, a composite that reads it, or a rollback. */
  public alarmActs(alarmId: string): boolean {
    const alarm = this.alarms.get(alarmId);
    return alarm !== undefined && (alarm.actions.length > 0 || this.compositesReading(alarmId).length > 0
      || this.deploymentGroupsWatching(alarmId).length > 0);
  }

  /**
   * Seconds from the start of a total outage of the service whose metric alarms are `owned`
   * until the first paging alarm among `owned` and the composites reading them fires.
   */
  public detection(owned: Iterable<string>): { seconds?: number; alarm?: string } {
    const own = new Set(owned);
    let best: { seconds?: number; alarm?: string } = {};
    for (const id of this.withComposites(own)) {
      if (!this.alarms.get(id)?.pages) continue;
      const seconds = outageDetection(this.alarms, id, own);
      if (seconds !== undefined && (best.seconds === undefined || seconds < best.seconds)) best = { seconds, alarm: id };
    }
    return best;
  }

  /** The dead-letter queue of a queue (its `RedrivePolicy`), when it is in the template. */
  public deadLetterQueueOf(queueId: string): string | undefined {
    const policy = this.resources[queueId]?.Properties?.RedrivePolicy;
    const target = referencedId(typeof policy === 'object' ? policy?.deadLetterTargetArn : undefined);
    return target && this.resources[target]?.Type === 'AWS::SQS::Queue' ? target : undefined;
  }

  /** Queues whose dead-letter queue is `queueId`. */
  public sourceQueuesOf(queueId: string): string[] {
    return this.idsOfType('AWS::SQS::Queue').filter((q) => q !== queueId && this.deadLetterQueueOf(q) === queueId);
  }

  /** An alarm's name as operators see it, or its logical id. */
  public alarmLabel(alarmId: string): string {
    return this.alarms.get(alarmId)?.alarmName ?? alarmId;
  }

  /** The literal `Name` property of an SSM document, or its logical id. */
  public documentLabel(documentId: string): string {
    return literalString(this.resources[documentId]?.Properties?.Name) ?? documentId;
  }
}
