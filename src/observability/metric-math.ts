import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

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
  return new cloudwatch.MathExpression({
    expression: `IF(${total.id} > 0, 100 * FILL(${part.id}, 0) / ${total.id}, 0)`,
    usingMetrics: { [part.id]: part.metric, [total.id]: total.metric },
    period,
    label,
  });
}
