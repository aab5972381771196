import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { createAnomalyAlarm, createMetricAlarm } from './alarm-factory';
import { AlarmPolicy, AlarmSeverity } from './alarm-policy';
import { validateEvaluationValues } from './evaluation';
import { ownershipName, tagOwnership } from '../core/ownership';
import { invalidProp, literalNumber, matchingString } from '../core/validate';
import { OperationsHub } from '../hub/operations-hub';
import { respondToPage } from '../runbooks/page-response';

/** Which way a KPI going wrong looks. */
export enum KpiDirection {
  /** Too low is bad (orders per minute, sign-ups). */
  LOW = 'LOW',
  /** Too high is bad (refunds, checkout abandonment). */
  HIGH = 'HIGH',
  /** Either way is suspicious. */
  BOTH = 'BOTH',
}

/** When a KPI is at risk: outside a static threshold, or outside its learned band. */
export class KpiBand {
  /**
   * At risk when the value falls below `threshold`, which must be above 0; no data
   * counts as at risk. A KPI is a count or rate of business events, never negative, so
   * `below(0)` or `below(-1)` could only fire on missing data: for a metric that can go
   * negative (a balance, a delta), use `anomaly(KpiDirection.LOW)`.
   */
  public static below(threshold: number): KpiBand {
    literalNumber('KpiBand.below', 'threshold', threshold);
    if (threshold <= 0) {
      invalidProp('KpiBand.below', 'threshold', `must be above 0 (got ${threshold}): a KPI's count or rate is never below 0, `
        + 'so the alarm could only fire on missing data; use KpiBand.anomaly for a metric that can go negative');
    }
    return new KpiBand(KpiDirection.LOW, threshold);
  }

  /**
   * At risk when the value rises above `threshold`, which must be at least 0: a
   * negative one is always exceeded by a count or rate, so the alarm would never clear.
   */
  public static above(threshold: number): KpiBand {
    literalNumber('KpiBand.above', 'threshold', threshold);
    if (threshold < 0) {
      invalidProp('KpiBand.above', 'threshold', `must be at least 0 (got ${threshold}): a KPI's count or rate is never negative, `
        + 'so the alarm would be in ALARM all the time; use KpiBand.anomaly for a metric that can go negative');
    }
    return new KpiBand(KpiDirection.HIGH, threshold);
  }

  /**
   * At risk when the value leaves the band CloudWatch anomaly detection learns from
   * its history (`stdDevs` standard deviations wide).
   */
  public static anomaly(direction: KpiDirection, stdDevs = 2): KpiBand {
    literalNumber('KpiBand.anomaly', 'stdDevs', stdDevs);
    if (stdDevs <= 0 || stdDevs > 10) invalidProp('KpiBand.anomaly', 'stdDevs', `must be above 0 and at most 10 standard deviations (got ${stdDevs})`);
    return new KpiBand(direction, undefined, stdDevs);
  }

  private constructor(
    /** Which way is bad. */
    public readonly direction: KpiDirection,
    /**
     * Static threshold.
     * @default - anomaly band
     */
    public readonly threshold?: number,
    /**
     * Width of the anomaly band in standard deviations.
     * @default - static threshold
     */
    public readonly stdDevs?: number,
  ) {}
}

/** Properties of a {@link Kpi}. */
export interface KpiProps {
  /** Service the KPI belongs to. */
  readonly serviceName: string;
  /**
   * Team that owns the KPI, for the `team` tag.
   * @default - the team of the service of that name in this stack, if it has one
   */
  readonly team?: string;
  /**
   * Short name used in the alarm name, e.g. `orders-per-minute`: 1-63 lower-case
   * letters, digits and -, starting with a letter or digit; unique per service in a stack.
   */
  readonly kpiName: string;
  /** The business metric, e.g. orders placed per minute; the alarm evaluates it at its period. */
  readonly metric: cloudwatch.IMetric;
  /** When it is at risk. */
  readonly band: KpiBand;
  /**
   * What the KPI means to the business, for the alarm description.
   * @default - the KPI name
   */
  readonly meaning?: string;
  /**
   * @default AlarmSeverity.WARNING
   */
  readonly severity?: AlarmSeverity;
  /**
   * Periods the alarm looks at. CloudWatch limits the metric's period x evaluation
   * periods to 1 day for periods under an hour (1440 one-minute periods), 7 days otherwise.
   * @default 5
   */
  readonly evaluationPeriods?: number;
  /**
   * Breaching periods that fire it, from 1 to `evaluationPeriods`.
   * @default 3
   */
  readonly datapointsToAlarm?: number;
}

