import { Duration, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { Limits } from '../core/limits';
import { OWNERSHIP_TAGS, ownershipName } from '../core/ownership';
import { invalidProp, literalMillis, matchingString, positiveNumber } from '../core/validate';
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
  LAMBDA_DEFAULTS, LAMBDA_KIND, lambdaAlarmSpecs, lambdaDashboardWidgets, lambdaLogGroupName,
  lambdaRunbooks, lambdaSignals, lambdaTimeout,
} from '../services/lambda';

/** An OpsItem the health alarm opens in OpsCenter. */
export interface OpsItemOptions {
  /** Severity of the OpsItem. */
  readonly severity: cw_actions.OpsItemSeverity;
  /**
   * @default OpsItemCategory.AVAILABILITY
   */
  readonly category?: cw_actions.OpsItemCategory;
}

/** An availability objective for a function: the share of invocations that succeed. */
export interface FunctionSloOptions {
  /** Target, in percent of invocations, e.g. 99.9 (above 50, below 100). */
  readonly target: number;
  /**
   * Window the error budget is spent over.
   * @default Duration.days(28)
   */
  readonly window?: Duration;
}

/** Properties of an {@link OperationalFunction}. */
export interface OperationalFunctionProps {
  /** The function to operate. Its `currentVersion` is what the alias rolls out. */
  readonly lambdaFunction: lambda.Function;
  /**
   * Service name, used in alarm names, the dashboard and the `service` tag.
   * @default - the construct id
   */
  readonly serviceName?: string;
  /**
   * Owning team, set as the `team` tag.
   * @default - no team tag
   */
  readonly team?: string;
  /**
   * Name of the alias that serves traffic; point callers at it.
   * @default 'live'
   */
  readonly aliasName?: string;
  /**
   * How new versions reach users.
   * @default RolloutStrategy.DEFAULT (canary: 10% for 5 minutes, then 100%)
   */
  readonly rollout?: RolloutStrategy;
  /**
   * Error rate, in percent of invocations, at which the errors alarm fires (0 < x <= 100).
   * @default 5
   */
  readonly errorRateThreshold?: number;
  /**
   * p99 duration at which the latency alarm fires; must be below the function's timeout.
   * @default - 80% of the function's timeout
   */
  readonly latencyThreshold?: Duration;
  /**
   * Throttled invocations per period at which the throttles alarm fires.
   * @default 1
   */
  readonly throttleThreshold?: number;
  /**
   * Period of every alarm: 10, 20 or 30 seconds or a multiple of a minute.
   * @default - the alarm policy's (1 minute)
   */
  readonly alarmPeriod?: Duration;
  /**
   * Periods each alarm looks at (N of "M out of N").
   * @default - the alarm policy's (3)
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods that fire an alarm (M of "M out of N"). With the defaults an
   * outage is detected within 3 minutes: 2 periods plus a minute of metric delay.
   * @default - the alarm policy's (2)
   */
  readonly datapointsToAlarm?: number;
  /**
   * How this service's alarms are named and what they do, by severity.
   * @default - the policy set on the stack or app with AlarmPolicy.set, else the defaults
   */
  readonly alarmPolicy?: AlarmPolicy;
  /**
   * Open an OpsItem when the health alarm fires, besides the policy's critical actions.
   * @default - no OpsItem from the alarm (the diagnostics runbook still records one)
   */
  readonly opsItem?: OpsItemOptions;
  /**
   * An availability objective with multiwindow burn-rate alerts: a fast burn makes the
   * service unhealthy (the health alarm pages), a slow burn opens a ticket.
   * @default - no SLO
   */
  readonly slo?: FunctionSloOptions;
  /**
   * More alarms that stop and roll back a deployment (a deployment group takes 10 in all).
   * @default - only the service's signal alarms
   */
  readonly additionalRollbackAlarms?: cloudwatch.IAlarm[];
}

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
    const fn = props.lambdaFunction;
    this.serviceName = ownershipName(this, 'serviceName', props.serviceName ?? id);
    const aliasName = matchingString(this, 'aliasName', props.aliasName ?? 'live', /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/,
      'an alias name: letters, digits, - and _, not only digits');
    if (props.alarmPolicy) AlarmPolicy.set(this, props.alarmPolicy);
    const policy = AlarmPolicy.of(this);
    const evaluation: AlarmEvaluation = {
      period: props.alarmPeriod ?? policy.period,
      evaluationPeriods: props.evaluationPeriods ?? policy.evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm ?? policy.datapointsToAlarm,
    };
    validateEvaluation(this, evaluation);
    const timeout = lambdaTimeout(fn);
    const thresholds = {
      errorRatePercent: positiveNumber(this, 'errorRateThreshold', props.errorRateThreshold ?? LAMBDA_DEFAULTS.errorRatePercent),
      latency: props.latencyThreshold ?? Duration.millis(timeout.toMilliseconds() * LAMBDA_DEFAULTS.latencyShareOfTimeout),
      throttles: positiveNumber(this, 'throttleThreshold', props.throttleThreshold ?? LAMBDA_DEFAULTS.throttles),
    };
    if (thresholds.errorRatePercent > 100) {
      invalidProp(this, 'errorRateThreshold', `is a percentage of invocations and must be at most 100 (got ${thresholds.errorRatePercent})`);
    }
    validateLatency(this, thresholds.latency, timeout);
    this.hub = OperationsHub.of(this);

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
    });
    const healthName = policy.alarmName(this, this.serviceName, 'health', AlarmSeverity.CRITICAL);

    const rollout = props.rollout ?? RolloutStrategy.DEFAULT;
    const rollbackAlarms = [...this.alarms, ...(props.additionalRollbackAlarms ?? [])];
    if (rollbackAlarms.length > Limits.DEPLOYMENT_GROUP_ALARMS) {
      invalidProp(this, 'additionalRollbackAlarms', `a deployment group takes at most ${Limits.DEPLOYMENT_GROUP_ALARMS} alarms; `
        + `the ${this.alarms.length} signal alarms and ${rollbackAlarms.length - this.alarms.length} more make ${rollbackAlarms.length}`);
    }
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
      team: props.team,
      detectionSeconds: this.detectionTime.toSeconds(),
      rollout: rollout.describe(),
      runbookUrl: links.runbook(diagnostics),
      deploymentGroupUrl: links.deploymentGroup(this.deploymentGroup),
    }, signals, thresholds, timeout, [this.healthAlarm, ...this.alarms]), [this.healthAlarm]);

    const team = props.team === undefined ? undefined : ownershipName(this, 'team', props.team);
    for (const target of [this, fn]) {
      Tags.of(target).add(OWNERSHIP_TAGS.service, this.serviceName);
      if (team) Tags.of(target).add(OWNERSHIP_TAGS.team, team);
    }

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
        { runbook: diagnostics, trigger: `EventBridge, when ${healthName} enters ALARM` },
        { runbook: runbooks.rollback, trigger: 'an operator; waits for approval' },
        { runbook: runbooks.concurrency, trigger: 'an operator; waits for approval' },
      ],
    });
  }
}

function validateLatency(scope: Construct, latency: Duration, timeout: Duration): void {
  const millis = literalMillis(scope, 'latencyThreshold', latency);
  positiveNumber(scope, 'latencyThreshold', millis);
  if (millis >= timeout.toMilliseconds()) {
    invalidProp(scope, 'latencyThreshold', `must be below the function's timeout of ${timeout.toMilliseconds()} ms `
      + `(got ${millis} ms): duration never passes the timeout, so the alarm could never fire`);
  }
}
