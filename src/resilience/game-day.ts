import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { createExperimentRole, createExperimentTemplate, FaultTarget, ResolvedScenario } from './experiment';
import { FaultDefinition, faultOf, FIS_MAX_DURATION_SECONDS, FIS_MAX_LAMBDA_DELAY_MILLIS, KIND_FAULTS } from './faults';
import { GameDayOptions, GameDayScenario } from './game-day-props';
import { allowGameDay, GAME_DAY_METRIC, gameDayRunbook } from './game-day-runbook';
import { createSchedules, DEFAULT_GAME_DAY_SCHEDULE } from './game-day-schedule';
import { fisConfigurationBucket, installFisExtension } from './lambda-extension';
import { operationsStack } from '../core/operations-stack';
import { tagOwnership } from '../core/ownership';
import { integerInRange, invalidProp, literalMillis, matchingString, wholeDuration } from '../core/validate';
import { keyForLogs } from '../hub/logs-key';
import { ServiceRecord } from '../hub/records';
import { createMetricAlarm } from '../observability/alarm-factory';
import { AlarmSeverity } from '../observability/alarm-policy';
import { OperationalService } from '../patterns/operational-service';
import { Runbook } from '../runbooks/runbook';

/** Blast radius when the scenario sets none: a small share, for a staging environment. */
export const DEFAULT_BLAST_RADIUS_PERCENT = 10;
/** How long a fault lasts when the scenario sets no duration. */
export const DEFAULT_FAULT_DURATION = Duration.minutes(5);

/** What one game day made for one scenario. */
export interface GameDayExperiment {
  /** Scenario name. */
  readonly name: string;
  /** Its FIS experiment template. */
  readonly template: fis.CfnExperimentTemplate;
  /** The alarm that stops it: users hurt beyond the injected fault. */
  readonly guardAlarm: cloudwatch.IAlarm;
  /** The service's signals (alarm signal names) it is expected to trip. */
  readonly trips: string[];
  /** The game-day runbook's parameters that run it, each a list of strings. */
  readonly runParameters: { [name: string]: string[] };
}

/** Properties of a {@link GameDay}. */
export interface GameDayProps extends GameDayOptions {
  /** The service faults are injected into; the experiments target only its resources. */
  readonly service: OperationalService;
}

/**
 * Game days for one service: an FIS experiment template per scenario, targeting only the
 * service's resources, with a small default blast radius and a guard alarm that stops it;
 * the stack's game-day runbook, allowed to run exactly these experiments, verifies that the
 * health alarm fired within the detection time and the response runbook started; a
 * ticket-level alarm fires when a game day fails. Scheduling is opt-in.
 */
