import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { withResourceGraph } from './graph';
import {
  AlarmHasAction, AlarmHasRunbook, ApiGatewayStageAlarmed, ApiGatewayStageTracing, AutomationHasAssumeRole,
  DashboardWithinLimits, DeploymentGroupRollsBack, EcsServiceAlarmed, EventBridgeAutomationTargetRole,
  LambdaFunctionAlarmed, LambdaTracing, LogGroupRetention, OperatedServiceHasGameDay, OwnershipTags, PagingAlarmHasIncidentTimeline,
  SafeDeployment, SqsQueueAlarmed,
} from './rules';
import { OWNERSHIP_TAGS } from '../core/ownership';

/** Properties of {@link OperationalExcellenceChecks}. */
export interface OperationalExcellenceChecksProps extends NagPackProps {
  /**
   * Also require a `team` tag on workload resources and alarms (OPEX-OwnershipTags[team]).
   * Off by default because a service created without `team` names no team.
   * @default false
   */
  readonly requireTeamTag?: boolean;
  /**
   * Also warn about operated services (a Lambda function or ECS service with an alarm) that no FIS experiment template
   * targets (OPEX-OperatedServiceHasGameDay, warning level). Off by default so plain apps are not blocked.
   * @default false
   */
  readonly requireGameDays?: boolean;
  /**
   * Also warn about paging composite alarms with no incident timeline: no rule starts a runbook when they return to OK
   * (OPEX-PagingAlarmHasIncidentTimeline, warning level; `OperationsLog.enable` adds one). Off by default so plain apps are not blocked.
   * @default false
   */
  readonly requireIncidentTimelines?: boolean;
}

/** A rule with what its finding says: `info` what is wrong, `explanation` why it matters and the WA best practice. */
interface RuleSpec {
  readonly name: string;
  readonly rule: (node: CfnResource) => NagRuleResult;
  readonly info: string;
  readonly explanation: string;
  /** @default NagMessageLevel.ERROR */
  readonly level?: NagMessageLevel;
}

const ACTIONABLE_ALERTS = 'OPS08-BP04 Create actionable alerts';

/**
 * The AWS Well-Architected Operational Excellence pillar as a cdk-nag pack: every
 * workload resource is alarmed, alarms act and come with runbooks, deployments roll
 * back on alarm, resources have owners, telemetry is kept and traced. Rule ids are
 * `OPEX-<Rule>`; each finding's explanation names the best practice (e.g. OPS08-BP04).
 *
 * Cross-resource rules (an alarm *on* this function, a rule that *starts a runbook for*
 * this alarm) look only within the resource's own stack.
 *
 * @example
 * Validations.of(app).addPlugins(new OperationalExcellenceChecks(app));
 */
export class OperationalExcellenceChecks extends NagPack {
  public readonly name = 'OperationalExcellence';
  private readonly rules: RuleSpec[];

