import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** Where an event in the operations log comes from: decides which rule routes it and which filters count it. */
export enum OperationsEventSource {
  /** CodeDeploy deployment state changes (Lambda rollouts). */
  CODEDEPLOY = 'CODEDEPLOY',
  /** ECS service deployment state changes. */
  ECS = 'ECS',
  /** State changes of the stack's composite (health) alarms. */
  ALARMS = 'ALARMS',
  /** Status changes of Automation executions of the stack's runbooks. */
  RUNBOOKS = 'RUNBOOKS',
  /** FIS experiment state changes (game days). */
  EXPERIMENTS = 'EXPERIMENTS',
}

/** Names of the operations-health metrics the operations log's metric filters publish. */
export enum OperationsMetric {
  /** Finished CodeDeploy or ECS deployments (succeeded, failed or stopped). */
  DEPLOYMENTS = 'Deployments',
  /** Deployments that failed, were stopped or rolled back. */
  FAILED_DEPLOYMENTS = 'FailedDeployments',
  /** A health alarm entering ALARM: a page. */
  PAGES = 'Pages',
  /** A health alarm returning from ALARM to OK. */
  RECOVERIES = 'Recoveries',
  /** Finished Automation executions of a runbook. */
  RUNBOOK_RUNS = 'RunbookRuns',
  /** Automation executions that failed or timed out. */
  RUNBOOK_FAILURES = 'RunbookFailures',
  /** FIS experiments that completed: the game day ran to its end. */
  GAME_DAYS_PASSED = 'GameDaysPassed',
  /** FIS experiments that failed or were stopped (a stop condition fired). */
  GAME_DAYS_FAILED = 'GameDaysFailed',
  /** Seconds from a page to recovery, published by the incident timeline. */
  TIME_TO_RESTORE = 'TimeToRestore',
}

/** Dimension names of the operations-health metrics, one per source. */
export enum OperationsDimension {
  /** CodeDeploy deployment group name (unique in the stack's one CodeDeploy application). */
  DEPLOYMENT_GROUP = 'DeploymentGroup',
  /** ECS service ARN. */
  ECS_SERVICE = 'EcsService',
  /** Alarm name. */
  ALARM = 'Alarm',
  /** Automation document name. */
  RUNBOOK = 'Runbook',
  /** FIS experiment template id. */
  EXPERIMENT_TEMPLATE = 'ExperimentTemplate',
}

/** Where a service's deployments are counted: the dimension and its value (a deployment group's name, an ECS service's ARN). */
export interface DeploymentTarget {
  /** The dimension deployments are counted by. */
  readonly dimension: OperationsDimension;
  /** Its value. */
  readonly value: string;
}

/** A service routed to the operations log, for its line on the operations-health row. */
export interface LoggedService {
  /** The service's name. */
  readonly serviceName: string;
  /** Name of its health alarm: pages and recoveries are counted by it. */
  readonly healthAlarmName: string;
  /** Where its deployments are counted. */
  readonly deployments: DeploymentTarget[];
}

/** One metric filter of the operations log: which events it counts and the field its one dimension is taken from. */
export interface OperationsFilter {
  readonly id: string;
  readonly source: OperationsEventSource;
  readonly metric: OperationsMetric;
  /** CloudWatch Logs JSON filter pattern, tested against the events as EventBridge writes them. */
  readonly pattern: string;
  readonly dimension: OperationsDimension;
  /** JSON selector of the dimension's value in the event. */
  readonly dimensionField: string;
}

const anyOf = (field: string, values: string[]): string => `(${values.map((v) => `(${field} = "${v}")`).join(' || ')})`;
const from = (source: string, detailType?: string): string =>
  `($.source = "${source}")${detailType ? ` && ($.detail-type = "${detailType}")` : ''}`;
const AUTOMATION_EXECUTION = 'EC2 Automation Execution Status-change Notification';

const CODEDEPLOY_DONE = ['SUCCESS', 'FAILURE', 'STOP'];
const CODEDEPLOY_FAILED = ['FAILURE', 'STOP'];
const ECS_DONE = ['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_DEPLOYMENT_FAILED'];
const AUTOMATION_DONE = ['Success', 'Failed', 'TimedOut', 'Cancelled'];
const AUTOMATION_FAILED = ['Failed', 'TimedOut'];

/**
 * The operations log's metric filters: one per metric and source, per stack. Each takes
 * its dimension from a field of the event, so a stack's services share them: adding a
 * service adds no filter.
 */
