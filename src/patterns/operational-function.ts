import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { OperationalFunctionProps } from './operational-function-props';
import { ownershipName, tagOwnership } from '../core/ownership';
import { invalidProp, matchingString } from '../core/validate';
import { createLambdaDeploymentGroup } from '../deployments/lambda-deployment';
import { RolloutStrategy } from '../deployments/rollout-strategy';
import { OperationsHub } from '../hub/operations-hub';
import { AlarmEvaluation, createSignalAlarm, detectionSeconds, validateEvaluation } from '../observability/alarm-factory';
import { AlarmPolicy, AlarmSeverity } from '../observability/alarm-policy';
import { createHealthAlarm } from '../observability/health-alarm';
import { consoleLinks } from '../observability/links';
import { ServiceLevelObjective, SloIndicator } from '../observability/slo';
import { Runbook } from '../runbooks/runbook';
import { RunbookTrigger } from '../runbooks/runbook-trigger';
import { Triggers } from '../runbooks/triggers';
import {
  claimFunction, definedFunction, enableLambdaTracing, LAMBDA_KIND, LAMBDA_METRIC_RESOLUTION, lambdaAlarmSpecs,
  lambdaDashboardWidgets, lambdaLogGroupName, lambdaRunbooks, lambdaSignals, lambdaThresholds, lambdaTimeout,
} from '../services/lambda';

/** The props an OperationalFunction's alarm evaluation is set by. */
const EVALUATION_PROPS = { period: 'alarmPeriod', evaluationPeriods: 'evaluationPeriods', datapointsToAlarm: 'datapointsToAlarm' };

/**
 * A Lambda function operable from day one: golden-signal alarms and a composite
 * health alarm on a `live` alias, a canary rollout that rolls back on those alarms,
 * a dashboard section, and a diagnostics runbook started when the service turns
 * unhealthy. Shared pieces come from the stack's {@link OperationsHub}.
 */
export class OperationalFunction extends Construct {
  /** The service's name. */
  public readonly serviceName: string;
  /** The alias that serves traffic; its version is what CodeDeploy rolls out. */
  public readonly alias: lambda.Alias;
  /** Alarms on the golden signals (errors, latency, throttles). */
  public readonly alarms: cloudwatch.Alarm[];
  /** Composite alarm over the signal alarms: the one that pages. */
  public readonly healthAlarm: cloudwatch.CompositeAlarm;
  /** The deployment group that rolls out new versions and rolls back on alarm. */
  public readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
  /** The dashboard holding this service's section (shared by the stack's services). */
  public readonly dashboard: cloudwatch.Dashboard;
  /**
   * Runbooks for this service (shared documents whose roles are scoped to it):
   * diagnostics (started when unhealthy), rollback and concurrency (for operators, behind an approval).
   */
  public readonly runbooks: Runbook[];
  /** Rules that start the runbooks. */
  public readonly responseRules: events.Rule[];
  /**
   * The availability objective, when `slo` is set.
   * @default - none
   */
  public readonly slo?: ServiceLevelObjective;
  /** How long after a total outage begins the health alarm fires. */
  public readonly detectionTime: Duration;
  /** The stack's operations hub. */
  public readonly hub: OperationsHub;

