/**
 * Reading a graph's `metrics` the way CloudWatch does, written independently of
 * src/observability/compact-widget.ts so the tests check it rather than repeat it.
 */

/** CloudWatch's period and statistic for a metric that states none, in the widget or on its row. */
const DEFAULT_PERIOD = 300;
const DEFAULT_STAT = 'Average';

const isMetricRow = (row: unknown): row is unknown[] => Array.isArray(row) && typeof row[0] === 'string';
/** A row's options object (a reference or intrinsic, as a resolved stack holds a value, is not one). */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
  && !Object.keys(v).some((k) => k === 'Ref' || k.startsWith('Fn::'));

/**
 * A graph's rows written out in full: each "." replaced by the value at the same place in
 * the previous metric row (a "." with no such value, or right after an expression row,
 * throws), and each metric row stating its period and statistic (its own, else the
 * widget's, else CloudWatch's default). An expression row states its period the same way.
 */
export function expandMetrics(properties: any): unknown[][] {
  let previous: unknown[] | undefined;
  return (properties.metrics as unknown[][]).map((row, r) => {
    if (!isMetricRow(row)) {
      previous = undefined;
      const [expression] = row as any[];
      return isObject(expression) ? [{ ...expression, period: expression.period ?? properties.period ?? DEFAULT_PERIOD }] : row;
    }
    const last = row[row.length - 1];
    const options = isObject(last) ? last : {};
    const positional = (isObject(last) ? row.slice(0, -1) : row).map((value, at) => {
      if (value !== '.') return value;
      if (!previous || at >= previous.length) throw new Error(`row ${r}: "." at ${at} has no previous metric value to repeat`);
      return previous[at];
    });
    previous = positional;
    return [...positional, {
      ...options,
      period: options.period ?? properties.period ?? DEFAULT_PERIOD,
      stat: options.stat ?? properties.stat ?? DEFAULT_STAT,
    }];
  });
}

/**
 * What a graph draws, whatever its encoding: its properties but `metrics`, `period`,
 * `stat` and an empty `yAxis`, and its rows expanded, each metric's dimensions sorted by
 * name (a metric is its set of dimensions).
 */
export function drawnGraph(widget: any): any {
  if (widget?.type !== 'metric' || !Array.isArray(widget.properties?.metrics)) return widget;
  const { metrics: _m, period: _p, stat: _s, yAxis, ...rest } = widget.properties;
  const rows = expandMetrics(widget.properties).map((row) => {
    if (!isMetricRow(row)) return row;
    const options = row[row.length - 1];
    const dims = row.slice(2, -1);
    const pairs = Array.from({ length: dims.length / 2 }, (_, i) => [dims[2 * i], dims[2 * i + 1]])
      .sort((a, b) => JSON.stringify(a[0]).localeCompare(JSON.stringify(b[0])));
    return [row[0], row[1], ...pairs.flat(), options];
  });
  const axis = yAxis && Object.values(yAxis).some((v) => v !== undefined) ? { yAxis } : {};
  return { ...widget, properties: { ...rest, ...axis, metrics: rows } };
}
