import { ArnFormat, CfnResource, Duration, Lazy, Stack, Stage, TagManager, Tags, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { CATALOG_METADATA_KEY } from '../core/catalog';
import { Limits } from '../core/limits';
import { acknowledgeInlinePolicies, acknowledgeWildcardResource } from '../core/nag';
import { NON_PAGING_TAG, OWNERSHIP_TAGS, ownershipName } from '../core/ownership';
import { invalidProp, matchingString } from '../core/validate';
import { RolloutStrategy, RolloutType } from '../deployments/rollout-strategy';
import { AlarmPolicy, AlarmSeverity } from '../observability/alarm-policy';
import { OperationsDashboards } from '../observability/dashboards';
import { ReadinessReport } from '../report/plugin';
import { respondToPage } from '../runbooks/page-response';
import { Runbook } from '../runbooks/runbook';

/** Rollout types as the catalog (and the stack model) name them. */
const CATALOG_ROLLOUT_TYPES: Record<RolloutType, string> = {
  [RolloutType.CANARY]: 'canary',
  [RolloutType.LINEAR]: 'linear',
  [RolloutType.ALL_AT_ONCE]: 'all-at-once',
};

/** Construct id of the hub, a direct child of its stack. */
const HUB_ID = 'CdkOpexOperations';
/** How long the response dead-letter queue keeps an event that started no runbook: SQS's maximum. */
export const RESPONSE_DLQ_RETENTION = Duration.days(14);
/** Value of the `service` tag of what the hub itself alarms on (its response dead-letter queue). */
export const HUB_SERVICE_NAME = 'cdk-opex';
export { CATALOG_METADATA_KEY };

/** Properties of an {@link OperationsHub}. */
export interface OperationsHubProps {
  /**
   * Topic the stack's health alarms notify.
   * @default - a new topic encrypted with a new customer-managed KMS key, SSL-only
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Name of the operations dashboard; further dashboards, when one would pass
   * CloudWatch's widget limit, get `-2`, `-3`, ...
   * @default - `<stack name>-operations`
   */
  readonly dashboardName?: string;
  /**
   * Team that owns what the hub shares and answers its own alarm (the response
   * dead-letter queue's): its `team` tag.
   * @default - the team of the stack's services, when all that name a team name the same one
   */
  readonly team?: string;
}

/** What the hub records about one service, for the report, the checks and the demo. */
export interface ServiceRecord {
  /** The service's name, as in its `service` tag. */
  readonly serviceName: string;
  /** Kind of service, e.g. `lambda`. */
  readonly kind: string;
  /**
   * Owning team, as in its `team` tag.
   * @default - none given
   */
  readonly team?: string;
  /** The construct holding everything the service adds. */
  readonly scope: IConstruct;
  /** Alarms on the service's signals, by signal name. */
  readonly signalAlarms: { [signal: string]: cloudwatch.IAlarm };
  /** The composite alarm that pages. */
  readonly healthAlarm: cloudwatch.IAlarm;
  /** Seconds from the start of a total outage until the health alarm fires. */
  readonly detectionSeconds: number;
  /** The deployment group (or other construct) that rolls out new versions. */
  readonly deploymentGroup: IConstruct;
  /** Rollout strategy of the service's deployments. */
  readonly rollout: RolloutStrategy;
  /** Alarms that stop and roll back a deployment. */
  readonly rollbackAlarms: cloudwatch.IAlarm[];
  /** Runbooks that respond to the service's events, with what starts each. */
  readonly responses: RunbookResponse[];
  /**
   * The service's objectives.
   * @default - none
   */
  readonly objectives?: ObjectiveRecord[];
}

/** An SLO of a service, as the catalog records it. */
export interface ObjectiveRecord {
  /** Target in percent. */
  readonly target: number;
  /** Error budget window, in days. */
  readonly windowDays: number;
  /** The burn-rate alerts, in words. */
  readonly alerts: string;
  /** The fast-burn (page) composite. */
  readonly pageAlarm: cloudwatch.IAlarm;
}

/** A business KPI, as the catalog records it. */
export interface KpiRecord {
  readonly serviceName: string;
  readonly kpiName: string;
  /** The "KPI at risk" alarm. */
  readonly alarm: cloudwatch.IAlarm;
}

/** A runbook and the event that starts it. */
export interface RunbookResponse {
  /** The runbook. */
  readonly runbook: Runbook;
  /** Whether an event starts it with no person involved (an EventBridge rule), or an operator does. */
  readonly automatic: boolean;
  /** Who or what starts it, in words (e.g. `EventBridge, when X enters ALARM`). */
  readonly trigger: string;
}

/**
 * What the services of one stack share: the alarm topic, the operations dashboards,
 * the CodeDeploy application and role, and one copy of each runbook. Found (or
 * created) with `OperationsHub.of(scope)`; a per-service copy of any of these is a bug.
 */
export class OperationsHub extends Construct {
  /** The hub of `scope`'s stack, created on first use. */
  public static of(scope: IConstruct): OperationsHub {
    const stack = Stack.of(scope);
    const existing = stack.node.children.find((c): c is OperationsHub => c instanceof OperationsHub);
    return existing ?? new OperationsHub(stack, HUB_ID);
  }

  /** Topic the health alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /** Services registered in this stack, in the order they were added. */
  public readonly services: ServiceRecord[] = [];
  /** Business KPIs registered in this stack. */
  public readonly kpis: KpiRecord[] = [];
  /** Service level objectives made in this stack, with or without a service pattern. */
  private readonly objectives: Array<ObjectiveRecord & { readonly serviceName: string }> = [];
  private readonly _dashboards: OperationsDashboards;
  private _lambdaApplication?: codedeploy.LambdaApplication;
  private _deploymentRole?: iam.Role;
  private _ownAlarmsArn?: string;
  private _tracingPolicy?: iam.Policy;
  private _topicKey?: kms.Key;
  private _signalTopic?: sns.Topic;
  private _responseDlq?: sqs.Queue;
  private _responseDlqAlarm?: cloudwatch.Alarm;
  private readonly deploymentConfigs = new Map<string, codedeploy.ILambdaDeploymentConfig>();
  private readonly runbooks = new Map<string, Runbook>();
  private readonly team?: string;

  constructor(scope: Construct, id: string, props: OperationsHubProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    if (scope !== stack) {
      invalidProp(this, 'scope', 'an OperationsHub belongs directly to its stack: `new OperationsHub(stack, id)`');
    }
    if (stack.node.children.some((c) => c !== this && c instanceof OperationsHub)) {
      invalidProp(this, 'scope', `stack ${stack.node.path} already has an OperationsHub; create yours before any service, or use OperationsHub.of(scope)`);
    }
    if (props.dashboardName !== undefined) {
      matchingString(this, 'dashboardName', props.dashboardName, new RegExp(`^[A-Za-z0-9_-]{1,${Limits.DASHBOARD_NAME_CHARS - 4}}$`),
        `1-${Limits.DASHBOARD_NAME_CHARS - 4} letters, digits, - and _ (room is kept for the -2, -3... of further dashboards)`);
    }
    this.team = props.team === undefined ? undefined : ownershipName(this, 'team', props.team);
    this._dashboards = new OperationsDashboards(this, props.dashboardName ?? `${stack.stackName}-operations`);
    this.alarmTopic = props.alarmTopic ?? this.createTopic('AlarmTopic', ' alarms');
    // Roles and policies cdk-opex creates keep their inline (role-owned) policies; see acknowledgeInlinePolicies.
    acknowledgeInlinePolicies(this);

    registerReadinessReport(stack);
    stack.templateOptions.metadata = {
      ...stack.templateOptions.metadata,
      [CATALOG_METADATA_KEY]: Lazy.any({ produce: () => this.renderCatalog() }),
    };
  }

  /** Dashboards holding the services' sections, in order. */
  public get dashboards(): cloudwatch.Dashboard[] {
    return this._dashboards.dashboards;
  }

  /** Records a service so the catalog, report and checks know of it. */
  public registerService(record: ServiceRecord): void {
    if (this.services.some((s) => s.serviceName === record.serviceName)) {
      invalidProp(record.scope, 'serviceName', `'${record.serviceName}' is already a service of this stack; service names must be unique`);
    }
    this.services.push(record);
    this.tagTeam();
  }

  /** The `team` tag of what the hub alarms on: its own team, else the one team of its services. */
  private tagTeam(): void {
    const teams = new Set(this.services.map((s) => s.team).filter((t): t is string => t !== undefined));
    const team = this.team ?? (teams.size === 1 ? [...teams][0] : undefined);
    for (const owned of [this._responseDlq, this._responseDlqAlarm]) {
      const resource = owned?.node.defaultChild;
      const tags = resource ? TagManager.of(resource) : undefined;
      if (!tags) continue;
      if (team) tags.setTag(OWNERSHIP_TAGS.team, team);
      else tags.removeTag(OWNERSHIP_TAGS.team, 0);
    }
  }

  /** Records a service level objective for the catalog and the report. */
  public registerObjective(serviceName: string, record: ObjectiveRecord): void {
    this.objectives.push({ ...record, serviceName });
  }

  /** Records a business KPI for the catalog and the report. */
  public registerKpi(record: KpiRecord): void {
    this.kpis.push(record);
  }

  /**
   * Adds a service's widgets to the operations dashboards; `summaryAlarms` (its health
   * alarm) join the summary row at the top. A section that would pass CloudWatch's
   * limits starts a new dashboard. Returns the dashboard used.
   */
  public addDashboardSection(widgets: cloudwatch.IWidget[], summaryAlarms: cloudwatch.IAlarm[] = []): cloudwatch.Dashboard {
    return this._dashboards.addSection(widgets, summaryAlarms);
  }

  /** The CodeDeploy application every Lambda deployment group of the stack belongs to. */
  public get lambdaApplication(): codedeploy.LambdaApplication {
    this._lambdaApplication ??= new codedeploy.LambdaApplication(this, 'LambdaApplication');
    return this._lambdaApplication;
  }

  /**
   * The role CodeDeploy assumes for the stack's deployment groups. It starts empty;
   * each deployment group adds statements scoped to its own alias and alarms.
   */
  public get deploymentRole(): iam.Role {
    this._deploymentRole ??= new iam.Role(this, 'DeploymentRole', {
      description: 'Lets CodeDeploy shift traffic between versions of this stack\'s Lambda aliases and read their alarms',
      assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
    });
    return this._deploymentRole;
  }

  /**
   * The one policy that lets the stack's traced functions send X-Ray traces; each
   * function's role is attached to it, so it costs one resource however many there are.
   */
  public get tracingPolicy(): iam.Policy {
    if (!this._tracingPolicy) {
      this._tracingPolicy = new iam.Policy(this, 'TracingPolicy', {
        // X-Ray has no resource-level permissions for sending traces.
        statements: [new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
      });
      Validations.of(this._tracingPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions; this policy holds nothing else.',
      });
    }
    return this._tracingPolicy;
  }

  /** Prefix of the names of every alarm cdk-opex creates in this stack: `<stack name>-`. */
  public get alarmNamePrefix(): string {
    return `${Stack.of(this).stackName}-`;
  }

  /**
   * ARN pattern of the alarms cdk-opex names in this stack, which the deployment role
   * may read: one constant statement instead of three ARNs per service.
   */
  public get ownAlarmsArn(): string {
    if (!this._ownAlarmsArn) {
      this._ownAlarmsArn = Stack.of(this).formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: `${this.alarmNamePrefix}*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      acknowledgeWildcardResource(this.deploymentRole, this._ownAlarmsArn,
        'CodeDeploy may only read (DescribeAlarms) the alarms cdk-opex names `<stack>-...` in this stack; '
        + 'one pattern keeps the policy constant in size as services are added.');
    }
    return this._ownAlarmsArn;
  }

  /** The deployment configuration for a rollout strategy; custom ones are created once per stack. */
  public lambdaDeploymentConfig(strategy: RolloutStrategy): codedeploy.ILambdaDeploymentConfig {
    const predefined = strategy._predefinedLambdaConfig();
    if (predefined) return predefined;
    const key = strategy.key;
    let config = this.deploymentConfigs.get(key);
    if (!config) {
      config = new codedeploy.LambdaDeploymentConfig(this, `DeploymentConfig-${key}`, {
        trafficRouting: strategy._trafficRouting(),
      });
      this.deploymentConfigs.set(key, config);
    }
    return config;
  }

  /**
   * The stack's single copy of a runbook, made by `create` on first use.
   * @internal
   */
  public _sharedRunbook(id: string, create: (scope: Construct, id: string) => Runbook): Runbook {
    let runbook = this.runbooks.get(id);
    if (!runbook) {
      runbook = create(this, id);
      this.runbooks.set(id, runbook);
    }
    return runbook;
  }

  /**
   * The stack's one customer-managed KMS key for what cdk-opex sends: the alarm and
   * signal topics and the response dead-letter queue (CloudWatch cannot publish to a
   * topic encrypted with the AWS-managed SNS key, nor EventBridge send to a queue
   * encrypted with the AWS-managed SQS key).
   */
  public get topicKey(): kms.Key {
    if (!this._topicKey) {
      const key = new kms.Key(this, 'AlarmTopicKey', {
        description: 'Encrypts the cdk-opex alarm and signal topics and the response dead-letter queue; CloudWatch and EventBridge may use it to send to them',
        enableKeyRotation: true,
      });
      key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, '*' is the key itself
      }));
      // EventBridge encrypts what it dead-letters to the response queue.
      key.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }));
      // Only AWS services may create grants on the key (Control Tower CT.KMS.PR.3).
      key.addToResourcePolicy(new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }));
      this._topicKey = key;
    }
    return this._topicKey;
  }

  /**
   * The stack's low-urgency topic for signal (INFO) alarms: every signal's state change
   * is recorded here, and nobody is paged from it. Subscribe a chat channel or a log
   * archive; the health alarm over the signals is what pages.
   */
  public get signalTopic(): sns.ITopic {
    this._signalTopic ??= this.createTopic('SignalTopic', ' signals (no paging)', true);
    return this._signalTopic;
  }

  /**
   * The one dead-letter queue of every EventBridge target of this stack that starts a
   * runbook: a message here is a response that did not start. Its alarm takes the
   * AlarmPolicy's critical actions.
   */
  public get responseDeadLetterQueue(): sqs.IQueue {
    if (!this._responseDlq) {
      const stack = Stack.of(this);
      const queue = new sqs.Queue(this, 'ResponseDeadLetterQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.topicKey,
        enforceSSL: true,
        retentionPeriod: RESPONSE_DLQ_RETENTION,
        // Declares the queue a dead-letter queue (SQS's default permission, stated): Control Tower CT.SQS.PR.1.
        redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
      });
      Tags.of(queue).add(OWNERSHIP_TAGS.service, HUB_SERVICE_NAME);
      // Any EventBridge rule of this account and region may dead-letter here: one statement for every rule.
      queue.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }) },
        },
      }));
      const isDeadLetterQueue = 'This queue is itself the dead-letter queue of the stack\'s EventBridge runbook targets; '
        + 'a message here pages (its alarm) and is read by a person, never redriven to another queue.';
      Validations.of(queue).acknowledge(
        { id: 'AwsSolutions-SQS3', reason: isDeadLetterQueue },
        { id: 'Serverless-SQSRedrivePolicy', reason: isDeadLetterQueue },
      );
      this._responseDlq = queue;
      this._responseDlqAlarm = this.createResponseDeadLetterAlarm(queue);
      this.tagTeam();
    }
    return this._responseDlq;
  }

  /** The alarm on the response dead-letter queue (a message there: a response did not start), once the queue exists. */
  public get responseDeadLetterAlarm(): cloudwatch.IAlarm | undefined {
    return this._responseDlqAlarm;
  }

  private createResponseDeadLetterAlarm(queue: sqs.Queue): cloudwatch.Alarm {
    const policy = AlarmPolicy.of(this);
    const alarm = new cloudwatch.Alarm(this, 'ResponseDeadLetterAlarm', {
      alarmName: `${this.alarmNamePrefix}${HUB_SERVICE_NAME}-undelivered-responses-${AlarmSeverity.CRITICAL}`,
      alarmDescription: 'An EventBridge rule could not start its runbook (after its retries): the event is in the response dead-letter queue '
        + `${queue.node.path}. Read it to see which rule and event, fix the cause (role, document, throttling) and start the runbook by hand.`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    policy.applyActions(alarm, AlarmSeverity.CRITICAL);
    Tags.of(alarm).add(OWNERSHIP_TAGS.service, HUB_SERVICE_NAME);
    Tags.of(alarm).add('severity', AlarmSeverity.CRITICAL);
    this._dashboards.pinSummaryAlarm(alarm);
    // Whoever is paged finds an OpsItem saying which queue holds the events that started nothing
    // (unless the critical actions open one themselves).
    if (policy.pages(AlarmSeverity.CRITICAL)) {
      respondToPage(this, 'OnUndeliveredResponse', alarm, {
        title: `Responses did not start in ${Stack.of(this).stackName}`,
        description: `An EventBridge rule could not start its runbook. The events are in SQS queue ${queue.node.path}; `
          + 'read them for the rule and the event, fix the cause and start the runbook by hand.',
        dedupString: `cdk-opex:${Stack.of(this).stackName}:undelivered-responses`,
      });
    }
    return alarm;
  }

  /** A topic of the stack, displayed as `<stack name><suffix>` cut to fit SNS's display-name limit. */
  private createTopic(id: string, suffix: string, nonPaging = false): sns.Topic {
    const stack = Stack.of(this);
    const topic = new sns.Topic(this, id, {
      displayName: `${stack.stackName.slice(0, Limits.SNS_DISPLAY_NAME_CHARS - suffix.length)}${suffix}`,
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    if (nonPaging) Tags.of(topic).add(NON_PAGING_TAG.key, NON_PAGING_TAG.value);
    topic.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      },
    }));
    return topic;
  }

  /** Alarm actions for the stack's topic. */
  public get topicAction(): cloudwatch.IAlarmAction {
    return new cw_actions.SnsAction(this.alarmTopic);
  }

  /** Alarm action for the stack's signal topic. */
  public get signalTopicAction(): cloudwatch.IAlarmAction {
    return new cw_actions.SnsAction(this.signalTopic);
  }

  private renderCatalog(): unknown {
    const stack = Stack.of(this);
    const logicalId = (c: IConstruct): string => {
      const resource = CfnResource.isCfnResource(c) ? c : c.node.defaultChild;
      // Alarms imported by ARN have no resource in this stack: name them instead.
      return resource && CfnResource.isCfnResource(resource) ? stack.getLogicalId(resource) : (c as cloudwatch.IAlarm).alarmName ?? c.node.path;
    };
    return {
      version: 2,
      shared: { path: this.node.path, resources: countResources(this) },
      services: this.services.map((s) => ({
        name: s.serviceName,
        kind: s.kind,
        team: s.team,
        path: s.scope.node.path,
        resources: countResources(s.scope),
        detectionSeconds: s.detectionSeconds,
        healthAlarm: logicalId(s.healthAlarm),
        signalAlarms: Object.fromEntries(Object.entries(s.signalAlarms).map(([signal, a]) => [signal, logicalId(a)])),
        rollout: {
          type: CATALOG_ROLLOUT_TYPES[s.rollout.rolloutType],
          ...(s.rollout.rolloutType === RolloutType.ALL_AT_ONCE ? {}
            : { percentage: s.rollout.percentage, intervalMinutes: s.rollout.interval.toMinutes() }),
          deploymentGroup: logicalId(s.deploymentGroup),
          rollbackAlarms: s.rollbackAlarms.map(logicalId),
        },
        responses: s.responses.map((r) => ({ runbook: logicalId(r.runbook.document), automatic: r.automatic, trigger: r.trigger })),
        objectives: (s.objectives ?? []).map((o) => ({
          target: o.target, windowDays: o.windowDays, alerts: o.alerts, pageAlarm: logicalId(o.pageAlarm),
        })),
      })),
      kpis: this.kpis.map((k) => ({ service: k.serviceName, name: k.kpiName, alarm: logicalId(k.alarm) })),
      // Objectives no service pattern records (a ServiceLevelObjective on its own).
      objectives: this.objectives
        .filter((o) => !this.services.some((s) => (s.objectives ?? []).some((so) => so.pageAlarm === o.pageAlarm)))
        .map((o) => ({ service: o.serviceName, target: o.target, windowDays: o.windowDays, alerts: o.alerts, pageAlarm: logicalId(o.pageAlarm) })),
    };
  }
}

const reportingStages = new WeakSet<Stage>();

/** Every synth of an app that uses cdk-opex writes the readiness report into its cloud assembly. */
function registerReadinessReport(scope: IConstruct): void {
  const stage = Stage.of(scope);
  if (!stage || reportingStages.has(stage)) return;
  reportingStages.add(stage);
  Validations.of(stage).addPlugins(new ReadinessReport());
}

function countResources(scope: IConstruct): number {
  return scope.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
}
