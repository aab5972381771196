/**
 * The Python (SSM-managed `aws:executeScript`, no Lambda) that collects an incident's
 * timeline. `build_timeline` is pure (AWS's answers in, the timeline out) so it is tested
 * without AWS; `handler` makes the calls, all read-only, on this stack's resources.
 */
export const TIMELINE_SCRIPT = `
import json
from datetime import datetime, timedelta, timezone

LOOKBACK = timedelta(hours=1)


def parse_time(text):
    if isinstance(text, datetime):
        return text if text.tzinfo else text.replace(tzinfo=timezone.utc)
    text = str(text).replace('Z', '+00:00')
    if len(text) > 5 and text[-5] in '+-' and text[-3] != ':':
        text = text[:-2] + ':' + text[-2:]
    return datetime.fromisoformat(text)


def build_timeline(alarm_name, alarmed_at, recovered_at, history, deployments, executions):
    """history: [{AlarmName, Timestamp, HistoryData}], deployments: [{id, status, createTime, endTime, rollback}],
    executions: [{DocumentName, AutomationExecutionStatus, ExecutionStartTime}]"""
    alarmed, recovered = parse_time(alarmed_at), parse_time(recovered_at)
    entries, impact = [], alarmed
    for item in history:
        data = json.loads(item.get('HistoryData') or '{}')
        new_state = (data.get('newState') or {}).get('stateValue')
        at = parse_time(item['Timestamp'])
        entries.append((at, '%s -> %s' % (item['AlarmName'], new_state)))
        reason = (data.get('newState') or {}).get('stateReasonData') or {}
        if new_state == 'ALARM' and reason.get('startDate'):
            impact = min(impact, parse_time(reason['startDate']))
    rolled_back = False
    for d in deployments:
        entries.append((parse_time(d['createTime']), 'deployment %s %s%s' % (d['id'], d['status'], ' (rolled back)' if d.get('rollback') else '')))
        rolled_back = rolled_back or bool(d.get('rollback')) or d['status'] in ('Failed', 'Stopped', 'FAILED')
    for e in executions:
        entries.append((parse_time(e['ExecutionStartTime']), 'runbook %s %s' % (e['DocumentName'], e['AutomationExecutionStatus'])))
    entries.sort(key=lambda x: x[0])
    lines = ['- %s %s' % (at.strftime('%Y-%m-%dT%H:%M:%SZ'), text) for at, text in entries]
    detect = int((alarmed - impact).total_seconds())
    restore = int((recovered - alarmed).total_seconds())
    summary = '%s: detected %ss after impact began, restored %ss after the page; %d deployments in the window%s.' % (
        alarm_name, detect, restore, len(deployments), ', one rolled back' if rolled_back else '')
    return {
        'Timeline': '\\n'.join([summary, ''] + lines)[:4000],
        'TimeToDetectSeconds': detect,
        'TimeToRestoreSeconds': restore,
        'RolledBack': rolled_back,
        'DeploymentCount': len(deployments),
    }


def handler(events, context):
    import boto3
    service = events['Services'].get(events['AlarmName'], {})
    alarmed, recovered = parse_time(events['AlarmedAt']), parse_time(events['RecoveredAt'])
    start = alarmed - LOOKBACK
    cw = boto3.client('cloudwatch')
    names = [a['AlarmName'] for kind in ('MetricAlarms', 'CompositeAlarms')
             for a in cw.describe_alarms(AlarmNamePrefix=service.get('alarmPrefix', events['AlarmName']), AlarmTypes=['MetricAlarm', 'CompositeAlarm'])[kind]]
    history = []
    for name in names:
        history += cw.describe_alarm_history(AlarmName=name, HistoryItemType='StateUpdate', StartDate=start, EndDate=recovered)['AlarmHistoryItems']
    deployments = []
    if service.get('deploymentGroup'):
        cd = boto3.client('codedeploy')
        ids = cd.list_deployments(applicationName=service['application'], deploymentGroupName=service['deploymentGroup'],
                                  createTimeRange={'start': start, 'end': recovered}).get('deployments', [])
        for i in ids:
            info = cd.get_deployment(deploymentId=i)['deploymentInfo']
            deployments.append({'id': i, 'status': info['status'], 'createTime': info['createTime'], 'rollback': bool(info.get('rollbackInfo'))})
    if service.get('ecsService'):
        arn = service['ecsService']
        cluster = arn.split(':service/')[1].split('/')[0]
        for s in boto3.client('ecs').describe_services(cluster=cluster, services=[arn])['services']:
            for d in s.get('deployments', []):
                if start <= parse_time(d['createdAt']) <= recovered:
                    deployments.append({'id': d['id'], 'status': d.get('rolloutState', d['status']), 'createTime': d['createdAt'], 'rollback': False})
    ssm = boto3.client('ssm')
    executions = [e for e in ssm.describe_automation_executions(Filters=[{'Key': 'StartTimeAfter', 'Values': [start.strftime('%Y-%m-%dT%H:%M:%SZ')]}])['AutomationExecutionMetadataList']
                  if e.get('DocumentName') in events['Documents'] and parse_time(e['ExecutionStartTime']) <= recovered]
    result = build_timeline(events['AlarmName'], events['AlarmedAt'], events['RecoveredAt'], history, deployments, executions)
    found = []
    for dedup in service.get('dedupStrings', []):
        found += ssm.describe_ops_items(OpsItemFilters=[{'Key': 'OperationalDataValue', 'Values': [dedup], 'Operator': 'Contains'},
                                                         {'Key': 'Status', 'Values': ['Open', 'InProgress'], 'Operator': 'Equal'}])['OpsItemSummaries']
    result['OpsItemId'] = found[0]['OpsItemId'] if found else ''
    result['DedupString'] = (service.get('dedupStrings') or ['cdk-opex:' + events['AlarmName']])[0]
    return result
`;
