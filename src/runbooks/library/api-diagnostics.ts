import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Construct } from 'constructs';
import { logGroupArn } from './lambda-diagnostics';
import { acknowledgeWildcardResource } from '../../core/nag';
import { StepResources } from '../permissions';
import { Runbook } from '../runbook';
import { RunbookStep, RunbookValueType, StepFailureAction } from '../step';

/** Target slots: the stage, its access log group, and the health alarms the runbook reads. */
export const STAGE_SLOT = 'stage';
export const ACCESS_LOG_SLOT = 'accessLogs';
export const ALARMS_SLOT = 'healthAlarms';

/** How far back the runbook looks for 5XX in the access logs. */
const LOOKBACK_MINUTES = 15;

/** One JSON object per request (valid JSON, so structured-logging checks and Logs Insights read it). */
export const API_ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integration.error',
  errorMessage: '$context.error.message',
});

/** The recent server errors, newest first. */
export const RECENT_5XX_QUERY = 'fields @timestamp, status, httpMethod, resourcePath, integrationStatus, integrationError, errorMessage, requestId'
  + ' | filter status like /^5\\d\\d$/ | sort @timestamp desc | limit 20';

const STAGE_SCRIPT = `
import time
import boto3

def describe(events, context):
    stage = boto3.client('apigateway').get_stage(restApiId=events['RestApiId'], stageName=events['StageName'])
    methods = stage.get('methodSettings', {}).get('*/*', {})
    now = int(time.time())
    return {
        'DeploymentId': stage.get('deploymentId', 'unknown'),
        'Settings': 'deployment {}; tracing {}; cache {}; execution logging {}; throttling {} rps, {} burst'.format(
            stage.get('deploymentId', 'unknown'), 'on' if stage.get('tracingEnabled') else 'off',
            'on' if stage.get('cacheClusterEnabled') else 'off', methods.get('loggingLevel', 'OFF'),
            methods.get('throttlingRateLimit', 'account default'), methods.get('throttlingBurstLimit', 'account default')),
        'StartTime': now - ${LOOKBACK_MINUTES} * 60,
        'EndTime': now,
    }
`;

const SUMMARY_SCRIPT = `
import boto3

def summarize(events, context):
    result = boto3.client('logs').get_query_results(queryId=events['QueryId'])
    rows = [{f['field']: f['value'] for f in row} for row in result.get('results', [])]
    lines = ['{} {} {} {} {}'.format(r.get('@timestamp', ''), r.get('status', ''), r.get('httpMethod', ''),
             r.get('resourcePath', ''), r.get('integrationError') or r.get('errorMessage') or '') for r in rows]
    failing = [a['AlarmName'] for a in events.get('Alarms') or [] if a.get('StateValue') == 'ALARM']
    return {
        'QueryStatus': result.get('status', 'Unknown'),
        'Recent5xxCount': len(rows),
        'Recent5xx': '\\n'.join(lines) or 'none in the last ${LOOKBACK_MINUTES} minutes',
        'UnhealthyAlarms': ', '.join(failing) or 'none',
    }
`;

const GET_QUERY_RESULTS_REASON = 'logs:GetQueryResults has no resource-level permission (a query id names no resource); '
  + 'the queries it reads are the ones this role started with logs:StartQuery, which is scoped to the access log groups.';

/**
 * Gathers what a responder asks first when an API is unhealthy (the stage's settings,
 * the recent 5XX from its access logs, which health alarms are in ALARM) and records it
 * on an OpsItem. Read-only.
 */
