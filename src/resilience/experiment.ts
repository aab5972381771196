import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BlastRadiusUnit, FaultDefinition } from './faults';
import { configurationLocation } from './lambda-extension';
import { acknowledgeInlinePolicies, acknowledgeWildcardResource } from '../core/nag';

/** What a fault is injected into: the service's own resource. */
export interface FaultTarget {
  /** The function, for Lambda faults. */
  readonly fn?: lambda.IFunction;
  /** The ECS service, for ECS faults. */
  readonly ecsService?: ecs.IBaseService;
  /** The FIS configuration bucket, for Lambda faults. */
  readonly configBucket?: s3.IBucket;
}

/** One scenario, checked and with its defaults applied. */
export interface ResolvedScenario {
  readonly name: string;
  readonly definition: FaultDefinition;
  readonly percentage: number;
  readonly durationSeconds: number;
  readonly delayMillis?: number;
  readonly guardAlarm: cloudwatch.IAlarm;
}

/** An ISO 8601 duration FIS reads, in the largest whole unit. */
export function isoDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `PT${seconds / 3600}H`;
  if (seconds % 60 === 0) return `PT${seconds / 60}M`;
  return `PT${seconds}S`;
}

/**
 * The role FIS assumes for a game day's experiments: trusted by FIS in this account only,
 * allowed the faults' actions on the service's own resources and the log delivery.
 */
export function createExperimentRole(scope: Construct, serviceName: string, definitions: FaultDefinition[], on: FaultTarget,
  logGroup: logs.ILogGroup, report: ExperimentReport): iam.Role {
  const stack = Stack.of(scope);
  acknowledgeInlinePolicies(scope);
  const role = new iam.Role(scope, 'ExperimentRole', {
    description: `Lets FIS inject the ${serviceName} game-day faults into ${serviceName} only`,
    assumedBy: new iam.ServicePrincipal('fis.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }) },
      },
    }),
  });
  const actions = [...new Set(definitions.flatMap((d) => d.targetActions))].sort();
  if (on.fn) {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: actions.filter((a) => a.startsWith('lambda:')), resources: [on.fn.functionArn] }));
    const objects = `${configurationLocation(on.configBucket!)}*`;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [objects] }));
    acknowledgeWildcardResource(role, objects, 'FIS names each fault configuration object when the experiment starts; the pattern '
      + 'is the configuration prefix of the stack\'s FIS bucket only.');
    on.configBucket!.encryptionKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
  }
  if (on.ecsService) {
    const cluster = on.ecsService.cluster;
    const tasks = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${cluster.clusterName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: actions.filter((a) => a.startsWith('ecs:')), resources: [tasks] }));
    acknowledgeWildcardResource(role, tasks, 'Task ARNs are known only when FIS resolves the targets; the pattern names the tasks '
      + 'of this service\'s cluster only, and FIS picks them from this service.');
    // ListTasks names no resource IAM can scope; its ecs:cluster condition keeps it to this cluster.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ecs:ListTasks'], resources: ['*'], conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
    }));
  }
  // The experiment report: the service's dashboard, drawn before, during and after the fault, written under its prefix.
  const reports = report.bucket.arnForObjects(`${report.prefix}*`);
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [reports] }));
  acknowledgeWildcardResource(role, reports, 'FIS names each experiment report object when the experiment ends; the pattern is '
    + `this service's report prefix (${report.prefix}) of the stack's FIS bucket only.`);
  report.bucket.encryptionKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetDashboard'], resources: [report.dashboardArn] }));
  // FIS resolves targets through the tagging API, delivers its log through CloudWatch Logs' vended-log delivery
  // (which writes the log group's resource policy itself) and draws the report's graphs: none of these actions has a resource type.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['tag:GetResources', 'logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy',
      'cloudwatch:GetMetricWidgetImage'],
    resources: ['*'],
  }));
  acknowledgeWildcardResource(role, '*', 'tag:GetResources, logs:CreateLogDelivery, logs:DescribeLogGroups, logs:DescribeResourcePolicies, '
    + 'logs:PutResourcePolicy and cloudwatch:GetMetricWidgetImage have no resource type; ecs:ListTasks is held to this service\'s cluster by ecs:cluster. '
    + `The experiment log goes to ${logGroup.node.path} only, as the templates say.`);
  return role;
}

