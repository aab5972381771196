import { CfnResourceJson, resourcesOfType } from './template';

/**
 * EventBridge rules that start an Automation runbook (an incident timeline) when an alarm
 * named in `alarmNames` returns from ALARM to OK: by exact name, name prefix, or any alarm.
 */
export function incidentTimelineRules(resources: Record<string, CfnResourceJson>, alarmNames: string[]): string[] {
  if (alarmNames.length === 0) return [];
  return recoveryRules(resources).filter((rule) => rule.names.length === 0 || alarmNames.some((name) => rule.names.some((m: any) =>
    (typeof m === 'string' ? m === name : typeof m?.prefix === 'string' && name.startsWith(m.prefix))))).map((rule) => rule.id);
}

/** A rule that starts a runbook when an alarm returns from ALARM to OK, and the `detail.alarmName` values it matches (none: any alarm). */
interface RecoveryRule {
  readonly id: string;
  readonly names: unknown[];
}

/** The template's recovery rules, found once per template (the report asks for each service, the checks for each paging alarm). */
const recoveryRulesOf = new WeakMap<Record<string, CfnResourceJson>, RecoveryRule[]>();

function recoveryRules(resources: Record<string, CfnResourceJson>): RecoveryRule[] {
  let found = recoveryRulesOf.get(resources);
  if (!found) {
    found = resourcesOfType(resources, 'AWS::Events::Rule').filter(([, r]) => startsAutomation(r) && matchesRecovery(r.Properties?.EventPattern))
      .map(([id, r]) => ({ id, names: values(r.Properties?.EventPattern?.detail?.alarmName) }));
    recoveryRulesOf.set(resources, found);
  }
  return found;
}

function startsAutomation(rule: CfnResourceJson): boolean {
  return (rule.Properties?.Targets ?? []).some((t: any) => JSON.stringify(t?.Arn ?? '').includes('automation-definition'));
}

const values = (x: any): unknown[] => (Array.isArray(x) ? x : x === undefined ? [] : [x]);

/** Whether an event pattern matches an alarm going from ALARM to OK. */
function matchesRecovery(pattern: any): boolean {
  const detail = pattern?.detail;
  return values(detail?.previousState?.value).includes('ALARM') && values(detail?.state?.value).includes('OK');
}
