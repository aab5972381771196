import { ArnFormat, Lazy, Stack, Stage, TagManager, Tags, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { renderCatalog } from './catalog';
import { ServicePlacement } from './placement';
import { autoKeepsInStack, Placer } from './placer';
import { GameDayRecord, KpiRecord, ObjectiveRecord, ServiceRecord } from './records';
import { RESPONSE_DLQ_ALARM_ID, RESPONSE_DLQ_ID } from './shared-ids';
import { alarmNamePrefix } from '../core/alarm-names';
import { CATALOG_METADATA_KEY } from '../core/catalog';
import { Limits } from '../core/limits';
import { acknowledgeInlinePolicies } from '../core/nag';
import { isServicesStack, operationsStack } from '../core/operations-stack';
import { NON_PAGING_TAG, OWNERSHIP_TAGS, ownershipName } from '../core/ownership';
import { ownAccountServiceStatement } from '../core/service-statement';
import { invalidProp, matchingString } from '../core/validate';
import { OperationsDashboards, OperationsRowSource } from '../observability/dashboards';
import { ReadinessReport } from '../report/plugin';

/** Construct id of the hub, a direct child of its stack. */
const HUB_ID = 'CdkOpexOperations';

/** Each stack's hub, by the stack (a lookup among the stack's children would cost a look at every one, for every service). */
const hubs = new WeakMap<Stack, OperationsHub>();
/** Value of the `service` tag of what the hub itself alarms on (its response dead-letter queue). */
export const HUB_SERVICE_NAME = 'cdk-opex';
export { CATALOG_METADATA_KEY };
export * from './records';

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
  /**
   * Where the stack's services put their operations resources: in the stack, or in nested
   * stacks once the stack would pass CloudFormation's 500 resources.
   * @default ServicePlacement.auto()
   */
  readonly placement?: ServicePlacement;
}

/**
 * What the services of one stack share: the alarm topic, the operations dashboards,
 * the response dead-letter queue, and one copy of each shared runbook, role or
 * configuration its services' capabilities ask for (`_shared`). Found (or
 * created) with `OperationsHub.of(scope)`; a per-service copy of any of these is a bug.
 */
export class OperationsHub extends Construct {
  /** The hub of `scope`'s stack, created on first use. */
  public static of(scope: IConstruct): OperationsHub {
    const stack = operationsStack(scope);
    return hubs.get(stack) ?? new OperationsHub(stack, HUB_ID);
  }

  /**
   * Where a service asked for as `new X(scope, id)` is built, by the placement of its
   * stack's hub: `scope` itself, or a nested stack of the stack with an id unique in it.
   * A service whose kind is not `placeable` stays where asked.
   * A stack with no hub yet keeps the service where asked while the default placement
   * would, so the hub is made after the first service, as it always was.
   * @internal
   */
  public static _place(scope: Construct, id: string, placeable: boolean): [Construct, string] {
    if (!placeable) return [scope, id];
    const stack = operationsStack(scope);
    const existing = hubs.get(stack);
    if (!existing && Stack.of(scope) === stack && autoKeepsInStack(stack)) return [scope, id];
    return (existing ?? new OperationsHub(stack, HUB_ID)).placer.place(scope, id);
  }

  /** Topic the health alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /** Services registered in this stack, in the order they were added. */
  public readonly services: ServiceRecord[] = [];
  /** Business KPIs registered in this stack. */
  public readonly kpis: KpiRecord[] = [];
  /** Game days registered in this stack. */
  public readonly gameDays: GameDayRecord[] = [];
  /** Service level objectives made in this stack, with or without a service pattern. */
  private readonly objectives: Array<ObjectiveRecord & { readonly serviceName: string }> = [];
  private readonly _dashboards: OperationsDashboards;
  private _topicKey?: kms.Key;
  private _signalTopic?: sns.Topic;
  private readonly ownResources: IConstruct[] = [];
  private readonly team?: string;
  private readonly placer: Placer;

