import { CfnResourceJson, resourcesOfType } from './template';

/**
 * EventBridge rules that start an Automation runbook (an incident timeline) when an alarm
 * named in `alarmNames` returns from ALARM to OK: by exact name, name prefix, or any alarm.
 */
export function incidentTimelineRules(resources: Record<string, CfnResourceJson>, alarmNames: string[]): string[] {
  if (alarmNames.length === 0) return [];
  return resourcesOfType(resources, 'AWS::Events::Rule').filter(([, r]) => startsAutomation(r)
    && recoveryPatternCovers(r.Properties?.EventPattern, alarmNames)).map(([id]) => id);
}

function startsAutomation(rule: CfnResourceJson): boolean {
  return (rule.Properties?.Targets ?? []).some((t: any) => JSON.stringify(t?.Arn ?? '').includes('automation-definition'));
}

/** Whether an event pattern matches an alarm of `names` going from ALARM to OK. */
function recoveryPatternCovers(pattern: any, names: string[]): boolean {
  const detail = pattern?.detail;
  const values = (x: any): unknown[] => (Array.isArray(x) ? x : x === undefined ? [] : [x]);
  if (!values(detail?.previousState?.value).includes('ALARM') || !values(detail?.state?.value).includes('OK')) return false;
  const byName = values(detail?.alarmName);
  if (byName.length === 0) return true;
  return names.some((name) => byName.some((m: any) => (typeof m === 'string' ? m === name
    : typeof m?.prefix === 'string' && name.startsWith(m.prefix))));
}
