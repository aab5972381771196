import { Construct } from 'constructs';
import { CLUSTER_SLOT, SERVICE_SLOT, TASKS_SLOT } from './ecs';
import { StepResources } from '../permissions';
import { Runbook } from '../runbook';
import { RunbookStep, RunbookValueType } from '../step';

/** Target slot: the log group the service's containers write to. */
export const ECS_LOG_GROUP_SLOT = 'containerLogs';

/** How far back the runbook looks for errors in the service's logs. */
const LOOKBACK_MINUTES = 15;

const COLLECT_SCRIPT = `
import time
import boto3

def clip(lines, limit=900):
    text = '\\n'.join(lines)
    return text if len(text) <= limit else text[:limit] + ' ...'

def collect(events, context):
    ecs = boto3.client('ecs')
    logs = boto3.client('logs')
    cluster, service = events['Cluster'], events['Service']
    svc = ecs.describe_services(cluster=cluster, services=[service])['services'][0]
    revision = lambda arn: arn.split('/')[-1]
    deployments = ['{} {} {}: {}/{} tasks {}'.format(d.get('status'), d.get('rolloutState', ''), revision(d['taskDefinition']),
                   d.get('runningCount', 0), d.get('desiredCount', 0), d.get('rolloutStateReason', '')) for d in svc.get('deployments', [])]
    revisions = sorted({revision(d['taskDefinition']) for d in svc.get('deployments', [])} | {revision(svc['taskDefinition'])})
    recent = ['{}: {}'.format(e['createdAt'], e['message']) for e in svc.get('events', [])[:10]]
    arns = ecs.list_tasks(cluster=cluster, serviceName=service, desiredStatus='STOPPED')['taskArns']
    tasks = ecs.describe_tasks(cluster=cluster, tasks=arns[:100])['tasks'] if arns else []
    reasons = {}
    for task in tasks:
        exits = ', '.join('{} exit {}'.format(c['name'], c.get('exitCode', '-')) for c in task.get('containers', []) if c.get('exitCode'))
        reason = '{} ({}): {}{}'.format(task.get('stopCode', 'unknown'), revision(task['taskDefinitionArn']),
                                        task.get('stoppedReason', 'no reason given'), ' [' + exits + ']' if exits else '')
        reasons[reason] = reasons.get(reason, 0) + 1
    stopped = ['{} x {}'.format(n, r) for r, n in sorted(reasons.items(), key=lambda item: -item[1])]
    since = int((time.time() - ${LOOKBACK_MINUTES} * 60) * 1000)
    try:
        found = logs.filter_log_events(logGroupName=events['LogGroupName'], startTime=since, limit=50,
                                       filterPattern='?ERROR ?Error ?Exception ?FATAL ?panic')['events']
        errors = [e['message'].strip()[:300] for e in found]
    except logs.exceptions.ResourceNotFoundException:
        errors = []
    return {
        'TaskDefinition': revision(svc['taskDefinition']),
        'Revisions': ', '.join(revisions),
        'Deployments': clip(deployments) or 'none',
        'Events': clip(recent) or 'none',
        'StoppedCount': len(tasks),
        'StoppedTasks': clip(stopped) or 'no stopped tasks',
        'RecentErrorCount': len(errors),
        'RecentErrors': clip(errors[-10:]) or 'none in the last ${LOOKBACK_MINUTES} minutes',
    }
`;

/**
 * Gathers what a responder asks first when an ECS service is unhealthy (why tasks
 * stopped, with stop codes; the service's deployments and events; its task definition
 * revisions; recent errors in its logs) and records it on an OpsItem. Read-only.
 */
export function createEcsDiagnosticsRunbook(scope: Construct, id: string): Runbook {
  const out = (name: string, valueType?: RunbookValueType) => ({ name, selector: `$.Payload.${name}`, valueType });
  return new Runbook(scope, id, {
    description: 'cdk-opex: gather diagnostics for an unhealthy ECS service (stopped tasks with stop codes, deployments, service events, '
      + `task definition revisions, errors logged in the last ${LOOKBACK_MINUTES} minutes) and record them on an OpsItem.`,
    parameters: [
      { name: 'Cluster', description: 'Name or ARN of the cluster.' },
      { name: 'Service', description: 'Name of the service.' },
      { name: 'LogGroupName', description: 'Log group the service\'s containers write to.' },
      { name: 'ServiceName', description: 'Service as cdk-opex names it (its `service` tag).' },
      { name: 'Trigger', description: 'What started this runbook (an alarm, or an ECS event).', defaultValue: 'manual start' },
    ],
    steps: [
      RunbookStep.executeScript({
        name: 'CollectDiagnostics',
        description: 'Stopped tasks, deployments, events, revisions and recent errors from the logs.',
        handler: 'collect',
        script: COLLECT_SCRIPT,
        inputs: { Cluster: '{{ Cluster }}', Service: '{{ Service }}', LogGroupName: '{{ LogGroupName }}' },
        outputs: [
          out('TaskDefinition'), out('Revisions'), out('Deployments'), out('Events'), out('StoppedCount', RunbookValueType.INTEGER),
          out('StoppedTasks'), out('RecentErrorCount', RunbookValueType.INTEGER), out('RecentErrors'),
        ],
        permissions: [
          { actions: ['ecs:DescribeServices'], resources: StepResources.target(SERVICE_SLOT) },
          // ListTasks authorizes on container instances, which Fargate tasks have none of; ecs:cluster scopes the request.
          { actions: ['ecs:ListTasks'], resources: StepResources.anyWhere('ecs:cluster', CLUSTER_SLOT) },
          { actions: ['ecs:DescribeTasks'], resources: StepResources.target(TASKS_SLOT) },
          { actions: ['logs:FilterLogEvents'], resources: StepResources.target(ECS_LOG_GROUP_SLOT) },
        ],
      }),
      RunbookStep.createOpsItem({
        name: 'RecordOpsItem',
        description: 'Open an OpsItem carrying the diagnostics; repeated triggers add to the same one.',
        title: '{{ ServiceName }} is unhealthy ({{ Trigger }})',
        opsItemDescription: [
          '{{ Trigger }}: ECS service {{ Service }} in {{ Cluster }} runs {{ CollectDiagnostics.TaskDefinition }} '
            + '(revisions in its deployments: {{ CollectDiagnostics.Revisions }}).',
          '{{ CollectDiagnostics.StoppedCount }} recently stopped tasks:\n{{ CollectDiagnostics.StoppedTasks }}',
          `Errors logged in the last ${LOOKBACK_MINUTES} minutes: {{ CollectDiagnostics.RecentErrorCount }}.`,
        ].join('\n'),
        dedupString: 'cdk-opex:{{ Cluster }}:{{ Service }}:unhealthy',
        operationalData: {
          'cdk-opex:service': '{{ Service }}',
          'cdk-opex:task-definition': '{{ CollectDiagnostics.TaskDefinition }}',
          'cdk-opex:deployments': '{{ CollectDiagnostics.Deployments }}',
          'cdk-opex:events': '{{ CollectDiagnostics.Events }}',
          'cdk-opex:recent-errors': '{{ CollectDiagnostics.RecentErrors }}',
        },
      }),
    ],
    outputs: ['RecordOpsItem.OpsItemId', 'CollectDiagnostics.TaskDefinition', 'CollectDiagnostics.StoppedTasks'],
  });
}
