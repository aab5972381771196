import { IPostProcessor, IResolvable, IResolveContext } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * CloudWatch's shorthand in a graph's `metrics` array: a "." stands for the value at the
 * same position in the previous metric of the array. AWS's "Dashboard Body Structure and
 * Syntax" (section "Metric Widget: Format for Each Metric in the Array") documents it for
 * the namespace, the metric name and each dimension name; the console's own source view
 * writes it for dimension values too (`[".", "Errors", ".", "."]`), and so do we: they
 * are the longest part of a row (CloudFormation references to the function, the version).
 */
export const SAME_AS_PREVIOUS = '.';

/**
 * A widget drawn exactly as `widget`, written in fewer bytes (each service's section used
 * to repeat every metric's full identity, period and statistic on each row). Graphs are
 * rewritten by {@link compactWidgetJson}; every other widget is left as it is. Works on a
 * `Row` or `Column` too: each widget it renders is compacted.
 */
export class CompactWidget implements cloudwatch.IWidget {
  constructor(/** The widget drawn. */ public readonly widget: cloudwatch.IWidget) {}

  public get width(): number {
    return this.widget.width;
  }

  public get height(): number {
    return this.widget.height;
  }

  /** The wrapped widget's warnings, and those of the widgets it holds (so the dashboard still reports them). */
  public get warningsV2(): { [id: string]: string } | undefined {
    const all = deepWidgets(this.widget).reduce((acc, w) => ({ ...acc, ...w.warningsV2 }), {} as { [id: string]: string });
    return Object.keys(all).length > 0 ? all : undefined;
  }

  public position(x: number, y: number): void {
    this.widget.position(x, y);
  }

  public toJson(): any[] {
    return this.widget.toJson().map(compactWidgetJson);
  }
}

function deepWidgets(w: cloudwatch.IWidget): cloudwatch.IWidget[] {
  const inner = (w as { widgets?: cloudwatch.IWidget[] }).widgets;
  return [w, ...(Array.isArray(inner) ? inner.flatMap(deepWidgets) : [])];
}

/** CloudWatch's defaults for a metric that states no period or statistic, in the widget or on its row (same AWS page). */
const DEFAULT_PERIOD = 300;
const DEFAULT_STAT = 'Average';

/** A metric row split in its positional part (namespace, name, dimensions) and its rendering options. */
interface MetricRow {
  readonly positional: unknown[];
  readonly options: Record<string, unknown>;
}

function isOptions(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && typeof (value as { resolve?: unknown }).resolve !== 'function';
}

/**
 * A row as an array: aws-cdk-lib renders each row as a token holding it (to drop an empty
 * options object when resolved), which is read through. Anything else is not a row we know.
 */
function rowArray(row: unknown): unknown[] | undefined {
  if (Array.isArray(row)) return row;
  const held = (row as { value?: unknown; resolve?: unknown } | undefined);
  return held && typeof held.resolve === 'function' && Array.isArray(held.value) ? held.value : undefined;
}

/** A single metric's row (`[namespace, name, ...dimensions, options?]`); undefined for an expression row or anything else. */
function metricRow(row: unknown): MetricRow | undefined {
  const array = rowArray(row);
  if (!array || typeof array[0] !== 'string') return undefined;
  const last = array[array.length - 1];
  return isOptions(last) ? { positional: array.slice(0, -1), options: last } : { positional: [...array], options: {} };
}

/** An expression row's own period, or undefined (it then takes the widget's). */
function expressionPeriod(row: unknown): unknown {
  const first = rowArray(row)?.[0];
  return isOptions(first) ? first.period : undefined;
}

/**
 * A graph's JSON in fewer bytes, drawn the same:
 * - the period and statistic most metric rows use become the widget's defaults, and rows
 *   state theirs only where it differs (the widget's `period` and `stat` are the defaults
 *   each metric overrides); the period moves only if no expression row relies on the
 *   widget's, and an expression row is never rewritten;
 * - a value equal to the previous metric row's at the same position becomes "." (see
 *   {@link SAME_AS_PREVIOUS}); the row after an expression row is written in full, so a
 *   "." never depends on whether CloudWatch counts expressions as metrics;
 * - a labelled or hidden row lists the dimensions it shares with the previous row first, in
 *   that row's order (a metric is its set of dimensions; only an unlabelled line's generated
 *   legend could depend on their order, so those keep theirs);
 * - an empty `yAxis` (no settings) is dropped.
 * Anything that is not a graph of metrics is returned unchanged.
 */
