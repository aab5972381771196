import { AlarmFact } from './alarms';
import { asJsonObject, asList, cfnText, isObject, referencedIds, Resources } from './template';

/** What an SSM Automation target's ARN contains: `...:automation-definition/NAME:VERSION`. */
export const AUTOMATION_TARGET_MARK = ':automation-definition/';

/** An EventBridge rule target that starts an SSM Automation runbook. */
export interface RunbookStartFact {
  /** Logical id of the rule. */
  readonly rule: string;
  /** Logical id of the SSM document, or its name when it is not in the template. */
  readonly document: string;
  /** Whether the rule is enabled: EventBridge starts it with no person involved. */
  readonly automatic: boolean;
  /** Whether the target retries and keeps what it could not deliver (a dead-letter queue). */
  readonly deadLetterQueue?: string;
  /** The schedule expression, for a scheduled rule. */
  readonly schedule?: string;
  /** `detail-type`s of the events it matches. */
  readonly detailTypes: string[];
  /** Logical ids referenced by the rule's pattern and the target's input. */
  readonly mentions: Set<string>;
  /** The rule's event pattern, parsed. */
  readonly pattern?: Record<string, any>;
}

/** Every rule target of the template that starts a runbook. */
export function runbookStarts(resources: Resources): RunbookStartFact[] {
  const out: RunbookStartFact[] = [];
  for (const [ruleId, rule] of Object.entries(resources)) {
    if (rule.Type !== 'AWS::Events::Rule') continue;
    const p = rule.Properties ?? {};
    const pattern = asJsonObject(p.EventPattern);
    for (const target of asList(p.Targets)) {
      if (!cfnText(target?.Arn).includes(AUTOMATION_TARGET_MARK)) continue;
      const documentRef = [...referencedIds(target.Arn)].find((id) => resources[id]?.Type === 'AWS::SSM::Document');
      const dlq = [...referencedIds(target.DeadLetterConfig?.Arn)][0];
      out.push({
        rule: ruleId,
        document: documentRef ?? /automation-definition\/([^:]+)/.exec(cfnText(target.Arn))?.[1] ?? ruleId,
        automatic: p.State !== 'DISABLED',
        deadLetterQueue: dlq ?? (target.DeadLetterConfig?.Arn ? cfnText(target.DeadLetterConfig.Arn) : undefined),
        schedule: p.ScheduleExpression !== undefined ? cfnText(p.ScheduleExpression) : undefined,
        detailTypes: asList(pattern?.['detail-type']).filter((d): d is string => typeof d === 'string'),
        mentions: referencedIds([p.EventPattern, target.Input, target.InputTransformer]),
        pattern,
      });
    }
  }
  return out;
}

/**
 * Whether a rule's pattern selects state changes of `alarm`: its ARN in `resources` (a
 * reference, the literal ARN or an ARN prefix), or its name in `detail.alarmName`
 * (literal or prefix).
 */
export function selectsAlarm(start: RunbookStartFact, alarm: AlarmFact): boolean {
  const pattern = start.pattern;
  if (!pattern) return false;
  const name = alarm.alarmName;
  const byResource = asList(pattern.resources).some((r) => {
    if (referencedIds(r).has(alarm.id)) return true;
    if (name === undefined) return false;
    if (typeof r === 'string') return r.endsWith(`:alarm:${name}`);
    const prefix = isObject(r) ? cfnText(r.prefix) : '';
    const at = prefix.indexOf(':alarm:');
    return at >= 0 && name.startsWith(prefix.slice(at + ':alarm:'.length));
  });
  const byName = name !== undefined && asList(pattern.detail?.alarmName).some((n) =>
    n === name || (isObject(n) && typeof n.prefix === 'string' && name.startsWith(n.prefix)));
  return (byResource || byName) && kindMatches(pattern.detail?.configuration, alarm);
}

/** Whether the pattern's `detail.configuration` test (e.g. `alarmRule` exists: composites only) admits the alarm. */
function kindMatches(configuration: any, alarm: AlarmFact): boolean {
  const rule = asList(configuration?.alarmRule)[0];
  if (!isObject(rule) || typeof rule.exists !== 'boolean') return true;
  return rule.exists === (alarm.alarmType === 'composite');
}

/** The states of a rule's alarm pattern, in words (e.g. `ALARM`); every state when it names none. */
export function alarmStates(start: RunbookStartFact): string[] {
  return asList(start.pattern?.detail?.state?.value).map(String);
}
