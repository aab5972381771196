import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import {
  changeFailureRate, LoggedService, OPERATIONS_PERIOD, OperationsDimension, OperationsEventSource, OperationsMetric, operationsMetric,
} from './operations-metrics';

/** What the row is drawn from: the operations log's namespace, services and routed sources. */
export interface OperationsRowData {
  readonly metricNamespace: string;
  readonly services: LoggedService[];
  _routedEntries(source: OperationsEventSource): Array<[string, string]>;
}

/** Widgets of the operations-health row: a header and six graphs. */
export const OPERATIONS_ROW_WIDGETS = 7;
/** Lines one graph shows at most (CloudWatch's limit is 100 metrics per graph, math inputs included). */
const MAX_LINES = 20;

const GRAPH = { width: 4, height: 6, period: OPERATIONS_PERIOD } as const;

/**
 * The operations-health row of a stack's dashboards, right after the summary: deployments
 * per day, change failure rate, pages and recoveries, mean time to restore, runbook runs
 * and failures, game-day results, each per service (or runbook, or experiment) with the
 * stack's total. Built when the dashboard is rendered, so every service made by then is on it.
 */
export function operationsRow(log: OperationsRowData): cloudwatch.IWidget[] {
  const ns = log.metricNamespace;
  const services = log.services.slice(0, MAX_LINES);
  const deployed = services.filter((s) => s.deployments.length > 0);
  const metricsOf = (metric: OperationsMetric, s: (typeof services)[number]) =>
    s.deployments.map((d) => operationsMetric(ns, metric, d.dimension, d.value));
  const sumOf = (metrics: cloudwatch.IMetric[], label: string, prefix: string): cloudwatch.IMetric => metrics.length === 1
    ? metrics[0]
    : new cloudwatch.MathExpression({
      expression: metrics.map((_, i) => `FILL(${prefix}${i}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(metrics.map((m, i) => [`${prefix}${i}`, m])),
      label,
      period: OPERATIONS_PERIOD,
    });

  const deployments = deployed.map((s, i) => sumOf(metricsOf(OperationsMetric.DEPLOYMENTS, s), s.serviceName, `dep${i}_`));
  const stackDeployments = deployed.length > 1
    ? [sumOf(deployed.flatMap((s) => metricsOf(OperationsMetric.DEPLOYMENTS, s)), 'stack', 'alldep')] : [];
  const rates = deployed.map((s, i) => changeFailureRate(metricsOf(OperationsMetric.DEPLOYMENTS, s),
    metricsOf(OperationsMetric.FAILED_DEPLOYMENTS, s), s.serviceName, `cfr${i}`));
  const stackRate = deployed.length > 1 ? [changeFailureRate(
    deployed.flatMap((s) => metricsOf(OperationsMetric.DEPLOYMENTS, s)),
    deployed.flatMap((s) => metricsOf(OperationsMetric.FAILED_DEPLOYMENTS, s)), 'stack', 'all')] : [];
  const byAlarm = (metric: OperationsMetric, statistic?: string) => services.map((s) =>
    operationsMetric(ns, metric, OperationsDimension.ALARM, s.healthAlarmName, { label: s.serviceName, statistic }));
  const runbooks = log._routedEntries(OperationsEventSource.RUNBOOKS).slice(0, MAX_LINES / 2);
  const experiments = log._routedEntries(OperationsEventSource.EXPERIMENTS).slice(0, MAX_LINES / 2);
  const byValue = (entries: Array<[string, string]>, metric: OperationsMetric, dimension: OperationsDimension, outcome: string) =>
    entries.map(([label, value]) => operationsMetric(ns, metric, dimension, value, { label: `${label} ${outcome}` }));

  const graph = (title: string, left: cloudwatch.IMetric[], extra: Partial<cloudwatch.GraphWidgetProps> = {}) =>
    new cloudwatch.GraphWidget({ title, left, ...GRAPH, view: cloudwatch.GraphWidgetView.BAR, ...extra });
  return [
    new cloudwatch.TextWidget({
      width: 24,
      height: 2,
      markdown: '## Operations health\nFrom the stack\'s operations log (deployments, pages, runbook runs, game days), per day. '
        + 'Change failure rate: failed or rolled-back over finished deployments. Time to restore: published by the incident timeline.',
    }),
    new cloudwatch.Row(
      graph('Deployments per day', [...deployments, ...stackDeployments]),
      graph('Change failure rate (%)', [...rates, ...stackRate], { view: cloudwatch.GraphWidgetView.TIME_SERIES, leftYAxis: { min: 0, max: 100 } }),
      graph('Pages and recoveries', [...byAlarm(OperationsMetric.PAGES)], { right: byAlarm(OperationsMetric.RECOVERIES) }),
      graph('Mean time to restore (s)', byAlarm(OperationsMetric.TIME_TO_RESTORE, 'Average'), { view: cloudwatch.GraphWidgetView.TIME_SERIES }),
      graph('Runbook runs and failures', byValue(runbooks, OperationsMetric.RUNBOOK_RUNS, OperationsDimension.RUNBOOK, 'runs'),
        { right: byValue(runbooks, OperationsMetric.RUNBOOK_FAILURES, OperationsDimension.RUNBOOK, 'failed') }),
      graph('Game days passed and failed', byValue(experiments, OperationsMetric.GAME_DAYS_PASSED, OperationsDimension.EXPERIMENT_TEMPLATE, 'passed'),
        { right: byValue(experiments, OperationsMetric.GAME_DAYS_FAILED, OperationsDimension.EXPERIMENT_TEMPLATE, 'failed') }),
    ),
  ];
}