  constructor(scope?: IConstruct, props: OperationalExcellenceChecksProps = {}) {
    super(scope, props);
    this.packName = 'OPEX';
    const tagKeys = [OWNERSHIP_TAGS.service, ...(props.requireTeamTag ? [OWNERSHIP_TAGS.team] : [])];
    this.rules = [
      {
        name: LambdaFunctionAlarmed.name,
        rule: LambdaFunctionAlarmed,
        info: 'The Lambda function has no CloudWatch alarm on its metrics (no alarm with its FunctionName dimension).',
        explanation: `Without an alarm on its errors, latency or throttles, a failing function is found by its users first. ${ACTIONABLE_ALERTS}.`,
      },
      {
        name: EcsServiceAlarmed.name,
        rule: EcsServiceAlarmed,
        info: 'The ECS service has no CloudWatch alarm on its metrics or on its load balancer target group.',
        explanation: `Without an alarm on its CPU, memory, running tasks or its target group's errors, a failing service is found by its users first. ${ACTIONABLE_ALERTS}.`,
      },
      {
        name: ApiGatewayStageAlarmed.name,
        rule: ApiGatewayStageAlarmed,
        info: 'The API Gateway stage has no CloudWatch alarm on its metrics (ApiName or ApiId, and Stage).',
        explanation: `Without an alarm on its 5XX errors or latency, a failing API is found by its callers first. ${ACTIONABLE_ALERTS}.`,
      },
      {
        name: SqsQueueAlarmed.name,
        rule: SqsQueueAlarmed,
        info: 'The SQS queue has no CloudWatch alarm on its metrics (no alarm with its QueueName dimension).',
        explanation: `A queue whose consumers stopped grows silently until messages expire; alarm on the age of the oldest message or the backlog. ${ACTIONABLE_ALERTS}.`,
      },
      {
        name: AlarmHasAction.name,
        rule: AlarmHasAction,
        info: 'The alarm has no enabled alarm action, feeds no composite alarm and rolls back no deployment.',
        explanation: 'An alarm that notifies no one, starts nothing and stops no deployment is noise on a dashboard, not an alert. '
          + `${ACTIONABLE_ALERTS}; OPS10-BP02 Have a process per alert.`,
      },
      {
        name: SafeDeployment.name,
        rule: SafeDeployment,
        info: 'The Lambda alias or ECS service is not deployed gradually with automatic rollback on alarm.',
        explanation: 'A Lambda alias should be shifted by CodeDeploy (UpdatePolicy CodeDeployLambdaAliasUpdate) through a deployment group '
          + 'that rolls back on alarm; an ECS service should use CodeDeploy or the deployment circuit breaker or deployment alarms with rollback. '
          + 'A bad change then reaches few users and is undone without a person. '
          + 'OPS06-BP03 Employ safe deployment strategies; OPS06-BP04 Automate testing and rollback.',
      },
      {
        name: DeploymentGroupRollsBack.name,
        rule: DeploymentGroupRollsBack,
        info: 'The CodeDeploy deployment group does not roll back automatically when one of its alarms fires.',
        explanation: 'Enable the alarm configuration with at least one alarm, and auto-rollback with DEPLOYMENT_STOP_ON_ALARM, so a '
          + 'deployment that hurts users is undone without waiting for a person. OPS06-BP04 Automate testing and rollback.',
      },
      {
        name: AlarmHasRunbook.name,
        rule: AlarmHasRunbook,
        info: 'The alarm notifies people (an SNS topic) but no EventBridge rule starts an SSM Automation runbook when it fires.',
        explanation: 'Whoever is paged should find the first response (diagnostics, a safe remediation) already under way, done the same '
          + 'way every time. OPS07-BP03 Use runbooks to perform procedures; OPS10-BP07 Automate responses to events.',
      },
      {
        name: OwnershipTags.name,
        rule: (node) => OwnershipTags(node, tagKeys),
        info: `The resource lacks an ownership tag (${tagKeys.join(', ')}); the finding names the missing key.`,
        explanation: 'An operator who finds a failing resource or a firing alarm must see at once which service it belongs to '
          + 'and who owns it. OPS02-BP01 Resources have identified owners.',
      },
      {
        name: LogGroupRetention.name,
        rule: LogGroupRetention,
        info: 'The CloudWatch Logs log group has no retention period (RetentionInDays).',
        explanation: 'Logs kept forever cost more every month and are rarely read; choose how long they are useful. '
          + 'The log groups Lambda creates implicitly are not in the template and not checked: give functions a logGroup. '
          + 'OPS04-BP02 Implement application telemetry.',
      },
      {
        name: LambdaTracing.name,
        rule: LambdaTracing,
        info: 'The Lambda function does not have AWS X-Ray active tracing (TracingConfig Mode Active).',
        explanation: 'Traces show where a slow or failing request spends its time across services. OPS04-BP05 Implement distributed tracing.',
      },
      {
        name: ApiGatewayStageTracing.name,
        rule: ApiGatewayStageTracing,
        info: 'The API Gateway stage does not have AWS X-Ray tracing enabled (TracingEnabled).',
        explanation: 'Traces show where a slow or failing request spends its time, from the API to its backends. '
          + 'OPS04-BP05 Implement distributed tracing.',
      },
      {
        name: AutomationHasAssumeRole.name,
        rule: AutomationHasAssumeRole,
        info: 'The SSM Automation document has no assumeRole.',
        explanation: 'Without assumeRole a runbook runs with the permissions of whoever starts it, so it behaves differently for each '
          + 'caller and cannot be started by EventBridge with a role of its own; give it a least-privilege role, usually '
          + '{{ AutomationAssumeRole }}. OPS07-BP03 Use runbooks to perform procedures; SEC03-BP02 Grant least privilege access.',
      },
      {
        name: EventBridgeAutomationTargetRole.name,
        rule: EventBridgeAutomationTargetRole,
        info: 'The EventBridge rule starts an SSM Automation runbook without a target role (RoleArn).',
        explanation: 'EventBridge needs a role allowed to start the automation; without it the response never runs when the '
          + 'event happens. OPS10-BP07 Automate responses to events.',
      },
      {
        name: DashboardWithinLimits.name,
        rule: DashboardWithinLimits,
        info: 'The CloudWatch dashboard has more than 500 widgets, the most CloudWatch accepts.',
        explanation: 'CloudWatch rejects the dashboard at deploy time; split it (one per service or per team) so each stays readable. '
          + 'OPS08-BP05 Create dashboards.',
      },
      ...(props.requireGameDays ? [{
        name: OperatedServiceHasGameDay.name,
        rule: OperatedServiceHasGameDay,
        level: NagMessageLevel.WARN,
        info: 'The service has alarms but no game day: no FIS experiment template targets it.',
        explanation: 'Its alarms promise a detection time and its runbooks a response; only an injected fault shows both work. '
          + 'Add a GameDay. OPS07-BP03 Use runbooks to perform procedures; REL12-BP05 Conduct game days regularly.',
      }] : []),
      ...(props.requireIncidentTimelines ? [{
        name: PagingAlarmHasIncidentTimeline.name,
        rule: PagingAlarmHasIncidentTimeline,
        level: NagMessageLevel.WARN,
        info: 'The alarm pages, but no incident timeline starts when it returns to OK.',
        explanation: 'A page that ends with nothing written down teaches nothing: record what happened (alarm history, deployments, '
          + 'runbook runs, time to detect and to restore) for the post-incident review. Enable OperationsLog. '
          + 'OPS11-BP02 Perform post-incident analysis.',
      }] : []),
    ];
  }

  /** Validates `scope`; every rule of this run shares one resolved view of each stack. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return withResourceGraph(() => super.validateScope(scope));
  }

  protected checkResource(node: CfnResource): void {
    for (const spec of this.rules) {
      this.applyRule({
        ruleSuffixOverride: spec.name,
        info: spec.info,
        explanation: spec.explanation,
        level: spec.level ?? NagMessageLevel.ERROR,
        rule: spec.rule,
        node,
      });
    }
  }
}