/** The FIS action of one scenario, with its parameters. */
function action(scenario: ResolvedScenario): fis.CfnExperimentTemplate.ExperimentTemplateActionProperty {
  const d = scenario.definition;
  const parameters: Record<string, string> = {};
  if (d.unit === BlastRadiusUnit.INVOCATIONS) parameters.invocationPercentage = String(scenario.percentage);
  if (d.hasDuration) parameters.duration = isoDuration(scenario.durationSeconds);
  if (d.actionId === 'aws:lambda:invocation-error') parameters.preventExecution = 'true';
  if (scenario.delayMillis !== undefined) parameters.startupDelayMilliseconds = String(scenario.delayMillis);
  return {
    actionId: d.actionId,
    description: `${d.fault}: ${scenario.percentage}% of ${d.unit}${d.hasDuration ? ` for ${isoDuration(scenario.durationSeconds)}` : ''}`,
    parameters,
    targets: { [d.actionTargetKey]: 'Service' },
  };
}

/** The target of one scenario: only the service's own function or tasks. */
function target(scenario: ResolvedScenario, on: FaultTarget): fis.CfnExperimentTemplate.ExperimentTemplateTargetProperty {
  if (on.fn) return { resourceType: scenario.definition.targetResourceType, resourceArns: [on.fn.functionArn], selectionMode: 'ALL' };
  const service = on.ecsService!;
  return {
    resourceType: scenario.definition.targetResourceType,
    parameters: { cluster: service.cluster.clusterName, service: service.serviceName },
    selectionMode: `PERCENT(${scenario.percentage})`,
  };
}

/** Properties of one scenario's experiment template. */
export interface ExperimentTemplateOptions {
  readonly serviceName: string;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly on: FaultTarget;
  readonly report: ExperimentReport;
}

/** Where FIS writes a game day's experiment report, and the dashboard it draws in it. */
export interface ExperimentReport {
  readonly bucket: s3.IBucket;
  /** Key prefix, ending in `/`. */
  readonly prefix: string;
  readonly dashboardArn: string;
}

/** Minutes of the dashboard the report shows before the fault starts and after it ends. */
const REPORT_MARGIN = 'PT10M';

/** The FIS experiment template of one scenario. */
export function createExperimentTemplate(scope: Construct, id: string, scenario: ResolvedScenario,
  options: ExperimentTemplateOptions): fis.CfnExperimentTemplate {
  return new fis.CfnExperimentTemplate(scope, id, {
    description: `cdk-opex game day ${scenario.name} of ${options.serviceName}: ${action(scenario).description}; `
      + 'stops when its guard alarm fires',
    roleArn: options.role.roleArn,
    targets: { Service: target(scenario, options.on) },
    actions: { Inject: action(scenario) },
    stopConditions: [{ source: 'aws:cloudwatch:alarm', value: scenario.guardAlarm.alarmArn }],
    // cloudWatchLogsConfiguration is a JSON property: its keys are CloudFormation's.
    logConfiguration: { logSchemaVersion: 2, cloudWatchLogsConfiguration: { LogGroupArn: options.logGroup.logGroupArn } },
    experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' },
    experimentReportConfiguration: {
      outputs: { experimentReportS3Configuration: { bucketName: options.report.bucket.bucketName, prefix: options.report.prefix } },
      dataSources: { cloudWatchDashboards: [{ dashboardIdentifier: options.report.dashboardArn }] },
      preExperimentDuration: REPORT_MARGIN,
      postExperimentDuration: REPORT_MARGIN,
    },
    tags: { 'Name': `${options.serviceName}-${scenario.name}`, 'service': options.serviceName, 'cdk-opex:scenario': scenario.name },
  });
}
