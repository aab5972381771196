import { readCatalog } from './catalog';
import { costCents, estimate, freeDashboardCents, prices, centsToUsd } from './cost';
import { OperationalReadiness, ReadinessMaintenanceWindow, ReadinessNestedStack, ReadinessResponses, ReadinessStack } from './model';
import { ConsoleLinks, serviceEntry } from './service-entry';
import { discoverServices } from './services';
import { StackModel } from '../model/stack-model';
import { cfnText, referencedIds } from '../model/template';

/** Version of the report's JSON shape. */
export const REPORT_SCHEMA_VERSION = 2;

/** One synthesized stack: its name and template JSON. */
export interface StackTemplateInput {
  readonly stackName: string;
  readonly template: any;
  /** Template file, relative to the assembly directory. */
  readonly templateFile?: string;
  /** The stack's region, when its environment names one (for console links). */
  readonly region?: string;
  /** Nested stacks already merged into `template`. */
  readonly nestedStacks?: ReadinessNestedStack[];
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
  const model = StackModel.fromTemplate(input.template);
  const catalog = readCatalog(input.template);
  const responses = responseDeadLetterQueue(model);
  // The response dead-letter queue is the stack's plumbing for its runbooks, not a service.
  const drafts = discoverServices(model, catalog, new Set(responses ? [responses.deadLetterQueue] : []));
  const links = new ConsoleLinks(input.region);
  // Each alarm is charged to the first service that owns it; what no service owns is shared.
  const charged = new Set<string>();
  const services = drafts.map((draft) => {
    const own = [...draft.alarms].filter((a) => !charged.has(a));
    own.forEach((a) => charged.add(a));
    return serviceEntry(model, draft, own, links);
  });
  const dashboards = model.idsOfType('AWS::CloudWatch::Dashboard');
  const kmsKeys = alarmTopicKeys(model);
  const alarms = [...model.alarms.values()];
  return {
    stackName: input.stackName,
    templateFile: input.templateFile,
    catalog: catalog !== undefined,
    resources: Object.keys(model.resources).length,
    ...(input.nestedStacks?.length ? { nestedStacks: input.nestedStacks } : {}),
    services,
    findings: services.reduce((s, svc) => s + svc.findings.length, 0),
    cost: estimate({ alarms, dashboards, kmsKeys }),
    sharedCost: estimate({ alarms: alarms.filter((a) => !charged.has(a.id)), dashboards, kmsKeys }),
    responses,
    ...maintenanceWindows(model),
  };
}

/** The stack's alarm mute rules (maintenance windows), when it has any: the key is absent otherwise. */
function maintenanceWindows(model: StackModel): { maintenanceWindows?: ReadinessMaintenanceWindow[] } {
  const windows = model.idsOfType('AWS::CloudWatch::AlarmMuteRule').map((id) => {
    const props = model.resource(id)?.Properties ?? {};
    const names: unknown[] = props.MuteTargets?.AlarmNames ?? [];
    return {
      muteRule: id,
      schedule: cfnText(props.Rule?.Schedule?.Expression),
      duration: cfnText(props.Rule?.Schedule?.Duration),
      alarms: names.map((n) => [...referencedIds(n)][0] ?? cfnText(n)),
    };
  });
  return windows.length ? { maintenanceWindows: windows } : {};
}

/** The queue the stack's runbook targets dead-letter to (the first, if several), and the alarm on its messages. */
function responseDeadLetterQueue(model: StackModel): ReadinessResponses | undefined {
  const queue = model.runbookStarts.map((s) => s.deadLetterQueue)
    .find((q): q is string => q !== undefined && model.resource(q)?.Type === 'AWS::SQS::Queue');
  if (queue === undefined) return undefined;
  const alarm = model.alarmsOn(queue)[0];
  return { deadLetterQueue: queue, alarm, alarmPages: alarm !== undefined && (model.alarms.get(alarm)?.pages ?? false) };
}

/** KMS keys that encrypt a topic an alarm notifies (the alarm topics' keys). */
function alarmTopicKeys(model: StackModel): string[] {
  const topics = new Set([...model.alarms.values()].flatMap((a) => a.actions.map((x) => x.topic).filter((t): t is string => t !== undefined)));
  const keys = new Set<string>();
  for (const topic of topics) {
    for (const ref of referencedIds(model.resource(topic)?.Properties?.KmsMasterKeyId)) {
      if (model.resource(ref)?.Type === 'AWS::KMS::Key') keys.add(ref);
    }
  }
  return [...keys];
}
