import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { FIS_MAX_DURATION_SECONDS } from './faults';
import { OperationsHub } from '../hub/operations-hub';
import { StepResources } from '../runbooks/permissions';
import { Runbook } from '../runbooks/runbook';
import { BranchChoice, RunbookStep, RunbookValueType, StepFailureAction } from '../runbooks/step';

/** Namespace and name of the metric each game day publishes: 1 when it failed, 0 when it passed. */
export const GAME_DAY_METRIC = { namespace: 'cdk-opex/GameDays', metricName: 'GameDayFailed', dimension: 'ServiceName' };
/** Verdicts the game-day runbook records. */
export const GAME_DAY_VERDICTS = ['PASSED', 'NOT_DETECTED', 'DETECTED_LATE', 'RESPONSE_NOT_STARTED', 'STOPPED', 'API_ERROR'];
/** Longest the runbook waits for the health alarm after the start (a fault not seen by then is not detected). */
export const DETECTION_WAIT = Duration.minutes(30);
/** How long after the experiment ends the runbook gives EventBridge to start the response. */
export const RESPONSE_GRACE = Duration.seconds(60);

/** Target slots of the game-day runbook. */
export const TEMPLATE_SLOT = 'experimentTemplate';
export const EXPERIMENT_SLOT = 'experiment';
export const HEALTH_ALARM_SLOT = 'healthAlarm';

/**
 * Python that judges a game day from AWS's records: the first time the health alarm
 * entered ALARM after the start, against the promised detection time, and whether the
 * response runbook started after it. It calls no AWS API.
 */
const JUDGE_SCRIPT = `
import json
from datetime import datetime, timezone

def _time(value):
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    text = str(value).replace('Z', '+00:00')
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)

def judge(events, context):
    start = _time(events['StartTime'])
    limit = int(events['DetectionSeconds'])
    alarmed = []
    for item in events.get('AlarmHistory') or []:
        data = json.loads(item.get('HistoryData') or '{}')
        if data.get('newState', {}).get('stateValue') == 'ALARM':
            alarmed.append(_time(item['Timestamp']))
    alarmed = sorted(t for t in alarmed if t >= start)
    if not alarmed:
        return _verdict('NOT_DETECTED', -1, 'none', 'the health alarm did not enter ALARM after the start')
    after = int((alarmed[0] - start).total_seconds())
    if after > limit:
        return _verdict('DETECTED_LATE', after, 'none', f'the health alarm entered ALARM {after} s after the start; {limit} s promised')
    runs = sorted((r for r in events.get('ResponseRuns') or [] if _time(r['ExecutionStartTime']) >= alarmed[0]),
                  key=lambda r: _time(r['ExecutionStartTime']))
    if not runs:
        return _verdict('RESPONSE_NOT_STARTED', after, 'none', f'detected in {after} s (within {limit} s) but the response runbook did not start')
    run = runs[0]['AutomationExecutionId']
    return _verdict('PASSED', after, run, f'detected in {after} s (within {limit} s); response execution {run} started')

def _verdict(verdict, after, run, evidence):
    return {'Verdict': verdict, 'Failed': 0 if verdict == 'PASSED' else 1, 'DetectedAfterSeconds': after,
            'ResponseExecutionId': run, 'Evidence': evidence}
`;

/** Opens the OpsItem recording a verdict, then publishes the metric; the last step of its path. */
function recordSteps(name: string, verdict: string, evidence: string, failed: string | number): RunbookStep[] {
  return [
    RunbookStep.createOpsItem({
      name: `Record${name}`,
      description: 'Record the verdict and its evidence on an OpsItem.',
      title: `{{ ServiceName }} game day {{ Scenario }}: ${verdict}`,
      opsItemDescription: `Game day {{ Scenario }} of {{ ServiceName }} (experiment template {{ ExperimentTemplateId }}, execution {{ automation:EXECUTION_ID }}): ${evidence}`,
      source: 'cdk-opex',
      severity: '3',
      category: 'Availability',
      operationalData: { 'cdk-opex:verdict': verdict, 'cdk-opex:service': '{{ ServiceName }}', 'cdk-opex:scenario': '{{ Scenario }}' },
    }),
    RunbookStep.executeAwsApi({
      name: `Publish${name}`,
      description: `Publish ${GAME_DAY_METRIC.metricName}: 1 when the game day failed, 0 when it passed.`,
      service: 'cloudwatch',
      api: 'PutMetricData',
      inputs: {
        Namespace: GAME_DAY_METRIC.namespace,
        MetricData: [{
          MetricName: GAME_DAY_METRIC.metricName,
          Dimensions: [{ Name: GAME_DAY_METRIC.dimension, Value: '{{ ServiceName }}' }],
          Value: failed,
          Unit: 'Count',
        }],
      },
      isEnd: true,
    }),
  ];
}

