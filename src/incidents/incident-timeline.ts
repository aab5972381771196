import { ArnFormat, Lazy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { OperationsMetric } from './operations-metrics';
import { TIMELINE_SCRIPT } from './timeline-script';
import { acknowledgeWildcardResource } from '../core/nag';
import { StepResources } from '../runbooks/permissions';
import { Runbook } from '../runbooks/runbook';
import { RunbookTrigger } from '../runbooks/runbook-trigger';
import { BranchChoice, RunbookStep, RunbookValueType } from '../runbooks/step';

/** What the timeline knows of one service, by its health alarm's name (the script's `Services` input). */
export interface TimelineService {
  /** Name of the service's health alarm. */
  readonly healthAlarmName: string;
  /** Prefix of the service's alarm names: `<stack>-<service>-`. */
  readonly alarmPrefix: string;
  /**
   * CodeDeploy application of its deployment group.
   * @default - the service has no CodeDeploy deployments
   */
  readonly application?: string;
  /**
   * Its CodeDeploy deployment group's name.
   * @default - the service has no CodeDeploy deployments
   */
  readonly deploymentGroup?: string;
  /**
   * Its ECS service's ARN.
   * @default - not an ECS service
   */
  readonly ecsService?: string;
  /** Deduplication strings of the OpsItems opened for the service's incidents, most specific first. */
  readonly dedupStrings: string[];
}

/** Properties of an {@link IncidentTimeline}. */
export interface IncidentTimelineProps {
  /** Namespace time to restore is published in (the operations log's). */
  readonly metricNamespace: string;
}

/**
 * The stack's incident timeline: when a health alarm returns from ALARM to OK, a runbook
 * collects the window's alarm history, deployments (CodeDeploy and ECS) and runbook
 * executions, computes time to detect and time to restore from AWS's timestamps, writes
 * the timeline onto the incident's OpsItem (found by its deduplication string, or a new
 * one) marked for post-incident review, and publishes time to restore. One runbook and
 * one rule per stack; its role reads only this stack's alarms, deployment groups and
 * services, and sees only its documents' executions.
 */
export class IncidentTimeline extends Construct {
  /** The runbook. */
  public readonly runbook: Runbook;
  /** The rule that starts it. */
  public readonly rule: events.Rule;
  private readonly services: TimelineService[] = [];
  private readonly documents: string[] = [];

  constructor(scope: Construct, id: string, props: IncidentTimelineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = `${stack.stackName}-`;
    const alarms = stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${prefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const opsItems = stack.formatArn({ service: 'ssm', resource: 'opsitem', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    this.runbook = new Runbook(this, 'Runbook', {
      description: 'cdk-opex: when a health alarm recovers, write the incident\'s timeline (alarms, deployments, runbook runs, '
        + 'time to detect and to restore) onto its OpsItem for post-incident review, and publish time to restore.',
      parameters: [
        { name: 'AlarmName', description: 'The health alarm that recovered.', allowedPattern: `^${prefix.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}.+$` },
        { name: 'AlarmedAt', description: 'When it entered ALARM (the event\'s previousState.timestamp).' },
        { name: 'RecoveredAt', description: 'When it returned to OK (the event\'s state.timestamp).' },
      ],
      steps: [
        RunbookStep.executeScript({
          name: 'CollectTimeline',
          description: 'Reads the window\'s alarm history, deployments and runbook executions; finds the incident\'s OpsItem.',
          handler: 'handler',
          script: TIMELINE_SCRIPT,
          inputs: {
            AlarmName: '{{ AlarmName }}',
            AlarmedAt: '{{ AlarmedAt }}',
            RecoveredAt: '{{ RecoveredAt }}',
            Services: Lazy.any({
              produce: () => Object.fromEntries(this.services.map(({ healthAlarmName, ...rest }) => [healthAlarmName, rest])),
            }),
            Documents: Lazy.list({ produce: () => this.documents }),
          },
          outputs: [
            { name: 'Timeline', selector: '$.Payload.Timeline' },
            { name: 'TimeToDetectSeconds', selector: '$.Payload.TimeToDetectSeconds', valueType: RunbookValueType.INTEGER },
            { name: 'TimeToRestoreSeconds', selector: '$.Payload.TimeToRestoreSeconds', valueType: RunbookValueType.INTEGER },
            { name: 'OpsItemId', selector: '$.Payload.OpsItemId' },
            { name: 'DedupString', selector: '$.Payload.DedupString' },
          ],
          permissions: [
            // Deployment groups and ECS services are allowed one by one as services are added (addService).
            { actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'], resources: StepResources.arns(alarms) },
          ],
        }),
        RunbookStep.branch({
          name: 'HasOpsItem',
          choices: [BranchChoice.stringEquals('{{ CollectTimeline.OpsItemId }}', '', 'CreateOpsItem')],
          defaultStep: 'UpdateOpsItem',
        }),
        RunbookStep.executeAwsApi({
          name: 'UpdateOpsItem',
          description: 'Writes the timeline onto the incident\'s OpsItem and marks it for post-incident review.',
          service: 'ssm',
          api: 'UpdateOpsItem',
          inputs: {
            OpsItemId: '{{ CollectTimeline.OpsItemId }}',
            OperationalData: {
              'cdk-opex:timeline': { Type: 'String', Value: '{{ CollectTimeline.Timeline }}' },
              'cdk-opex:post-incident-review': { Type: 'SearchableString', Value: 'required' },
              'cdk-opex:time-to-restore-seconds': { Type: 'String', Value: '{{ CollectTimeline.TimeToRestoreSeconds }}' },
              'cdk-opex:time-to-detect-seconds': { Type: 'String', Value: '{{ CollectTimeline.TimeToDetectSeconds }}' },
            },
          },
          resources: StepResources.arns(opsItems),
          nextStep: 'PublishTimeToRestore',
        }),
        RunbookStep.createOpsItem({
          name: 'CreateOpsItem',
          description: 'No open OpsItem for the incident: opens one with the timeline, for post-incident review.',
          title: 'Post-incident review: {{ AlarmName }}',
          opsItemDescription: '{{ CollectTimeline.Timeline }}',
          severity: '3',
          dedupString: '{{ CollectTimeline.DedupString }}',
          operationalData: {
            'cdk-opex:post-incident-review': 'required',
            'cdk-opex:time-to-restore-seconds': '{{ CollectTimeline.TimeToRestoreSeconds }}',
            'cdk-opex:time-to-detect-seconds': '{{ CollectTimeline.TimeToDetectSeconds }}',
          },
        }),
        RunbookStep.executeAwsApi({
          name: 'PublishTimeToRestore',
          service: 'cloudwatch',
          api: 'PutMetricData',
          inputs: {
            Namespace: props.metricNamespace,
            MetricData: [{
              MetricName: OperationsMetric.TIME_TO_RESTORE,
              Dimensions: [{ Name: 'Alarm', Value: '{{ AlarmName }}' }],
              Value: '{{ CollectTimeline.TimeToRestoreSeconds }}',
              Unit: 'Seconds',
            }],
          },
          // PutMetricData names no resource; the deny below keeps it to the operations namespace.
          resources: StepResources.arns('*'),
          isEnd: true,
        }),
      ],
      outputs: ['CollectTimeline.TimeToRestoreSeconds', 'CollectTimeline.TimeToDetectSeconds', 'CollectTimeline.Timeline'],
    });
    // Actions IAM cannot scope to a resource, each narrowed where a condition key allows.
    this.runbook.addToRolePolicy(new iam.PolicyStatement({
      actions: ['ssm:DescribeAutomationExecutions', 'ssm:DescribeOpsItems'],
      resources: ['*'],
    }));
    this.runbook.addToRolePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'cloudwatch:namespace': props.metricNamespace } },
    }));
    acknowledgeWildcardResource(this.runbook.role, '*', 'cloudwatch:PutMetricData, ssm:DescribeAutomationExecutions and ssm:DescribeOpsItems '
      + 'have no resource-level permission (PutMetricData is limited to the operations namespace by cloudwatch:namespace); the script keeps '
      + 'only executions of this stack\'s documents and OpsItems of its services\' deduplication strings.');
    acknowledgeWildcardResource(this.runbook.role, alarms, `Alarm names of this stack all start with '${prefix}': the pattern is this stack's alarms.`);
    acknowledgeWildcardResource(this.runbook.role, opsItems, 'An OpsItem\'s id is known only when the incident happens; '
      + 'the runbook updates only the OpsItem it found by its service\'s deduplication string.');
    this.rule = new RunbookTrigger(this, 'OnRecovery', {
      runbook: this.runbook,
      description: `Starts the incident timeline when a health alarm of stack ${stack.stackName} returns from ALARM to OK`,
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: {
          alarmName: events.Match.prefix(prefix),
          configuration: { alarmRule: events.Match.exists() },
          state: { value: ['OK'] },
          previousState: { value: ['ALARM'] },
        },
      },
      parameters: {
        AlarmName: [events.EventField.fromPath('$.detail.alarmName')],
        AlarmedAt: [events.EventField.fromPath('$.detail.previousState.timestamp')],
        RecoveredAt: [events.EventField.fromPath('$.detail.state.timestamp')],
      },
    }).rule;
  }

  /** Adds a service: the timeline reads its deployment group or ECS service, and finds its OpsItems. */
  public addService(service: TimelineService, deploymentGroupArn?: string): void {
    this.services.push(service);
    if (deploymentGroupArn) {
      this.runbook.addToRolePolicy(new iam.PolicyStatement({ actions: ['codedeploy:ListDeployments', 'codedeploy:GetDeployment'], resources: [deploymentGroupArn] }));
    }
    if (service.ecsService) this.runbook.addToRolePolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeServices'], resources: [service.ecsService] }));
  }

  /** Adds a runbook whose executions the timeline lists. */
  public addDocument(documentName: string): void {
    if (!this.documents.includes(documentName)) this.documents.push(documentName);
  }
}