  constructor(scope: Construct, id: string, props: OperationsHubProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    if (scope !== stack) {
      invalidProp(this, 'scope', 'an OperationsHub belongs directly to its stack: `new OperationsHub(stack, id)`');
    }
    if (hubs.has(stack)) {
      invalidProp(this, 'scope', `stack ${stack.node.path} already has an OperationsHub; create yours before any service, or use OperationsHub.of(scope)`);
    }
    hubs.set(stack, this);
    if (props.dashboardName !== undefined) {
      matchingString(this, 'dashboardName', props.dashboardName, new RegExp(`^[A-Za-z0-9_-]{1,${Limits.DASHBOARD_NAME_CHARS - 4}}$`),
        `1-${Limits.DASHBOARD_NAME_CHARS - 4} letters, digits, - and _ (room is kept for the -2, -3... of further dashboards)`);
    }
    this.team = props.team === undefined ? undefined : ownershipName(this, 'team', props.team);
    this.placer = new Placer(stack, props.placement ?? ServicePlacement.auto(), this);
    this.node.addValidation({ validate: () => this.placer.limitErrors() });
    this._dashboards = new OperationsDashboards(this, props.dashboardName ?? `${stack.stackName}-operations`);
    this.alarmTopic = props.alarmTopic ?? this.createTopic('AlarmTopic', ' alarms');
    // Roles and policies cdk-opex creates keep their inline (role-owned) policies; see acknowledgeInlinePolicies.
    acknowledgeInlinePolicies(this);

    registerReadinessReport(stack);
    stack.templateOptions.metadata = {
      ...stack.templateOptions.metadata,
      [CATALOG_METADATA_KEY]: Lazy.any({
        produce: () => renderCatalog({
          shared: this,
          nestedStacks: this.placer.stacks,
          services: this.services,
          kpis: this.kpis,
          objectives: this.objectives,
          gameDays: this.gameDays,
        }),
      }),
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
    for (const owned of this.ownResources) {
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

  /** Records a service's game days for the catalog and the report. */
  public registerGameDay(record: GameDayRecord): void {
    this.gameDays.push(record);
  }

  /**
   * Adds a service's widgets to the operations dashboards; `summaryAlarms` (its health
   * alarm) join the summary row at the top. A section that would pass CloudWatch's
   * limits starts a new dashboard; a section of a service placed in a nested stack
   * (`placedIn`: a construct of it) goes on a dashboard in that stack. Returns the dashboard used.
   * @param placedIn a construct of the section's service, so the section lives in the same stack (by default the hub's)
   */
  public addDashboardSection(widgets: cloudwatch.IWidget[], summaryAlarms: cloudwatch.IAlarm[] = [], placedIn?: IConstruct): cloudwatch.Dashboard {
    const stack = placedIn ? Stack.of(placedIn) : undefined;
    return this._dashboards.addSection(widgets, summaryAlarms, stack && isServicesStack(stack) ? stack : this);
  }

  /** The nested stacks the hub placed services in, in order (none while the stack fits). */
  public get nestedStacks(): Stack[] {
    return this.placer.stacks;
  }

  /** Prefix of the names of every alarm cdk-opex creates in this stack: `<stack name>-`. */
  public get alarmNamePrefix(): string {
    return alarmNamePrefix(this);
  }

  /**
   * The stack's one copy of a shared resource, made by `create` as a child of the hub
   * with construct id `id` on first use: the id is the key, so logical ids never depend
   * on which service asked first.
   * @internal
   */
  public _shared<T extends IConstruct>(id: string, create: (scope: Construct, id: string) => T): T {
    return (this.node.tryFindChild(id) as T | undefined) ?? create(this, id);
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
   * The response dead-letter queue: the one dead-letter queue of every EventBridge target
   * of this stack that starts a runbook, made with its alarm by the first such target.
   */
  public get responseDeadLetterQueue(): sqs.IQueue {
    const queue = this.node.tryFindChild(RESPONSE_DLQ_ID) as sqs.IQueue | undefined;
    if (!queue) invalidProp(this, 'responseDeadLetterQueue', 'no runbook target of this stack has made it yet; it is made by the first one');
    return queue;
  }

  /** The alarm on the response dead-letter queue (a message there: a response did not start), once the queue exists. */
  public get responseDeadLetterAlarm(): cloudwatch.IAlarm | undefined {
    return this.node.tryFindChild(RESPONSE_DLQ_ALARM_ID) as cloudwatch.IAlarm | undefined;
  }

  /**
   * Shows a row right after the summary of every dashboard, present and future (the
   * operations-health row of the stack's operations log).
   * @internal
   */
  public _setOperationsRow(row: OperationsRowSource): void {
    this._dashboards.setOperationsRow(row);
  }

  /** Pins an alarm of the hub's own (e.g. the response dead-letter alarm) to every dashboard's summary row. */
  public pinSummaryAlarm(alarm: cloudwatch.IAlarm): void {
    this._dashboards.pinSummaryAlarm(alarm);
  }

  /**
   * Records a resource the hub itself answers for: it takes the hub's `team` tag.
   * @internal
   */
  public _ownedByHub(resource: IConstruct): void {
    this.ownResources.push(resource);
    this.tagTeam();
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
    topic.addToResourcePolicy(ownAccountServiceStatement(this, {
      service: 'cloudwatch.amazonaws.com',
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      sourceArn: stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
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
}

const reportingStages = new WeakSet<Stage>();

/** Every synth of an app that uses cdk-opex writes the readiness report into its cloud assembly. */
function registerReadinessReport(scope: IConstruct): void {
  const stage = Stage.of(scope);
  if (!stage || reportingStages.has(stage)) return;
  reportingStages.add(stage);
  Validations.of(stage).addPlugins(new ReadinessReport());
}