/** A business KPI with a "KPI at risk" alarm and a graph on the operations dashboard. */
export class Kpi extends Construct {
  /** The "KPI at risk" alarm. */
  public readonly alarm: cloudwatch.Alarm;
  /** The KPI's graph. */
  public readonly widget: cloudwatch.IWidget;

  constructor(scope: Construct, id: string, props: KpiProps) {
    super(scope, id);
    const serviceName = ownershipName(this, 'serviceName', props.serviceName);
    const kpiName = matchingString(this, 'kpiName', props.kpiName, /^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and -');
    requireMetric(this, props.metric);
    const evaluationPeriods = props.evaluationPeriods ?? 5;
    const datapointsToAlarm = props.datapointsToAlarm ?? 3;
    validateEvaluationValues(this, { period: 'metric', evaluationPeriods: 'evaluationPeriods', datapointsToAlarm: 'datapointsToAlarm' },
      metricPeriod(props.metric), evaluationPeriods, datapointsToAlarm, { periodSource: 'as the metric\'s period' });
    const severity = props.severity ?? AlarmSeverity.WARNING;
    const policy = AlarmPolicy.of(this);
    const { band } = props;
    const description = `KPI at risk: ${props.meaning ?? kpiName} of ${serviceName} is ${describeBand(band)}. `
      + 'Impact: the business outcome this service exists for is falling short; check recent deployments and dependencies.';
    const identity = { id: 'Alarm', serviceName, signal: `kpi-${kpiName}`, severity, description, nameProp: 'kpiName' };
    const common = { evaluationPeriods, datapointsToAlarm };
    if (band.threshold !== undefined) {
      const low = band.direction === KpiDirection.LOW;
      this.alarm = createMetricAlarm(this, identity, {
        ...common,
        metric: props.metric,
        threshold: band.threshold,
        comparisonOperator: low ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD : cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        // No orders at all is the worst case of "too low", not a gap in the data.
        treatMissingData: low ? cloudwatch.TreatMissingData.BREACHING : cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    } else {
      this.alarm = createAnomalyAlarm(this, identity, {
        ...common,
        metric: props.metric,
        stdDevs: band.stdDevs,
        comparisonOperator: {
          [KpiDirection.LOW]: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_THRESHOLD,
          [KpiDirection.HIGH]: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
          [KpiDirection.BOTH]: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_OR_GREATER_THAN_UPPER_THRESHOLD,
        }[band.direction],
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    if (severity === AlarmSeverity.CRITICAL && policy.pages(severity)) {
      respondToPage(this, 'OnAlarm', this.alarm, {
        title: `${serviceName}: KPI ${kpiName} at risk`,
        description,
        dedupString: `cdk-opex:${serviceName}:kpi-${kpiName}`,
      });
    }
    const hub = OperationsHub.of(this);
    const team = props.team === undefined ? hub.services.find((s) => s.serviceName === serviceName)?.team : ownershipName(this, 'team', props.team);
    tagOwnership([this.alarm], serviceName, team);

    this.widget = new cloudwatch.GraphWidget({
      title: `${serviceName}: KPI ${kpiName}`,
      left: [props.metric],
      leftAnnotations: band.threshold !== undefined ? [{ value: band.threshold, label: 'at risk' }] : [],
      width: 8,
      height: 6,
    });
    hub.addDashboardSection([this.widget], [], this);
    hub.registerKpi({ serviceName, kpiName, alarm: this.alarm });
  }
}

function describeBand(band: KpiBand): string {
  if (band.threshold !== undefined) return `${band.direction === KpiDirection.LOW ? 'below' : 'above'} ${band.threshold}`;
  const side = { [KpiDirection.LOW]: 'below', [KpiDirection.HIGH]: 'above', [KpiDirection.BOTH]: 'outside' }[band.direction];
  return `${side} its expected band (${band.stdDevs} standard deviations)`;
}

/** The period the alarm evaluates the metric at (CloudWatch's default of 5 minutes when it sets none). */
function metricPeriod(metric: cloudwatch.IMetric): Duration {
  const config = metric.toMetricConfig();
  if (config.metricStat) return config.metricStat.period;
  return Duration.seconds(config.mathExpression?.period ?? Duration.minutes(5).toSeconds());
}

/** A metric with a name and namespace, or an expression with text: CloudWatch rejects anything less at deploy time. */
function requireMetric(scope: Construct, metric: cloudwatch.IMetric): void {
  const config = metric.toMetricConfig();
  const stat = config.metricStat;
  const expression = config.mathExpression?.expression;
  if (stat ? !stat.metricName || !stat.namespace : !expression?.trim()) {
    invalidProp(scope, 'metric', 'needs a metric name and namespace (or a math expression): CloudWatch rejects an empty metric');
  }
}