export const OPERATIONS_FILTERS: OperationsFilter[] = [
  {
    id: 'CodeDeployDeployments',
    source: OperationsEventSource.CODEDEPLOY,
    metric: OperationsMetric.DEPLOYMENTS,
    pattern: `{ ${from('aws.codedeploy')} && ${anyOf('$.detail.state', CODEDEPLOY_DONE)} }`,
    dimension: OperationsDimension.DEPLOYMENT_GROUP,
    dimensionField: '$.detail.deploymentGroup',
  },
  {
    id: 'CodeDeployFailedDeployments',
    source: OperationsEventSource.CODEDEPLOY,
    metric: OperationsMetric.FAILED_DEPLOYMENTS,
    pattern: `{ ${from('aws.codedeploy')} && ${anyOf('$.detail.state', CODEDEPLOY_FAILED)} }`,
    dimension: OperationsDimension.DEPLOYMENT_GROUP,
    dimensionField: '$.detail.deploymentGroup',
  },
  {
    id: 'EcsDeployments',
    source: OperationsEventSource.ECS,
    metric: OperationsMetric.DEPLOYMENTS,
    pattern: `{ ${from('aws.ecs')} && ${anyOf('$.detail.eventName', ECS_DONE)} }`,
    dimension: OperationsDimension.ECS_SERVICE,
    dimensionField: '$.resources[0]',
  },
  {
    id: 'EcsFailedDeployments',
    source: OperationsEventSource.ECS,
    metric: OperationsMetric.FAILED_DEPLOYMENTS,
    pattern: `{ ${from('aws.ecs')} && ($.detail.eventName = "SERVICE_DEPLOYMENT_FAILED") }`,
    dimension: OperationsDimension.ECS_SERVICE,
    dimensionField: '$.resources[0]',
  },
  {
    id: 'Pages',
    source: OperationsEventSource.ALARMS,
    metric: OperationsMetric.PAGES,
    pattern: `{ ${from('aws.cloudwatch')} && ($.detail.state.value = "ALARM") }`,
    dimension: OperationsDimension.ALARM,
    dimensionField: '$.detail.alarmName',
  },
  {
    id: 'Recoveries',
    source: OperationsEventSource.ALARMS,
    metric: OperationsMetric.RECOVERIES,
    pattern: `{ ${from('aws.cloudwatch')} && ($.detail.state.value = "OK") && ($.detail.previousState.value = "ALARM") }`,
    dimension: OperationsDimension.ALARM,
    dimensionField: '$.detail.alarmName',
  },
  {
    id: 'RunbookRuns',
    source: OperationsEventSource.RUNBOOKS,
    metric: OperationsMetric.RUNBOOK_RUNS,
    pattern: `{ ${from('aws.ssm', AUTOMATION_EXECUTION)} && ${anyOf('$.detail.Status', AUTOMATION_DONE)} }`,
    dimension: OperationsDimension.RUNBOOK,
    dimensionField: '$.detail.Definition',
  },
  {
    id: 'RunbookFailures',
    source: OperationsEventSource.RUNBOOKS,
    metric: OperationsMetric.RUNBOOK_FAILURES,
    pattern: `{ ${from('aws.ssm', AUTOMATION_EXECUTION)} && ${anyOf('$.detail.Status', AUTOMATION_FAILED)} }`,
    dimension: OperationsDimension.RUNBOOK,
    dimensionField: '$.detail.Definition',
  },
  {
    id: 'GameDaysPassed',
    source: OperationsEventSource.EXPERIMENTS,
    metric: OperationsMetric.GAME_DAYS_PASSED,
    pattern: `{ ${from('aws.fis')} && ($.detail.new-state.status = "completed") }`,
    dimension: OperationsDimension.EXPERIMENT_TEMPLATE,
    dimensionField: '$.detail.experiment-template-id',
  },
  {
    id: 'GameDaysFailed',
    source: OperationsEventSource.EXPERIMENTS,
    metric: OperationsMetric.GAME_DAYS_FAILED,
    pattern: `{ ${from('aws.fis')} && ${anyOf('$.detail.new-state.status', ['failed', 'stopped'])} }`,
    dimension: OperationsDimension.EXPERIMENT_TEMPLATE,
    dimensionField: '$.detail.experiment-template-id',
  },
];

/** The period operations-health figures are summed over on the dashboard: a day. */
export const OPERATIONS_PERIOD = Duration.days(1);

/** An operations-health metric of one dimension value (a deployment group, an alarm, a runbook...). */
export function operationsMetric(namespace: string, metric: OperationsMetric, dimension: OperationsDimension, value: string,
  options: { readonly label?: string; readonly statistic?: string } = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace,
    metricName: metric,
    dimensionsMap: { [dimension]: value },
    statistic: options.statistic ?? 'Sum',
    period: OPERATIONS_PERIOD,
    label: options.label,
  });
}

/**
 * Change failure rate in percent: failed over finished deployments, summed over the
 * given metrics (one pair per deployment target); 0 when nothing was deployed.
 */
export function changeFailureRate(deployments: cloudwatch.IMetric[], failed: cloudwatch.IMetric[], label = 'Change failure rate (%)',
  idPrefix = ''): cloudwatch.MathExpression {
  if (deployments.length === 0 || deployments.length !== failed.length) {
    throw new Error('changeFailureRate: give one failed-deployments metric per deployments metric, at least one');
  }
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  deployments.forEach((m, i) => { usingMetrics[`${idPrefix}d${i}`] = m; });
  failed.forEach((m, i) => { usingMetrics[`${idPrefix}f${i}`] = m; });
  const sum = (prefix: string): string => deployments.map((_, i) => `FILL(${idPrefix}${prefix}${i}, 0)`).join(' + ');
  return new cloudwatch.MathExpression({
    expression: `IF((${sum('d')}) > 0, 100 * (${sum('f')}) / (${sum('d')}), 0)`,
    usingMetrics,
    label,
    period: OPERATIONS_PERIOD,
  });
}
