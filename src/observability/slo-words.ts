import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

// How an SLO writes numbers and windows: in alarm names, ids, descriptions and widgets.

export function unitWord(metric: cloudwatch.Metric): string {
  if (metric.unit) return metric.unit.toLowerCase();
  if (metric.namespace === 'AWS/Lambda' || metric.namespace === 'AWS/ApiGateway') return 'ms';
  if (metric.namespace === 'AWS/ApplicationELB') return 's';
  return 'units';
}

/** Removes binary floating-point noise: (100 - 99.9) / 100 is 0.0010000000000000009. */
export function round(x: number): number {
  return Number(x.toPrecision(12));
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** A number as metric math accepts it: plain decimal, never exponent notation. */
export function formatNumber(x: number): string {
  const s = String(x);
  return s.includes('e') ? x.toFixed(20).replace(/0+$/, '') : s;
}

/** A ratio as a percentage of three significant digits, e.g. `2.14%`. */
export function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(3))}%`;
}

/** `5m`, `1h`, `1d`: the window in alarm names and ids. */
export function shortLabel(window: Duration): string {
  const s = window.toSeconds();
  if (s % 86_400 === 0) return `${s / 86_400}d`;
  if (s % 3_600 === 0) return `${s / 3_600}h`;
  return `${s / 60}m`;
}

/** `5 minutes`, `1 hour`, `28 days`. */
export function words(window: Duration): string {
  const s = window.toSeconds();
  const [n, unit] = s % 86_400 === 0 ? [s / 86_400, 'day'] : s % 3_600 === 0 ? [s / 3_600, 'hour'] : s % 60 === 0 ? [s / 60, 'minute'] : [s, 'second'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** `28-day`, `5-minute`: the window before a noun. */
export function adjective(window: Duration): string {
  return words(window).replace(/^(\S+) (\S+?)s?$/, '$1-$2');
}

/** ISO 8601 duration for a widget's relative start, e.g. `P28D`. */
export function isoDuration(window: Duration): string {
  const s = window.toSeconds();
  if (s % 86_400 === 0) return `P${s / 86_400}D`;
  if (s % 3_600 === 0) return `PT${s / 3_600}H`;
  return `PT${Math.ceil(s / 60)}M`;
}
