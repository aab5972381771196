import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Limits } from '../core/limits';

/** A metric and the id it has in a math expression. */
export interface NamedMetric {
  readonly id: string;
  readonly metric: cloudwatch.IMetric;
}

/**
 * `part` as a percentage of `total` per period. No traffic reads 0, not a breach;
 * a period with traffic but no `part` datapoint counts `part` as 0 (services publish
 * error counts only when there are errors, or only when there is traffic).
 */
export function percentOf(part: NamedMetric, total: NamedMetric, period: Duration, label: string): cloudwatch.MathExpression {
  return mathExpression(percentText(part.id, total.id), [part, total], period, label);
}

/** A share whose total must reach `minimumTotal` before it counts as a rate of its own. */
export interface MinimumShare {
  readonly part: NamedMetric;
  readonly total: NamedMetric;
  /** Below this many in `total` per period, `part` is counted against this many instead. */
  readonly minimumTotal: number;
}

/**
 * The worse (higher), per period, of `whole`'s percentage and `share`'s, where `share`
 * is counted against at least `minimumTotal`: a share with little traffic is not
 * judged by one failure (1 of 2 reads 100 / minimumTotal %), yet one failing most of
 * the little it gets still reaches the threshold. With no traffic at all, 0.
 */
export function worsePercentOf(whole: { part: NamedMetric; total: NamedMetric }, share: MinimumShare,
  period: Duration, label: string): cloudwatch.MathExpression {
  const terms = [percentText(whole.part.id, whole.total.id), percentAtLeastText(share.part.id, share.total.id, share.minimumTotal)];
  return mathExpression(`MAX([${terms.join(', ')}])`, [whole.part, whole.total, share.part, share.total], period, label);
}

/**
 * The worse (higher), per period, of a blue/green pair's combined error rate and each
 * group's own, each group's counted against `minimumTotal` requests while it has fewer (so
 * one failed request of a canary's two reads small, and the old revision failing still counts).
 */
export function worsePairPercent(blue: { part: NamedMetric; total: NamedMetric }, green: { part: NamedMetric; total: NamedMetric },
  minimumTotal: number, period: Duration, label: string): cloudwatch.MathExpression {
  const fill = (m: NamedMetric) => `FILL(${m.id}, 0)`;
  const total = `${fill(blue.total)} + ${fill(green.total)}`;
  const combined = `IF(${total} > 0, 100 * (${fill(blue.part)} + ${fill(green.part)}) / (${total}), 0)`;
  const alone = (g: { part: NamedMetric; total: NamedMetric }) => percentAtLeastText(g.part.id, g.total.id, minimumTotal);
  const terms = [combined, alone(blue), alone(green)];
  return mathExpression(`MAX([${terms.join(', ')}])`, [blue.part, blue.total, green.part, green.total], period, label);
}

/**
 * The worse (higher), per period, of `whole` and `candidate` once `count` reaches
 * `minimumCount` in that period; below it, `whole` alone (a percentile of a handful
 * of requests is one request).
 */
export function worseWhenCounted(whole: NamedMetric, candidate: NamedMetric, count: NamedMetric, minimumCount: number,
  period: Duration, label: string): cloudwatch.MathExpression {
  const expression = `IF(FILL(${count.id}, 0) >= ${minimumCount}, MAX([${whole.id}, ${candidate.id}]), ${whole.id})`;
  return mathExpression(expression, [whole, candidate, count], period, label);
}

/** `IF(total > 0, 100 * FILL(part, 0) / total, 0)`. */
function percentText(part: string, total: string): string {
  return `IF(${total} > 0, 100 * FILL(${part}, 0) / ${total}, 0)`;
}

/** `part` in percent of `total`, or of `minimum` while `total` is below it (or missing). */
function percentAtLeastText(part: string, total: string, minimum: number): string {
  return `100 * FILL(${part}, 0) / IF(FILL(${total}, 0) >= ${minimum}, ${total}, ${minimum})`;
}

function mathExpression(expression: string, metrics: NamedMetric[], period: Duration, label: string): cloudwatch.MathExpression {
  if (metrics.length > Limits.ALARM_MATH_METRICS) {
    throw new Error(`a metric-math alarm reads at most ${Limits.ALARM_MATH_METRICS} metrics; '${label}' would read ${metrics.length}`);
  }
  return new cloudwatch.MathExpression({
    expression,
    usingMetrics: Object.fromEntries(metrics.map((m) => [m.id, m.metric])),
    period,
    label,
  });
}
