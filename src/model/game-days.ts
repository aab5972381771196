import { literalString, referencedIds, Resources } from './template';

/** How one FIS experiment template is run: the schedules that start it. */
export interface ExperimentRuns {
  /** Expressions of the EventBridge Scheduler schedules (or EventBridge rules) whose target input names the template. */
  readonly schedules: string[];
}

/**
 * For each FIS experiment template, the schedules that start it, read from the template
 * alone: an `AWS::Scheduler::Schedule` or a scheduled `AWS::Events::Rule` whose target
 * input references the template (e.g. the game-day runbook started with its id).
 */
export function experimentRuns(resources: Resources): Map<string, ExperimentRuns> {
  const runs = new Map<string, ExperimentRuns>();
  const templates = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::FIS::ExperimentTemplate');
  for (const id of templates) runs.set(id, { schedules: [] });
  for (const r of Object.values(resources)) {
    const p = r.Properties ?? {};
    const starts: Array<[unknown, unknown]> = r.Type === 'AWS::Scheduler::Schedule' ? [[p.ScheduleExpression, p.Target]]
      : r.Type === 'AWS::Events::Rule' && p.ScheduleExpression ? (p.Targets ?? []).map((t: unknown) => [p.ScheduleExpression, t]) : [];
    for (const [expression, target] of starts) {
      for (const id of referencedIds(target)) runs.get(id)?.schedules.push(literalString(expression) ?? 'a schedule');
    }
  }
  return runs;
}