export function createApiDiagnosticsRunbook(scope: Construct, id: string): Runbook {
  const runbook = new Runbook(scope, id, {
    description: 'cdk-opex: gather diagnostics for an unhealthy API Gateway REST API stage (settings, the 5XX logged in the last '
      + `${LOOKBACK_MINUTES} minutes, the health of the API and its backends) and record them on an OpsItem.`,
    parameters: [
      { name: 'RestApiId', description: 'Id of the REST API.' },
      { name: 'StageName', description: 'Name of the stage.' },
      { name: 'LogGroupName', description: 'Log group the stage writes its access logs to.' },
      { name: 'HealthAlarmNames', valueType: RunbookValueType.STRING_LIST, description: 'Health alarms of the API and its backends.' },
      { name: 'ServiceName', description: 'Service the API belongs to.' },
      { name: 'AlarmName', description: 'Alarm that started this runbook.', defaultValue: 'manual start' },
    ],
    steps: [
      RunbookStep.executeScript({
        name: 'DescribeStage',
        description: 'The stage\'s deployment, tracing, cache, logging and throttling; and the window to search the logs in.',
        handler: 'describe',
        script: STAGE_SCRIPT,
        inputs: { RestApiId: '{{ RestApiId }}', StageName: '{{ StageName }}' },
        outputs: [
          { name: 'DeploymentId', selector: '$.Payload.DeploymentId' },
          { name: 'Settings', selector: '$.Payload.Settings' },
          { name: 'StartTime', selector: '$.Payload.StartTime', valueType: RunbookValueType.INTEGER },
          { name: 'EndTime', selector: '$.Payload.EndTime', valueType: RunbookValueType.INTEGER },
        ],
        // API Gateway's IAM actions are HTTP verbs on resource paths: GetStage is apigateway:GET on the stage.
        permissions: [{ actions: ['apigateway:GET'], resources: StepResources.target(STAGE_SLOT) }],
      }),
      RunbookStep.executeAwsApi({
        name: 'StartQuery',
        description: 'Start a Logs Insights query for the recent 5XX in the access logs.',
        service: 'logs',
        api: 'StartQuery',
        inputs: {
          logGroupName: '{{ LogGroupName }}',
          startTime: '{{ DescribeStage.StartTime }}',
          endTime: '{{ DescribeStage.EndTime }}',
          queryString: RECENT_5XX_QUERY,
          limit: 20,
        },
        outputs: [{ name: 'QueryId', selector: '$.queryId' }],
        resources: StepResources.target(ACCESS_LOG_SLOT),
      }),
      RunbookStep.waitForAwsResourceProperty({
        name: 'WaitForQuery',
        description: 'Wait until the query is Complete; if it is not within 5 minutes, record what there is.',
        service: 'logs',
        api: 'GetQueryResults',
        inputs: { queryId: '{{ StartQuery.QueryId }}' },
        propertySelector: '$.status',
        desiredValues: ['Complete'],
        timeout: Duration.minutes(5),
        onFailure: StepFailureAction.CONTINUE,
        resources: StepResources.arns('*'),
      }),
      RunbookStep.executeAwsApi({
        name: 'DescribeHealth',
        description: 'State of the API\'s health alarm and its backends\'.',
        service: 'cloudwatch',
        api: 'DescribeAlarms',
        inputs: { AlarmNames: '{{ HealthAlarmNames }}', AlarmTypes: ['CompositeAlarm', 'MetricAlarm'] },
        outputs: [{ name: 'Alarms', selector: '$.CompositeAlarms', valueType: RunbookValueType.MAP_LIST }],
        resources: StepResources.target(ALARMS_SLOT),
      }),
      RunbookStep.executeScript({
        name: 'Summarize',
        description: 'The 5XX the query found, and which health alarms are in ALARM.',
        handler: 'summarize',
        script: SUMMARY_SCRIPT,
        inputs: { QueryId: '{{ StartQuery.QueryId }}', Alarms: '{{ DescribeHealth.Alarms }}' },
        outputs: [
          { name: 'QueryStatus', selector: '$.Payload.QueryStatus' },
          { name: 'Recent5xxCount', selector: '$.Payload.Recent5xxCount', valueType: RunbookValueType.INTEGER },
          { name: 'Recent5xx', selector: '$.Payload.Recent5xx' },
          { name: 'UnhealthyAlarms', selector: '$.Payload.UnhealthyAlarms' },
        ],
        permissions: [{ actions: ['logs:GetQueryResults'], resources: StepResources.arns('*') }],
      }),
      RunbookStep.createOpsItem({
        name: 'RecordOpsItem',
        description: 'Open an OpsItem carrying the diagnostics; repeated alarms add to the same one.',
        title: '{{ ServiceName }} is unhealthy ({{ AlarmName }})',
        opsItemDescription: [
          '{{ AlarmName }} went into ALARM for stage {{ StageName }} of REST API {{ RestApiId }}.',
          'Stage: {{ DescribeStage.Settings }}.',
          `5XX logged in the last ${LOOKBACK_MINUTES} minutes: {{ Summarize.Recent5xxCount }} (query {{ Summarize.QueryStatus }}).`,
          'Health alarms in ALARM: {{ Summarize.UnhealthyAlarms }}.',
        ].join('\n'),
        dedupString: 'cdk-opex:{{ RestApiId }}:{{ StageName }}:unhealthy',
        operationalData: {
          'cdk-opex:api': '{{ RestApiId }}',
          'cdk-opex:stage': '{{ StageName }}',
          'cdk-opex:deployment': '{{ DescribeStage.DeploymentId }}',
          'cdk-opex:recent-5xx': '{{ Summarize.Recent5xx }}',
          'cdk-opex:unhealthy-alarms': '{{ Summarize.UnhealthyAlarms }}',
        },
      }),
    ],
    outputs: ['RecordOpsItem.OpsItemId', 'Summarize.Recent5xxCount', 'Summarize.UnhealthyAlarms'],
  });
  acknowledgeWildcardResource(runbook.role, '*', GET_QUERY_RESULTS_REASON);
  return runbook;
}

/** Lets the API diagnostics runbook read one stage, query its access log group and read the given health alarms. */
export function allowApiDiagnostics(runbook: Runbook, stage: apigateway.IStage, logGroupName: string, alarmArns: string[]): void {
  runbook.allowOn(STAGE_SLOT, [Stack.of(runbook).formatArn({
    service: 'apigateway',
    account: '',
    resource: '/restapis',
    resourceName: `${stage.restApi.restApiId}/stages/${stage.stageName}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  })]);
  runbook.allowOn(ACCESS_LOG_SLOT, [logGroupArn(runbook, logGroupName)], {
    wildcardReason: 'The trailing :* is how IAM names the streams of one log group; the statement queries only this API\'s access logs.',
  });
  runbook.allowOn(ALARMS_SLOT, alarmArns);
}