export class GameDay extends Construct {
  /** The experiments, in the order of the scenarios. */
  public readonly experiments: GameDayExperiment[];
  /** The role FIS assumes: the faults' actions on this service's resources only. */
  public readonly experimentRole: iam.IRole;
  /** Where FIS logs the experiments. */
  public readonly logGroup: logs.ILogGroup;
  /** The stack's game-day runbook (shared), allowed to run these experiments. */
  public readonly runbook: Runbook;
  /** Ticket-level alarm: a game day of this service failed. */
  public readonly failedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: GameDayProps) {
    super(scope, id);
    const service = props.service;
    const record = serviceRecord(this, service);
    // Its alarms and experiments answer to the service's owners, wherever the game day is defined.
    tagOwnership([this], service.serviceName, service.team);
    if (props.scenarios.length === 0) invalidProp(this, 'scenarios', 'give at least one scenario');
    const definitions = props.scenarios.map((s) => this.definition(service, s));
    const needsExtension = definitions.some((d) => d.needsLambdaExtension);
    if (needsExtension && !props.installLambdaExtension) {
      invalidProp(this, 'installLambdaExtension', 'Lambda faults need the FIS Lambda extension on the function; set '
        + '`installLambdaExtension: true` (it adds a layer and two environment variables, so the function gets a new version)');
    }
    const on = this.faultTarget(service, needsExtension);

    this.logGroup = new logs.LogGroup(this, 'ExperimentLog', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: keyForLogs(this),
    });
    // Experiment reports go to the stack's FIS bucket, one prefix per service, with the service's dashboard in them.
    const report = { bucket: fisConfigurationBucket(this), prefix: `GameDayReports/${service.serviceName}/`, dashboardArn: service.dashboard.dashboardArn };
    this.experimentRole = createExperimentRole(this, service.serviceName, definitions, on, this.logGroup, report);
    const names = new Set<string>();
    const resolved = props.scenarios.map((s, i) => this.resolve(s, definitions[i], record, names));
    const templates = resolved.map((s) => createExperimentTemplate(this, `${pascal(s.name)}Experiment`, s, {
      serviceName: service.serviceName, role: this.experimentRole, logGroup: this.logGroup, on, report,
    }));

    this.runbook = gameDayRunbook(this);
    allowGameDay(this.runbook, templates.map((t) => t.ref), service.healthAlarm.alarmArn);
    const responseDocument = service.runbooks[0].documentName;
    this.experiments = resolved.map((s, i) => ({
      name: s.name,
      template: templates[i],
      guardAlarm: s.guardAlarm,
      trips: s.definition.trips,
      runParameters: {
        ExperimentTemplateId: [templates[i].ref],
        ServiceName: [service.serviceName],
        Scenario: [s.name],
        HealthAlarmName: [service.healthAlarm.alarmName],
        ResponseDocumentName: [responseDocument],
        DetectionSeconds: [String(service.detectionTime.toSeconds())],
      },
    }));

    this.failedAlarm = createMetricAlarm(this, {
      id: 'FailedAlarm',
      serviceName: service.serviceName,
      signal: 'gameday',
      severity: AlarmSeverity.WARNING,
      description: `A game day of ${service.serviceName} failed: a fault was not detected within ${service.detectionTime.toSeconds()} s, `
        + 'or the response runbook did not start, or the experiment was stopped or could not run. The verdict and its evidence '
        + 'are on the game day\'s OpsItem.',
    }, {
      metric: new cloudwatch.Metric({
        namespace: GAME_DAY_METRIC.namespace,
        metricName: GAME_DAY_METRIC.metricName,
        dimensionsMap: { [GAME_DAY_METRIC.dimension]: service.serviceName },
        statistic: 'Maximum',
        period: Duration.hours(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // The last results, on the stack's dashboard: 1 is a failed game day, 0 a passed one.
    service.hub.addDashboardSection(gameDayWidgets(service.serviceName, this.failedAlarm, this.experiments.map((e) => e.name)));

    const scheduled = props.scenarios.map((s, i) => ({ scenario: s, experiment: this.experiments[i] })).filter((x) => x.scenario.schedule);
    if (scheduled.length && !props.enableSchedule) {
      invalidProp(this, 'enableSchedule', `scenario '${scheduled[0].scenario.name}' has a schedule, but game days inject faults: `
        + 'set `enableSchedule: true` to let them start on their own');
    }
    if (props.enableSchedule && scheduled.length === 0) {
      invalidProp(this, 'enableSchedule', 'no scenario has a `schedule` to enable');
    }
    if (scheduled.length) createSchedules(this, this.runbook, service.serviceName, scheduled);

    service.hub.registerGameDay({
      serviceName: service.serviceName,
      runbook: this.runbook,
      healthAlarm: service.healthAlarm,
      detectionSeconds: service.detectionTime.toSeconds(),
      response: service.runbooks[0],
      failedAlarm: this.failedAlarm,
      scenarios: resolved.map((s, i) => ({
        scenario: s.name,
        actionId: s.definition.actionId,
        template: templates[i],
        percentage: s.percentage,
        unit: s.definition.unit,
        durationSeconds: s.definition.hasDuration ? s.durationSeconds : undefined,
        guardAlarm: s.guardAlarm,
        trips: s.definition.trips,
        schedule: props.scenarios[i].schedule ? props.scenarios[i].schedule!.expression ?? DEFAULT_GAME_DAY_SCHEDULE : undefined,
      })),
    });
  }

  /** The fault's definition for the service's kind; a fault the kind does not have throws naming the scenario. */
  private definition(service: OperationalService, scenario: GameDayScenario): FaultDefinition {
    const definition = faultOf(service.kind.kindName, scenario.fault);
    if (!definition) {
      const has = (KIND_FAULTS[service.kind.kindName] ?? []).map((f) => f.fault);
      invalidProp(this, 'scenarios', `scenario '${scenario.name}': a ${service.kind.kindName} service has no fault '${scenario.fault}' `
        + `(it has ${has.join(', ') || 'none'})`);
    }
    return definition;
  }

  /** The service's own function or ECS service, found among the kind's resources. */
  private faultTarget(service: OperationalService, installExtension: boolean): FaultTarget {
    const owned = service.kind.ownedResources();
    const fn = owned.find((r): r is lambda.IFunction => 'functionArn' in r && 'functionName' in r);
    const ecsService = owned.find((r): r is ecs.IBaseService => 'serviceArn' in r && 'cluster' in r);
    if (fn) {
      if (!installExtension) return { fn };
      const configBucket = fisConfigurationBucket(this);
      installFisExtension(this, 'installLambdaExtension', fn, configBucket);
      return { fn, configBucket };
    }
    if (ecsService) return { ecsService };
    return invalidProp(this, 'service', `cdk-opex has no game-day target for a ${service.kind.kindName} service`);
  }

  /** One scenario checked, with its defaults and its guard alarm. */
  private resolve(scenario: GameDayScenario, definition: FaultDefinition, record: ServiceRecord, names: Set<string>): ResolvedScenario {
    const name = matchingString(this, 'scenarios', scenario.name, /^[a-z0-9][a-z0-9-]{0,39}$/, 'a scenario name of 1-40 lower-case letters, digits and -');
    if (names.has(name)) invalidProp(this, 'scenarios', `scenario name '${name}' is used twice`);
    names.add(name);
    const percentage = integerInRange(this, 'percentage', scenario.percentage ?? DEFAULT_BLAST_RADIUS_PERCENT, 1, 100,
      `percent of ${definition.unit} (blast radius of scenario '${name}')`);
    const durationSeconds = wholeDuration(this, 'duration', scenario.duration ?? DEFAULT_FAULT_DURATION, 'seconds', 1, FIS_MAX_DURATION_SECONDS);
    let delayMillis: number | undefined;
    if (definition.actionId === 'aws:lambda:invocation-add-delay') {
      delayMillis = scenario.delay ? literalMillis(this, 'delay', scenario.delay) : latencyThresholdMillis(record) + 1000;
      integerInRange(this, 'delay', delayMillis, 1, FIS_MAX_LAMBDA_DELAY_MILLIS, 'milliseconds');
    } else if (scenario.delay) {
      invalidProp(this, 'delay', `scenario '${name}': only LAMBDA_INVOCATION_DELAY adds a delay`);
    }
    const tripped = definition.trips.map((s) => record.signalAlarms[s]).filter((a) => a !== undefined);
    let guardAlarm = scenario.guardAlarm;
    if (guardAlarm) {
      if (guardAlarm === record.healthAlarm || tripped.includes(guardAlarm)) {
        invalidProp(this, 'guardAlarm', `scenario '${name}': the guard must watch users hurt beyond the fault, not the alarm the fault is meant to trip`);
      }
      if (scenario.guardThreshold !== undefined) invalidProp(this, 'guardThreshold', `scenario '${name}': give guardAlarm or guardThreshold, not both`);
    } else {
      guardAlarm = this.guardAlarm(record, definition, name, percentage, scenario.guardThreshold);
    }
    return { name, definition, percentage, durationSeconds, delayMillis, guardAlarm };
  }

  /** An alarm on the service's error rate above the guard threshold: users hurt beyond the injected fault. */
  private guardAlarm(record: ServiceRecord, definition: FaultDefinition, name: string, percentage: number, given?: number): cloudwatch.IAlarm {
    const signal = record.signalAlarms[definition.guardSignal];
    if (!(signal instanceof cloudwatch.Alarm)) {
      return invalidProp(this, 'guardAlarm', `scenario '${name}': the service has no '${definition.guardSignal}' alarm to guard on; give a guardAlarm`);
    }
    const threshold = integerInRange(this, 'guardThreshold', given ?? Math.min(100, 2 * percentage + 10), 1, 100, 'percent of requests failing');
    if (definition.guardSignal === definition.trips[0] && threshold <= percentage) {
      invalidProp(this, 'guardThreshold', `scenario '${name}': ${threshold}% would stop the experiment on its own injected ${percentage}% of errors; `
        + 'set it above `percentage`');
    }
    return createMetricAlarm(this, {
      id: `${pascal(name)}Guard`,
      serviceName: record.serviceName,
      signal: `gameday-${name}-guard`,
      severity: AlarmSeverity.INFO,
      description: `Stops game day ${name} of ${record.serviceName}: ${definition.guardSignal} above ${threshold}%, beyond the `
        + `${percentage}% the experiment injects. Response: FIS stops the experiment and the game day is recorded as STOPPED.`,
    }, {
      metric: signal.metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/** The hub's record of `service`; a service of another stack throws. */
function serviceRecord(scope: IConstruct, service: OperationalService): ServiceRecord {
  const record = service.hub.services.find((s) => s.scope === service);
  if (!record || operationsStack(scope) !== operationsStack(service)) invalidProp(scope, 'service', 'the service must be an OperationalService of this stack');
  // A game day and its service refer to each other (its guard reads the service's alarms, the service's dashboard shows its results).
  if (Stack.of(scope) !== Stack.of(service)) {
    invalidProp(scope, 'service', `${service.node.path} was placed in a nested stack (ServicePlacement); give it its game days with the `
      + 'pattern\'s `gameDays` option, which keeps the service in the stack');
  }
  return record;
}

/** The latency alarm's threshold, in milliseconds (Lambda's Duration metric is in ms). */
function latencyThresholdMillis(record: ServiceRecord): number {
  const alarm = record.signalAlarms.latency;
  const threshold = alarm instanceof cloudwatch.Alarm ? (alarm.node.defaultChild as cloudwatch.CfnAlarm).threshold : undefined;
  return typeof threshold === 'number' ? Math.ceil(threshold) : 1000;
}

function pascal(name: string): string {
  return name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** A game day's row on the dashboard: its verdicts (hourly maximum) and its failure alarm. */
function gameDayWidgets(serviceName: string, failed: cloudwatch.Alarm, scenarios: string[]): cloudwatch.IWidget[] {
  return [
    new cloudwatch.GraphWidget({
      title: `${serviceName} game days (${scenarios.join(', ')}): 1 = failed, 0 = passed`,
      left: [failed.metric],
      leftYAxis: { min: 0, max: 1, showUnits: false },
      liveData: false,
      period: Duration.hours(1),
      statistic: 'Maximum',
      width: 18,
      height: 4,
    }),
    new cloudwatch.AlarmStatusWidget({ title: `${serviceName} game day`, alarms: [failed], width: 6, height: 4 }),
  ];
}