export function compactWidgetJson(widget: any): any {
  const properties = widget?.properties;
  if (widget?.type !== 'metric' || !Array.isArray(properties?.metrics)) return widget;
  const rows: unknown[] = properties.metrics;
  const metrics = rows.map(metricRow);
  const expressionsFollowWidget = rows.some((r, i) => metrics[i] === undefined && expressionPeriod(r) === undefined);
  const period = expressionsFollowWidget ? properties.period : widgetDefault(properties.period, metrics, 'period', DEFAULT_PERIOD);
  const stat = widgetDefault(properties.stat, metrics, 'stat', DEFAULT_STAT);
  const effective = (options: Record<string, unknown>, key: 'period' | 'stat', fallback: unknown) =>
    options[key] ?? properties[key] ?? fallback;

  const rest = { ...properties };
  if (period !== undefined) rest.period = period;
  if (stat !== undefined) rest.stat = stat;
  if (isOptions(rest.yAxis) && Object.values(rest.yAxis).every((v) => v === undefined)) delete rest.yAxis;

  let previous: unknown[] | undefined;
  rest.metrics = rows.map((row, i) => {
    const metric = metrics[i];
    if (!metric) {
      previous = undefined;
      return row;
    }
    const options: Record<string, unknown> = { ...metric.options };
    const rowPeriod = effective(metric.options, 'period', DEFAULT_PERIOD);
    const rowStat = effective(metric.options, 'stat', DEFAULT_STAT);
    delete options.period;
    delete options.stat;
    if (rowPeriod !== (period ?? DEFAULT_PERIOD)) options.period = rowPeriod;
    if (rowStat !== (stat ?? DEFAULT_STAT)) options.stat = rowStat;
    const reorder = options.label !== undefined || options.visible === false;
    const positional = previous && reorder ? alignDimensions(metric.positional, previous) : metric.positional;
    const written = positional.map((value, at) => (previous && at < previous.length && typeof value === 'string'
      && value === previous[at] ? SAME_AS_PREVIOUS : value));
    previous = positional;
    return Object.keys(options).length > 0 ? new Row([...written, options]) : written;
  });
  return { ...widget, properties: rest };
}

/**
 * The `key` ('period' or 'stat') the widget states for its rows: its own if it has one,
 * else the value most of its metric rows take (unstated, a row takes CloudWatch's default).
 */
function widgetDefault(own: unknown, metrics: Array<MetricRow | undefined>, key: 'period' | 'stat', fallback: unknown): unknown {
  if (own !== undefined) return own;
  const counts = new Map<unknown, number>();
  for (const m of metrics) {
    if (m) counts.set(m.options[key] ?? fallback, (counts.get(m.options[key] ?? fallback) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  const [best] = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
  return best === fallback ? undefined : best;
}

/**
 * A row whose options object is dropped if nothing of it is left once resolved (as
 * aws-cdk-lib's own rows do: an option such as `accountId` is a token that resolves to
 * nothing when the metric is in the stack's account).
 */
class Row implements IResolvable, IPostProcessor {
  public readonly creationStack: string[] = [];

  constructor(private readonly row: unknown[]) {}

  public resolve(context: IResolveContext): any {
    context.registerPostProcessor(this);
    return context.resolve(this.row);
  }

  public postProcess(o: any): any {
    if (!Array.isArray(o)) return o;
    const last = o[o.length - 1];
    return isOptions(last) && Object.values(last).every((v) => v === undefined) ? o.slice(0, -1) : o;
  }

  public toString(): string {
    return 'CompactMetricRow';
  }
}

/**
 * `positional` with the dimensions it shares with `previous` first, in `previous`'s order,
 * then its others in their own order. Rows that are not namespace, name and name/value
 * pairs are returned unchanged.
 */
export function alignDimensions(positional: unknown[], previous: unknown[]): unknown[] {
  if (positional.length % 2 !== 0 || previous.length % 2 !== 0) return positional;
  const pairs = (row: unknown[]) => Array.from({ length: (row.length - 2) / 2 }, (_, i) => [row[2 + 2 * i], row[3 + 2 * i]]);
  const own = pairs(positional);
  const shared = pairs(previous).map(([name]) => own.find(([n]) => n === name)).filter((p): p is unknown[] => p !== undefined);
  const others = own.filter((p) => !shared.includes(p));
  return [positional[0], positional[1], ...[...shared, ...others].flat()];
}