/**
 * The game-day runbook: starts an FIS experiment, waits for the health alarm and for
 * the experiment to end, then verifies from AWS's records that the alarm entered ALARM
 * within the promised detection time and that the response runbook started; records
 * the verdict on an OpsItem and publishes a pass/fail metric. One document per stack.
 */
export function createGameDayRunbook(scope: Construct, id: string): Runbook {
  const toError = { onFailureStep: 'RecordApiError' };
  return new Runbook(scope, id, {
    description: 'cdk-opex: run a game day: start an FIS experiment, then verify from AWS\'s records that the service\'s health '
      + 'alarm entered ALARM within its detection time and that its response runbook started; record the verdict on an OpsItem '
      + `and publish ${GAME_DAY_METRIC.namespace} ${GAME_DAY_METRIC.metricName}.`,
    parameters: [
      { name: 'ExperimentTemplateId', description: 'FIS experiment template to run.' },
      { name: 'ServiceName', description: 'Service under test.' },
      { name: 'Scenario', description: 'Scenario name, for the verdict.' },
      { name: 'HealthAlarmName', description: 'The service\'s health (composite) alarm.' },
      { name: 'ResponseDocumentName', description: 'Runbook that must start when the health alarm fires.' },
      { name: 'DetectionSeconds', description: 'Promised seconds from the start to ALARM.', allowedPattern: '^[0-9]{1,6}$' },
    ],
    steps: [
      RunbookStep.executeAwsApi({
        name: 'StartExperiment',
        description: 'Start the FIS experiment (idempotent per execution).',
        service: 'fis',
        api: 'StartExperiment',
        inputs: { experimentTemplateId: '{{ ExperimentTemplateId }}', clientToken: '{{ automation:EXECUTION_ID }}' },
        outputs: [{ name: 'ExperimentId', selector: '$.experiment.id' }, { name: 'StartTime', selector: '$.experiment.startTime' }],
        resources: StepResources.target(TEMPLATE_SLOT),
        permissions: [{ actions: ['fis:StartExperiment'], resources: StepResources.target(EXPERIMENT_SLOT) }],
        ...toError,
      }),
      RunbookStep.waitForAwsResourceProperty({
        name: 'WaitForDetection',
        description: `Wait up to ${DETECTION_WAIT.toMinutes()} minutes for the health alarm; going on without it is judged below.`,
        service: 'cloudwatch',
        api: 'DescribeAlarms',
        inputs: { AlarmNames: ['{{ HealthAlarmName }}'], AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] },
        propertySelector: '$.CompositeAlarms[0].StateValue',
        desiredValues: ['ALARM'],
        resources: StepResources.target(HEALTH_ALARM_SLOT),
        timeout: DETECTION_WAIT,
        onFailure: StepFailureAction.CONTINUE,
      }),
      RunbookStep.waitForAwsResourceProperty({
        name: 'WaitForExperimentEnd',
        description: 'Wait until FIS ends the experiment.',
        service: 'fis',
        api: 'GetExperiment',
        inputs: { id: '{{ StartExperiment.ExperimentId }}' },
        propertySelector: '$.experiment.state.status',
        desiredValues: ['completed', 'stopped', 'failed', 'cancelled'],
        resources: StepResources.target(EXPERIMENT_SLOT),
        timeout: Duration.seconds(FIS_MAX_DURATION_SECONDS + 900),
        ...toError,
      }),
      RunbookStep.executeAwsApi({
        name: 'ReadExperiment',
        description: 'How the experiment ended, and why.',
        service: 'fis',
        api: 'GetExperiment',
        inputs: { id: '{{ StartExperiment.ExperimentId }}' },
        outputs: [{ name: 'Status', selector: '$.experiment.state.status' }, { name: 'Reason', selector: '$.experiment.state.reason' }],
        resources: StepResources.target(EXPERIMENT_SLOT),
        ...toError,
      }),
      RunbookStep.branch({
        name: 'CheckOutcome',
        description: 'A completed experiment is judged; a stopped one (its guard alarm, or an operator) is recorded as stopped.',
        choices: [
          BranchChoice.stringEquals('{{ ReadExperiment.Status }}', 'completed', 'WaitForResponse'),
          BranchChoice.stringEquals('{{ ReadExperiment.Status }}', 'stopped', 'RecordStopped'),
        ],
        defaultStep: 'RecordApiError',
      }),
      RunbookStep.sleep({ name: 'WaitForResponse', description: 'Give EventBridge time to start the response runbook.', duration: RESPONSE_GRACE }),
      RunbookStep.executeAwsApi({
        name: 'ReadAlarmHistory',
        description: 'The health alarm\'s state changes since the start, from CloudWatch.',
        service: 'cloudwatch',
        api: 'DescribeAlarmHistory',
        inputs: {
          AlarmName: '{{ HealthAlarmName }}',
          AlarmTypes: ['CompositeAlarm', 'MetricAlarm'],
          HistoryItemType: 'StateUpdate',
          StartDate: '{{ StartExperiment.StartTime }}',
          ScanBy: 'TimestampAscending',
          MaxRecords: 100,
        },
        outputs: [{ name: 'Items', selector: '$.AlarmHistoryItems', valueType: RunbookValueType.MAP_LIST }],
        resources: StepResources.target(HEALTH_ALARM_SLOT),
        ...toError,
      }),
      RunbookStep.executeAwsApi({
        name: 'ReadResponseRuns',
        description: 'Executions of the response runbook since the start, from Systems Manager.',
        service: 'ssm',
        api: 'DescribeAutomationExecutions',
        inputs: {
          Filters: [
            { Key: 'DocumentNamePrefix', Values: ['{{ ResponseDocumentName }}'] },
            { Key: 'StartTimeAfter', Values: ['{{ StartExperiment.StartTime }}'] },
          ],
          MaxResults: 50,
        },
        outputs: [{ name: 'Runs', selector: '$.AutomationExecutionMetadataList', valueType: RunbookValueType.MAP_LIST }],
        ...toError,
      }),
      RunbookStep.executeScript({
        name: 'Judge',
        description: 'Compare the first ALARM with the promised detection time, and the response runs with it.',
        handler: 'judge',
        script: JUDGE_SCRIPT,
        inputs: {
          StartTime: '{{ StartExperiment.StartTime }}',
          DetectionSeconds: '{{ DetectionSeconds }}',
          AlarmHistory: '{{ ReadAlarmHistory.Items }}',
          ResponseRuns: '{{ ReadResponseRuns.Runs }}',
        },
        outputs: [
          { name: 'Verdict', selector: '$.Payload.Verdict' },
          { name: 'Failed', selector: '$.Payload.Failed', valueType: RunbookValueType.INTEGER },
          { name: 'DetectedAfterSeconds', selector: '$.Payload.DetectedAfterSeconds', valueType: RunbookValueType.INTEGER },
          { name: 'ResponseExecutionId', selector: '$.Payload.ResponseExecutionId' },
          { name: 'Evidence', selector: '$.Payload.Evidence' },
        ],
      }),
      ...recordSteps('Verdict', '{{ Judge.Verdict }}', '{{ Judge.Evidence }}.', '{{ Judge.Failed }}'),
      ...recordSteps('Stopped', 'STOPPED', 'the experiment was stopped before it ended ({{ ReadExperiment.Reason }}); '
        + 'a guard alarm saw users hurt beyond the injected fault, or an operator stopped it. Nothing was verified.', 1),
      ...recordSteps('ApiError', 'API_ERROR', 'a call to FIS, CloudWatch or Systems Manager failed, or the experiment failed; '
        + 'see the execution\'s steps. Nothing was verified.', 1),
    ],
    outputs: ['StartExperiment.ExperimentId', 'Judge.Verdict', 'Judge.Evidence', 'Judge.DetectedAfterSeconds', 'RecordVerdict.OpsItemId'],
  });
}

/** The stack's one game-day runbook. */
export function gameDayRunbook(scope: IConstruct): Runbook {
  return OperationsHub.of(scope)._shared('GameDay', createGameDayRunbook);
}

/** Lets the game-day runbook run these experiment templates and read this health alarm. */
export function allowGameDay(runbook: Runbook, templateIds: string[], healthAlarmArn: string): void {
  const stack = Stack.of(runbook);
  const fis = (resource: string, resourceName: string) => stack.formatArn({ service: 'fis', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  runbook.allowOn(TEMPLATE_SLOT, templateIds.map((t) => fis('experiment-template', t)));
  runbook.allowOn(EXPERIMENT_SLOT, [fis('experiment', '*')], {
    wildcardReason: 'FIS names an experiment when it starts; the pattern is the experiments of this account and Region, and '
      + 'only the templates this runbook may start create them.',
  });
  runbook.allowOn(HEALTH_ALARM_SLOT, [healthAlarmArn]);
}
