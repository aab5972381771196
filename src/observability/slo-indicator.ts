import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { shortLabel, unitWord, words } from './slo-words';
import { invalidProp, positiveNumber } from '../core/validate';

/** Good events and all events, for an availability or latency indicator. */
export interface GoodEventsIndicatorProps {
  /** Count of good events (successful, or fast enough, requests) per period; summed. */
  readonly good: cloudwatch.IMetric;
  /** Count of all events per period; summed. */
  readonly total: cloudwatch.IMetric;
}

/** Bad events and all events, for an availability indicator. */
export interface ErrorEventsIndicatorProps {
  /** Count of failed requests per period, e.g. Lambda `Errors` (Sum). */
  readonly errors: cloudwatch.IMetric;
  /** Count of all requests per period, e.g. Lambda `Invocations` (Sum). */
  readonly total: cloudwatch.IMetric;
}

/** A latency metric and the threshold a good request stays under. */
export interface LatencyPercentileIndicatorProps {
  /**
   * Latency of each request, a metric CloudWatch keeps percentiles of
   * (e.g. Lambda `Duration`, ALB `TargetResponseTime`, API Gateway `Latency`).
   * Its statistic is replaced by the percentile rank `PR(:threshold)`.
   */
  readonly metric: cloudwatch.Metric;
  /**
   * A request is good when its latency is at or under this value, in the metric's
   * unit (milliseconds for Lambda `Duration`, seconds for ALB `TargetResponseTime`).
   */
  readonly threshold: number;
}

/** What the objective measures. */
export enum SloIndicatorKind {
  /** Share of requests that succeed. */
  AVAILABILITY = 'availability',
  /** Share of requests that are fast enough. */
  LATENCY = 'latency',
}

type RatioShape =
  | { readonly shape: 'good'; readonly good: cloudwatch.IMetric; readonly total: cloudwatch.IMetric }
  | { readonly shape: 'bad'; readonly bad: cloudwatch.IMetric; readonly total: cloudwatch.IMetric }
  | { readonly shape: 'rank'; readonly latency: cloudwatch.Metric };

/**
 * The service level indicator of an objective: how to compute, over any window,
 * the error ratio (share of bad events, 0 to 1) with CloudWatch metric math.
 */
export class SloIndicator {
  /** Availability from counts of good and all requests: error ratio `1 - good / total`. */
  public static availability(props: GoodEventsIndicatorProps): SloIndicator {
    return new SloIndicator(SloIndicatorKind.AVAILABILITY, 'requests that succeed',
      { shape: 'good', good: props.good, total: props.total });
  }

  /** Availability from counts of failed and all requests: error ratio `errors / total`. */
  public static availabilityFromErrors(props: ErrorEventsIndicatorProps): SloIndicator {
    return new SloIndicator(SloIndicatorKind.AVAILABILITY, 'requests that succeed',
      { shape: 'bad', bad: props.errors, total: props.total });
  }

  /**
   * Latency from counts of fast-enough requests and all requests (e.g. a metric your
   * code emits per request under the threshold): error ratio `1 - good / total`.
   */
  public static latency(props: GoodEventsIndicatorProps): SloIndicator {
    return new SloIndicator(SloIndicatorKind.LATENCY, 'requests fast enough',
      { shape: 'good', good: props.good, total: props.total });
  }

  /**
   * Latency from a latency metric alone, with CloudWatch's percentile rank statistic:
   * `PR(:threshold)` is the percentage of requests at or under the threshold, so the
   * error ratio is `(100 - PR(:threshold)) / 100`. The objective's target is the
   * percentile: "p99 under 300 ms" is `latencyPercentile({ metric, threshold: 300 })`
   * with `target: 99`. Periods with no requests have no datapoint and never alarm.
   */
  public static latencyPercentile(props: LatencyPercentileIndicatorProps): SloIndicator {
    const where = 'SloIndicator.latencyPercentile';
    positiveNumber(where, 'threshold', props.threshold);
    if (!(props.metric instanceof cloudwatch.Metric)) {
      invalidProp(where, 'metric', 'must be a cloudwatch.Metric: a percentile rank is a statistic of a raw metric, not of a math expression');
    }
    const latency = props.metric.with({ statistic: cloudwatch.Stats.percentileRank(props.threshold) });
    return new SloIndicator(SloIndicatorKind.LATENCY, `requests at or under ${props.threshold} ${unitWord(props.metric)}`,
      { shape: 'rank', latency });
  }

  private constructor(
    /** What the objective measures. */
    public readonly kind: SloIndicatorKind,
    /** The good events, in words, e.g. `requests that succeed`. */
    public readonly goodEvents: string,
    private readonly ratio: RatioShape,
  ) {}

  /**
   * The error ratio (0..1) over windows of `period`. No traffic gives 0 (or no
   * datapoint), never a breach; a missing error count with traffic counts as 0 errors.
   * @internal
   */
  public _errorRatio(period: Duration): cloudwatch.MathExpression {
    // Ids carry the window, so burn rates over several windows can share one graph.
    const w = shortLabel(period);
    const r = this.ratio;
    const [expression, usingMetrics] =
      r.shape === 'good' ? [`IF(total_${w} > 0, 1 - FILL(good_${w}, 0) / total_${w}, 0)`,
        { [`good_${w}`]: windowed(r.good, period, w), [`total_${w}`]: windowed(r.total, period, w) }]
        : r.shape === 'bad' ? [`IF(total_${w} > 0, FILL(errors_${w}, 0) / total_${w}, 0)`,
          { [`errors_${w}`]: windowed(r.bad, period, w), [`total_${w}`]: windowed(r.total, period, w) }]
          : [`(100 - fastPercent_${w}) / 100`, { [`fastPercent_${w}`]: r.latency.with({ period }) }];
    return new cloudwatch.MathExpression({ expression, usingMetrics, period, label: `error ratio over ${words(period)}` });
  }
}

/**
 * The metric over windows of `period`. A math expression the user gave is rebuilt
 * with its ids suffixed by the window, so the same expression over two windows can
 * share one graph (CloudWatch needs ids unique within a widget).
 */
function windowed(metric: cloudwatch.IMetric, period: Duration, suffix: string): cloudwatch.IMetric {
  if (metric instanceof cloudwatch.MathExpression) {
    let expression = metric.expression;
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    for (const [id, m] of Object.entries(metric.usingMetrics)) {
      expression = expression.replace(new RegExp(`(?<![A-Za-z0-9_'"])${id}(?![A-Za-z0-9_])`, 'g'), `${id}_${suffix}`);
      usingMetrics[`${id}_${suffix}`] = windowed(m, period, suffix);
    }
    return new cloudwatch.MathExpression({ expression, usingMetrics, period, label: metric.label, color: metric.color });
  }
  const m = metric as cloudwatch.IMetric & { with?: (o: { period: Duration }) => cloudwatch.IMetric };
  // Set the period here so MathExpression does not warn that it overrode it.
  return typeof m.with === 'function' ? m.with({ period }) : metric;
}
