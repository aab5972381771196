import { Annotations, ArnFormat, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import { aws_events as eventsRefs } from 'aws-cdk-lib/interfaces';
import { Construct, IConstruct } from 'constructs';
import { IncidentTimeline, TimelineService } from './incident-timeline';
import { OPERATIONS_LOG_PREFIX, OperationsLogAccess } from './operations-log-access';
import { LoggedService, OPERATIONS_FILTERS, OperationsEventSource } from './operations-metrics';
import { operationsRow, OPERATIONS_ROW_WIDGETS } from './operations-row';
import { invalidProp } from '../core/validate';
import { keyForLogs } from '../hub/logs-key';
import { OperationsHub } from '../hub/operations-hub';
import { responseDeadLetterQueue } from '../runbooks/response-dead-letters';
import { IRunbook } from '../runbooks/runbook';
import { SsmAutomationTarget } from '../runbooks/ssm-automation-target';

/** Construct id of the operations log, a child of the stack's hub. */
export const OPERATIONS_LOG_ID = 'OperationsLog';
/** Id of the warning an operations log gives when no OperationsLogAccess in the app covers its account and region. */
export const OPERATIONS_LOG_ACCESS_WARNING = '@cdk-opex/incidents:operationsLogAccess';
/** Values one routing list may name and stay under EventBridge's pattern size limit (an ARN is ~80 characters). */
const MAX_ROUTED_VALUES = 20;

/** Properties of an {@link OperationsLog}. */
export interface OperationsLogProps {
  /**
   * How long the log keeps events. Control Tower (CT.CLOUDWATCH.PR.2) asks for a year or more.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
  /**
   * Add the account's {@link OperationsLogAccess} (the Logs resource policy every
   * operations log of the account and region shares) to this stack: for a single-stack
   * app. Leave it off where a platform team deploys it once per account and region.
   * @default false
   */
  readonly createAccess?: boolean;
  /**
   * Write an incident timeline onto the OpsItem of every page when the health alarm
   * recovers, and publish time to restore (an {@link IncidentTimeline}).
   * @default true
   */
  readonly incidentTimeline?: boolean;
}

/** An EventBridge target writing the whole event, as JSON, to a log group (allowed by the account's OperationsLogAccess). */
export class OperationsLogTarget implements events.IRuleTarget {
  constructor(private readonly logGroup: logs.ILogGroup) {}

  public bind(rule: eventsRefs.IRuleRef, _id?: string): events.RuleTargetConfig {
    return {
      // EventBridge takes the log group's ARN without the `:*` of its streams.
      arn: Stack.of(this.logGroup).formatArn({
        service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      deadLetterConfig: {
        arn: responseDeadLetterQueue(rule,
          (runbook, input, queue) => new SsmAutomationTarget(runbook, { parameters: input, deadLetterQueue: queue })).queueArn,
      },
    };
  }
}

/**
 * A stack's operations log: one KMS-encrypted CloudWatch Logs group that EventBridge
 * rules fill, for this stack's services only, with deployment state changes (CodeDeploy
 * and ECS), the health alarms' state changes, the runbooks' executions and the game days'
 * experiments; metric filters on it publish the operations-health metrics. No code runs.
 *
 * Turn it on per stack with `OperationsLog.of(stack)` (or `enable` with props); services
 * made before or after are routed alike.
 */
export class OperationsLog extends Construct {
  /** The stack's operations log, made with default props on first use. */
  public static of(scope: IConstruct): OperationsLog {
    return OperationsHub.of(scope)._shared(OPERATIONS_LOG_ID, (hub, id) => new OperationsLog(hub, id));
  }

  /** Turns the stack's operations log on with `props`; fails if it is on already. */
  public static enable(scope: IConstruct, props: OperationsLogProps = {}): OperationsLog {
    const hub = OperationsHub.of(scope);
    if (hub.node.tryFindChild(OPERATIONS_LOG_ID)) invalidProp(scope, 'OperationsLog', 'the stack\'s operations log is on already; enable it once, before OperationsLog.of');
    return new OperationsLog(hub, OPERATIONS_LOG_ID, props);
  }

  /** The stack's operations log, if it is on. */
  public static find(scope: IConstruct): OperationsLog | undefined {
    return OperationsHub.of(scope).node.tryFindChild(OPERATIONS_LOG_ID) as OperationsLog | undefined;
  }

  /** The log group. */
  public readonly logGroup: logs.LogGroup;
  /** Namespace of the operations-health metrics: `CdkOpex/Operations/<stack name>`. */
  public readonly metricNamespace: string;
  /** The routing rules, by source, as made. */
  private readonly rules = new Map<OperationsEventSource, events.Rule>();
  private readonly routed = new Map<OperationsEventSource, Map<string, string>>();
  private readonly loggedServices: LoggedService[] = [];
  /**
   * The stack's incident timeline, unless turned off.
   * @default - none
   */
  public readonly incidentTimeline?: IncidentTimeline;

  constructor(scope: Construct, id: string, props: OperationsLogProps = {}) {
    super(scope, id);
    const hub = OperationsHub.of(this);
    if (scope !== hub) invalidProp(this, 'scope', 'an OperationsLog belongs to its stack\'s hub: use OperationsLog.of(scope) or OperationsLog.enable(scope, props)');
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.stackName)) invalidProp(this, 'stackName', 'the operations log is named after its stack: give the stack a literal name');
    this.metricNamespace = `CdkOpex/Operations/${stack.stackName}`;
    const logGroupName = `${OPERATIONS_LOG_PREFIX}${stack.stackName}`;
    const retention = props.retention ?? logs.RetentionDays.ONE_YEAR;
    if (!Object.values(logs.RetentionDays).includes(retention)) {
      invalidProp(this, 'retention', `must be a number of days CloudWatch Logs offers (logs.RetentionDays), got ${retention}`);
    }
    const key = keyForLogs(this, `${OPERATIONS_LOG_PREFIX}*`);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: key,
      retention,
    });
    this.logGroup.node.addDependency(key);
    hub._ownedByHub(this.logGroup);
    if (props.createAccess) new OperationsLogAccess(stack, 'OperationsLogAccess');
    this.node.addValidation({ validate: () => this.warnWithoutAccess() });

    if (props.incidentTimeline ?? true) this.incidentTimeline = new IncidentTimeline(this, 'IncidentTimeline', { metricNamespace: this.metricNamespace });
    this.route(OperationsEventSource.ALARMS, hub.alarmNamePrefix);
    for (const pending of pendingRoutes(stack)) pending(this);
    hub._setOperationsRow({ widgetCount: OPERATIONS_ROW_WIDGETS, build: () => operationsRow(this) });
  }

  /** The services routed here, in the order they were made. */
  public get services(): LoggedService[] {
    return [...this.loggedServices];
  }

  /** Values routed for `source` (document names, experiment template ids...), in the order they were routed. */
  public routedValues(source: OperationsEventSource): string[] {
    return [...this.routed.get(source)?.values() ?? []];
  }

  /** `[label, value]` of what is routed for `source`: the label is the owning construct's id. */
  /** @internal */
  public _routedEntries(source: OperationsEventSource): Array<[string, string]> {
    return [...this.routed.get(source)?.entries() ?? []].map(([path, value]) => [path.split('/').pop()!, value]);
  }

  /**
   * Records a service for the operations-health row.
   * @internal
   */
  public _registerService(service: LoggedService, timeline: TimelineService, deploymentGroupArn?: string): void {
    this.loggedServices.push(service);
    this.incidentTimeline?.addService(timeline, deploymentGroupArn);
  }

  /** Routes the deployments of a CodeDeploy deployment group (its application's, the stack's one). */
  public routeDeploymentGroup(group: codedeploy.ILambdaDeploymentGroup | codedeploy.IEcsDeploymentGroup): void {
    this.route(OperationsEventSource.CODEDEPLOY, group.application.applicationName, group.application);
  }

  /** Routes the deployment state changes of an ECS service, by ARN. */
  public routeEcsService(serviceArn: string, owner: IConstruct): void {
    this.route(OperationsEventSource.ECS, serviceArn, owner);
  }

  /** Routes the executions of a runbook. */
  public routeRunbook(runbook: IRunbook): void {
    this.route(OperationsEventSource.RUNBOOKS, runbook.documentName, runbook);
    this.incidentTimeline?.addDocument(runbook.documentName);
  }

  /** Routes the state changes of a game day's FIS experiments, by experiment template id. */
  public routeExperimentTemplate(templateId: string, owner: IConstruct): void {
    this.route(OperationsEventSource.EXPERIMENTS, templateId, owner);
  }

  /** The rule routing `source`, once something of that source is routed. */
  public ruleFor(source: OperationsEventSource): events.Rule | undefined {
    return this.rules.get(source);
  }

  /** Adds `value` to the source's routing list (keyed by `owner`, so a shared runbook is routed once); the first makes the rule and filters. */
  private route(source: OperationsEventSource, value: string, owner?: IConstruct): void {
    const values = this.routed.get(source) ?? new Map<string, string>();
    const key = owner?.node.path ?? value;
    if (values.has(key)) return;
    if (values.size >= MAX_ROUTED_VALUES) {
      invalidProp(this, 'routes', `more than ${MAX_ROUTED_VALUES} ${source} sources would pass EventBridge's pattern size limit in one rule`);
    }
    values.set(key, value);
    if (!this.routed.has(source)) {
      this.routed.set(source, values);
      this.createRule(source, values);
    }
  }

  private createRule(source: OperationsEventSource, values: Map<string, string>): void {
    const list = Lazy.list({ produce: () => [...values.values()] });
    const rule = new events.Rule(this, `${SOURCE_IDS[source]}Rule`, {
      description: `Writes ${DESCRIPTIONS[source]} of stack ${Stack.of(this).stackName} to its operations log`,
      eventPattern: patternFor(source, list, values),
      targets: [new OperationsLogTarget(this.logGroup)],
    });
    this.rules.set(source, rule);
    for (const filter of OPERATIONS_FILTERS.filter((f) => f.source === source)) {
      new logs.MetricFilter(this, filter.id, {
        logGroup: this.logGroup,
        filterPattern: logs.FilterPattern.literal(filter.pattern),
        metricNamespace: this.metricNamespace,
        metricName: filter.metric,
        metricValue: '1',
        dimensions: { [filter.dimension]: filter.dimensionField },
        unit: cloudwatch.Unit.COUNT,
      });
    }
  }

  private warnWithoutAccess(): string[] {
    if (!OperationsLogAccess.existsFor(this)) {
      Annotations.of(this).addWarningV2(OPERATIONS_LOG_ACCESS_WARNING, `EventBridge can write to ${this.logGroup.node.path} only where the account `
        + `has the cdk-opex Logs resource policy for ${OPERATIONS_LOG_PREFIX}*: deploy OperationsLogAccess once per account and region `
        + '(platform team), or pass createAccess: true to OperationsLog.enable in a single-stack app; then acknowledge this warning. '
        + 'Without it, the events go to the response dead-letter queue, whose alarm pages.');
    }
    return [];
  }
}