  constructor(scope: Construct, id: string, props: OperationalFunctionProps) {
    super(scope, id);
    const fn = definedFunction(this, props.lambdaFunction);
    this.serviceName = ownershipName(this, 'serviceName', props.serviceName ?? id);
    const team = props.team === undefined ? undefined : ownershipName(this, 'team', props.team);
    const aliasName = matchingString(this, 'aliasName', props.aliasName ?? 'live', /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/,
      'an alias name: letters, digits, - and _, not only digits');
    if (props.alarmPolicy) AlarmPolicy.set(this, props.alarmPolicy);
    const policy = AlarmPolicy.of(this);
    const evaluation: AlarmEvaluation = {
      period: props.alarmPeriod ?? policy.period,
      evaluationPeriods: props.evaluationPeriods ?? policy.evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm ?? policy.datapointsToAlarm,
    };
    validateEvaluation(this, evaluation, EVALUATION_PROPS, {
      metricResolutionSeconds: LAMBDA_METRIC_RESOLUTION.toSeconds(),
      periodSource: props.alarmPeriod ? undefined : 'from the alarm policy\'s period',
    });
    const timeout = lambdaTimeout(this, fn);
    const thresholds = lambdaThresholds(this, props, timeout);
    this.hub = OperationsHub.of(this);
    if (this.hub.services.some((s) => s.serviceName === this.serviceName)) {
      invalidProp(this, 'serviceName', `'${this.serviceName}' is already a service of this stack; service names must be unique`);
    }
    claimFunction(this, fn, aliasName);

    if (props.tracing ?? true) enableLambdaTracing(this.hub, fn);
    this.alias = new lambda.Alias(this, 'Alias', { aliasName, version: fn.currentVersion });
    const signals = lambdaSignals(fn, this.alias, evaluation.period);
    const logGroupName = lambdaLogGroupName(fn);
    const runbooks = lambdaRunbooks(this, fn, logGroupName);
    const diagnostics = runbooks.diagnostics;

    const specs = lambdaAlarmSpecs(signals, thresholds, aliasName);
    this.alarms = specs.map((spec) => createSignalAlarm(this, {
      serviceName: this.serviceName,
      response: `Feeds the ${this.serviceName} health alarm, which pages, and rolls back a deployment in progress.`,
    }, spec, evaluation));
    this.detectionTime = Duration.seconds(detectionSeconds(evaluation));

    if (props.slo) {
      this.slo = new ServiceLevelObjective(this, 'Slo', {
        serviceName: this.serviceName,
        indicator: SloIndicator.availabilityFromErrors({ errors: signals.errors, total: signals.invocations }),
        target: props.slo.target,
        window: props.slo.window,
        pageActions: [], // the health alarm pages for it: one incident, one page
      });
    }

    this.healthAlarm = createHealthAlarm(this, {
      serviceName: this.serviceName,
      signalAlarms: [...this.alarms, ...(this.slo ? [this.slo.pageAlarm] : [])],
      response: `Response: the ${diagnostics.node.id} runbook starts and records diagnostics on an OpsItem.`,
      extraActions: props.opsItem ? [new cw_actions.SsmAction(props.opsItem.severity,
        props.opsItem.category ?? cw_actions.OpsItemCategory.AVAILABILITY)] : [],
      extraActionsProp: 'opsItem',
    });
    const healthName = policy.alarmName(this, this.serviceName, 'health', AlarmSeverity.CRITICAL);

    const rollout = props.rollout ?? RolloutStrategy.DEFAULT;
    const rollbackAlarms = [...this.alarms, ...(props.additionalRollbackAlarms ?? [])];
    this.deploymentGroup = createLambdaDeploymentGroup(this, {
      hub: this.hub, fn, alias: this.alias, rollout, alarms: rollbackAlarms, ownAlarms: this.alarms,
    });

    this.runbooks = Object.values(runbooks);
    this.responseRules = [new RunbookTrigger(this, 'OnUnhealthy', {
      runbook: diagnostics,
      description: `Starts the ${diagnostics.node.id} runbook when the ${this.serviceName} health alarm goes into ALARM`,
      eventPattern: Triggers.alarmEntersAlarm(this.healthAlarm),
      parameters: {
        FunctionName: [fn.functionName],
        AliasName: [aliasName],
        LogGroupName: [logGroupName],
        ServiceName: [this.serviceName],
        AlarmName: [events.EventField.fromPath('$.detail.alarmName')],
      },
    }).rule];

    const links = consoleLinks(this);
    this.dashboard = this.hub.addDashboardSection(lambdaDashboardWidgets({
      serviceName: this.serviceName,
      team,
      detectionSeconds: this.detectionTime.toSeconds(),
      rollout: rollout.describe(),
      runbookUrl: links.runbook(diagnostics),
      deploymentGroupUrl: links.deploymentGroup(this.deploymentGroup),
    }, signals, thresholds, timeout, [this.healthAlarm, ...this.alarms]), [this.healthAlarm]);

    tagOwnership([this, fn], this.serviceName, team);

    this.hub.registerService({
      serviceName: this.serviceName,
      kind: LAMBDA_KIND,
      team,
      scope: this,
      signalAlarms: Object.fromEntries(this.alarms.map((a, i) => [specs[i].signal, a])),
      healthAlarm: this.healthAlarm,
      detectionSeconds: this.detectionTime.toSeconds(),
      deploymentGroup: this.deploymentGroup,
      rollout,
      rollbackAlarms,
      objectives: this.slo ? [{
        target: this.slo.target,
        windowDays: this.slo.window.toDays(),
        alerts: this.slo.describeAlerts(),
        pageAlarm: this.slo.pageAlarm,
      }] : [],
      responses: [
        { runbook: diagnostics, automatic: true, trigger: `EventBridge, when ${healthName} enters ALARM` },
        { runbook: runbooks.rollback, automatic: false, trigger: 'an operator; waits for approval' },
        { runbook: runbooks.concurrency, automatic: false, trigger: 'an operator; waits for approval' },
      ],
    });
  }
}
