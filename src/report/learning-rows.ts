import { incidentTimelineRules } from '../model/incidents';
import { CfnResourceJson, resourcesOfType } from '../model/template';

/** A row's decision, as well-architected.ts takes it. */
export interface LearningDecision {
  readonly status: string;
  readonly evidence: string[];
  readonly reason: string;
}

/** Namespace prefix of the operations log's metric filters (see src/incidents/operations-metrics.ts). */
const OPERATIONS_NAMESPACE = 'CdkOpex/Operations/';

/** What a service's learning rows are decided from. */
export interface LearningFacts {
  /** Literal names of the service's paging alarms. */
  readonly pagingAlarmNames: string[];
  /** Documents of the runbooks that start on their own when the service alarms. */
  readonly automaticRunbooks: string[];
}

const decision = (status: string, evidence: string[], reason: string): LearningDecision => ({ status, evidence, reason });

/** OPS07-BP04: a playbook (diagnostics runbook) starts on its own when the service alarms, and investigates. */
export function investigationPlaybooks(f: LearningFacts): LearningDecision {
  if (f.automaticRunbooks.length) {
    return decision('met', f.automaticRunbooks, `${f.automaticRunbooks[0]} investigates on its own when the service alarms`);
  }
  return decision('not met', [], 'no runbook starts to investigate when it alarms: the on-call starts from nothing');
}

/** OPS09-BP01: operations metrics (deployments, change failure rate, pages, time to restore) from the stack's operations log. */
export function operationsMetrics(resources: Record<string, CfnResourceJson>): LearningDecision {
  const filters = resourcesOfType(resources, 'AWS::Logs::MetricFilter').filter(([, r]) =>
    (r.Properties?.MetricTransformations ?? []).some((m: any) => String(m?.MetricNamespace ?? '').startsWith(OPERATIONS_NAMESPACE)))
    .map(([id]) => id);
  if (filters.length) {
    return decision('met', filters, `${filters.length} metric filter(s) count deployments, failures, pages, recoveries and runbook runs from the operations log`);
  }
  return decision('not met', [], 'no operations metrics: nothing counts its deployments, change failures, pages or time to restore (OperationsLog.enable)');
}

/**
 * OPS11-BP02: an incident timeline runbook starts when a paging alarm of the service
 * returns from ALARM to OK (a rule matching that change, aimed at an Automation document).
 */
export function postIncidentAnalysis(resources: Record<string, CfnResourceJson>, f: LearningFacts): LearningDecision {
  const rules = incidentTimelineRules(resources, f.pagingAlarmNames);
  if (rules.length) return decision('met', rules, 'when its page ends, a timeline of the incident is written onto its OpsItem for review');
  if (f.pagingAlarmNames.length === 0) return decision('not applicable', [], 'nothing pages for it, so no incident to review');
  return decision('not met', [], 'a page ends with nothing written down: no incident timeline starts when it recovers');
}