const SOURCE_IDS: Record<OperationsEventSource, string> = {
  [OperationsEventSource.CODEDEPLOY]: 'CodeDeploy',
  [OperationsEventSource.ECS]: 'EcsDeployments',
  [OperationsEventSource.ALARMS]: 'HealthAlarms',
  [OperationsEventSource.RUNBOOKS]: 'Runbooks',
  [OperationsEventSource.EXPERIMENTS]: 'GameDays',
};

const DESCRIPTIONS: Record<OperationsEventSource, string> = {
  [OperationsEventSource.CODEDEPLOY]: 'CodeDeploy deployment state changes',
  [OperationsEventSource.ECS]: 'ECS deployment state changes',
  [OperationsEventSource.ALARMS]: 'state changes of the composite (health) alarms',
  [OperationsEventSource.RUNBOOKS]: 'Automation executions of the runbooks',
  [OperationsEventSource.EXPERIMENTS]: 'FIS experiment state changes',
};

/** The event pattern of a source's rule: `list` holds the routed values (for ALARMS, the one alarm-name prefix). */
function patternFor(source: OperationsEventSource, list: string[], values: Map<string, string>): events.EventPattern {
  switch (source) {
    case OperationsEventSource.CODEDEPLOY:
      return { source: ['aws.codedeploy'], detailType: ['CodeDeploy Deployment State-change Notification'], detail: { application: list } };
    case OperationsEventSource.ECS:
      return { source: ['aws.ecs'], detailType: ['ECS Deployment State Change'], resources: list };
    case OperationsEventSource.ALARMS:
      // Composite alarms only (they carry `configuration.alarmRule`): the health alarms, not every signal's flapping.
      return {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: { alarmName: events.Match.prefix([...values.values()][0]), configuration: { alarmRule: events.Match.exists() } },
      };
    case OperationsEventSource.RUNBOOKS:
      return { source: ['aws.ssm'], detailType: ['EC2 Automation Execution Status-change Notification'], detail: { Definition: list } };
    case OperationsEventSource.EXPERIMENTS:
      return { source: ['aws.fis'], detailType: ['FIS Experiment State Change'], detail: { 'experiment-template-id': list } };
  }
}

/** Routing requests of services made before their stack's operations log was turned on. */
const pending = new WeakMap<Stack, Array<(log: OperationsLog) => void>>();

function pendingRoutes(stack: Stack): Array<(log: OperationsLog) => void> {
  return pending.get(stack) ?? [];
}

/** Runs `route` on the stack's operations log now if it is on, else when it is turned on. */
export function whenOperationsLog(scope: IConstruct, route: (log: OperationsLog) => void): void {
  const log = OperationsLog.find(scope);
  if (log) {
    route(log);
    return;
  }
  const stack = Stack.of(scope);
  pending.set(stack, [...pendingRoutes(stack), route]);
}
