import { Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fc from 'fast-check';
import { OperationalFunction } from '../src';
import { fargate, network } from './fargate/fixture';
import { drawnGraph, expandMetrics } from './support/dashboard-rows';
import { dashboardBody, plainFunction, strictStack } from './support/stacks';
import { CompactWidget, compactWidgetJson } from '../src/observability/compact-widget';
import { OperationsDashboards } from '../src/observability/dashboards';

// One stack, synthesized once: a default OperationalFunction and a default OperationalFargateService.
// Every section's widgets are caught as the composition hands them to the dashboards, uncompacted.
const sections: cloudwatch.IWidget[][] = [];
const addSection = OperationsDashboards.prototype.addSection;
const spy = jest.spyOn(OperationsDashboards.prototype, 'addSection').mockImplementation(function (this: OperationsDashboards, widgets, alarms) {
  sections.push(widgets);
  return addSection.call(this, widgets, alarms);
});
const stack = strictStack();
const fn = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
fargate(stack, 'Storefront', {}, network(stack));
spy.mockRestore();
// The dashboard's body as the template holds it (resolved alone: the rest of the stack needs no synth here).
const cfnDashboard = fn.dashboard.node.defaultChild as cloudwatch.CfnDashboard;
const body = dashboardBody({ Properties: { DashboardBody: stack.resolve(cfnDashboard.dashboardBody) } });

const headline = (widgets: cloudwatch.IWidget[]) => JSON.stringify(stack.resolve(widgets[0].toJson()));
const section = (title: RegExp) => {
  const found = sections.find((w) => title.test(headline(w)));
  if (!found) throw new Error(`no section ${title}`);
  return found;
};
const full = (widgets: cloudwatch.IWidget[]) => widgets.flatMap((w) => stack.resolve(w.toJson()));
const compact = (widgets: cloudwatch.IWidget[]) => widgets.flatMap((w) => stack.resolve(new CompactWidget(w).toJson()));
/** Bytes the widgets take in a template's dashboard body. */
const bytes = (widgets: cloudwatch.IWidget[]) => JSON.stringify(stack.resolve(stack.toJsonString(widgets.flatMap((w) => w.toJson())))).length;

describe.each([
  ['Lambda', /"## Checkout \(Lambda\)/],
  ['Fargate', /"## Storefront \(ECS service on ALB\)/],
])('a default %s section, compacted', (_kind, title) => {
  const widgets = section(title);

  test('draws exactly what its full rendering draws: same widgets, metrics, periods, statistics, annotations and links', () => {
    expect(compact(widgets).map(drawnGraph)).toEqual(full(widgets).map(drawnGraph));
  });

  test('is written in far fewer bytes, and its graphs use the shorthand', () => {
    expect(bytes(widgets.map((w) => new CompactWidget(w)))).toBeLessThan(0.9 * bytes(widgets));
    const rows = compact(widgets).flatMap((w: any) => w.properties?.metrics ?? []);
    expect(rows.some((r: any[]) => r[0] === '.')).toBe(true);
    expect(rows.every((r: any[]) => !(r[r.length - 1] ?? {}).period || (r[r.length - 1]).expression)).toBe(true);
  });
});

describe('the stack\'s dashboard', () => {
  const graph = (t: string) => body.widgets.find((w: any) => w.properties?.title === t)?.properties;

  test('holds the compact rows: the latency graph states each metric once, then only what changes (the percentile, the version)', () => {
    const latency = graph('Checkout: latency (ms)');
    expect(latency).toMatchObject({ period: 60, stat: 'p99' });
    expect(latency.metrics.slice(1)).toEqual([
      ['.', '.', '.', '.', '.', '.', { label: 'p90', stat: 'p90' }],
      ['.', '.', '.', '.', '.', '.', { label: 'p99' }],
      ['.', '.', '.', '.', '.', '.', 'ExecutedVersion', expect.anything(), { label: 'p99 (new version)' }],
    ]);
    // Read as CloudWatch does, the last line is still the new version's p99 over a minute.
    expect(expandMetrics(latency)[3]).toEqual(['AWS/Lambda', 'Duration', 'FunctionName', expect.anything(), 'Resource', expect.anything(),
      'ExecutedVersion', expect.anything(), { label: 'p99 (new version)', period: 60, stat: 'p99' }]);
  });

  test('keeps text and alarm widgets as they are, links and alarms included', () => {
    const header = body.widgets.find((w: any) => w.properties?.markdown?.startsWith('## Checkout'));
    expect(header.properties.markdown).toMatch(/\[diagnostics runbook\]\(https:.*\) · \[deployment group\]\(https:.*\)$/);
    expect(body.widgets.find((w: any) => w.properties?.title === 'Checkout: alarms').properties.alarms).toHaveLength(4);
  });
});

describe('compactWidgetJson', () => {
  const scratch = new Stack();
  const graphOf = (properties: any) => ({ type: 'metric', width: 6, height: 6, properties });
  const compacted = (properties: any) => scratch.resolve(compactWidgetJson(graphOf(properties))).properties;
  const m = (name: string, dims: string[], options?: any) => ['NS', name, ...dims, ...(options ? [options] : [])];
  const expr = (expression: string, period?: number) => [{ expression, label: expression, ...(period ? { period } : {}) }];

  test('the first row is written in full; a row only shortens positions its previous row has, whatever their lengths', () => {
    const p = compacted({ metrics: [m('A', ['D', '1', 'E', '2'], { period: 60 }), m('B', ['D', '1'], { period: 60 }), m('B', ['D', '1', 'E', '2', 'F', '3'], { period: 60 })] });
    expect(p.metrics).toEqual([['NS', 'A', 'D', '1', 'E', '2'], ['.', 'B', '.', '.'], ['.', '.', '.', '.', 'E', '2', 'F', '3']]);
    expect(p.period).toBe(60);
  });

  test('an expression row is kept as it is, and the metric row after it is written in full', () => {
    const e = expr('m1 + m2', 60);
    const p = compacted({ metrics: [m('A', ['D', '1'], { id: 'm1', period: 60 }), e, m('A', ['D', '2'], { id: 'm2', period: 60 })] });
    expect(p.metrics).toEqual([['NS', 'A', 'D', '1', { id: 'm1' }], e, ['NS', 'A', 'D', '2', { id: 'm2' }]]);
  });

  test('the period moves to the widget only if no expression row relies on the widget\'s', () => {
    const p = compacted({ metrics: [m('A', [], { id: 'a', period: 60 }), expr('a * 2')] });
    expect(p.period).toBeUndefined();
    expect(p.metrics[0]).toEqual(['NS', 'A', { id: 'a', period: 60 }]);
  });

  test('a row that took the default period or statistic states it once the widget has another', () => {
    const rows = [m('A', [], { period: 60, stat: 'Sum' }), m('B', [], { period: 60, stat: 'Sum' }), m('C', [])];
    const p = compacted({ metrics: rows });
    expect(p).toMatchObject({ period: 60, stat: 'Sum' });
    expect(p.metrics[2]).toEqual(['.', 'C', { period: 300, stat: 'Average' }]);
    expect(drawnGraph(graphOf(p))).toEqual(drawnGraph(graphOf({ metrics: rows })));
  });

  test('the widget\'s own period and statistic stay; rows drop only what equals them', () => {
    const p = compacted({ period: 3600, stat: 'Maximum', metrics: [m('A', [], { stat: 'Maximum' }), m('B', [], { stat: 'Sum', period: 60 })] });
    expect(p).toMatchObject({ period: 3600, stat: 'Maximum' });
    expect(p.metrics).toEqual([['NS', 'A'], ['.', 'B', { stat: 'Sum', period: 60 }]]);
  });

  test('a labelled or hidden row lists shared dimensions in the previous row\'s order; an unlabelled one keeps its order', () => {
    const first = m('A', ['F', 'f', 'R', 'r'], { period: 60 });
    expect(compacted({ metrics: [first, m('A', ['V', 'v', 'F', 'f', 'R', 'r'], { label: 'new', period: 60 })] }).metrics[1])
      .toEqual(['.', '.', '.', '.', '.', '.', 'V', 'v', { label: 'new' }]);
    expect(compacted({ metrics: [first, m('A', ['V', 'v', 'F', 'f', 'R', 'r'], { period: 60 })] }).metrics[1])
      .toEqual(['.', '.', 'V', 'v', 'F', 'f', 'R', 'r']);
  });

  test('an options object left with nothing once resolved is dropped, as aws-cdk-lib drops its own', () => {
    const nothing = Lazy.any({ produce: () => undefined });
    expect(compacted({ metrics: [m('A', [], { accountId: nothing, period: 60 })] }).metrics).toEqual([['NS', 'A']]);
  });

  test('a wrapped widget\'s warnings, and those of the widgets a row holds, still reach the dashboard', () => {
    const math = new cloudwatch.MathExpression({ expression: 'unknown + 1', usingMetrics: {} });
    const graph = new cloudwatch.GraphWidget({ left: [math] });
    expect(Object.keys(graph.warningsV2 ?? {})).not.toHaveLength(0);
    expect(new CompactWidget(new cloudwatch.Row(graph, new cloudwatch.TextWidget({ markdown: 'x' }))).warningsV2).toEqual(graph.warningsV2);
    expect(new CompactWidget(new cloudwatch.TextWidget({ markdown: 'x' })).warningsV2).toBeUndefined();
  });

  test('text, alarm status and alarm-annotation widgets are returned unchanged', () => {
    const widgets = [
      { type: 'text', properties: { markdown: '# x' } },
      { type: 'alarm', properties: { alarms: ['arn'] } },
      { type: 'metric', properties: { annotations: { alarms: ['arn'] }, region: 'r', yAxis: {} } },
    ];
    for (const w of widgets) expect(compactWidgetJson(w)).toBe(w);
  });

  test('the reading used by these tests rejects a "." with nothing to repeat (first row, after an expression, past the previous row)', () => {
    expect(() => expandMetrics({ metrics: [['.', 'A']] })).toThrow(/row 0/);
    expect(() => expandMetrics({ metrics: [m('A', []), expr('x'), ['.', 'B']] })).toThrow(/row 2/);
    expect(() => expandMetrics({ metrics: [m('A', []), ['NS', 'B', 'D', '.']] })).toThrow(/row 1/);
  });

  test('any graph draws the same compacted (rows of any shape, expressions, periods and statistics anywhere)', () => {
    const dims = fc.uniqueArray(fc.tuple(fc.constantFrom('D', 'E', 'F'), fc.constantFrom('1', '2')), { selector: (d) => d[0], maxLength: 3 });
    const options = fc.record({
      label: fc.constantFrom('x', 'y'), visible: fc.constant(false), period: fc.constantFrom(60, 300), stat: fc.constantFrom('Sum', 'Average', 'p99'),
    }, { requiredKeys: [] });
    const metricRow = fc.tuple(fc.constantFrom('NS', 'OTHER'), fc.constantFrom('A', 'B'), dims, fc.option(options, { nil: undefined }))
      .map(([ns, name, d, o]) => [ns, name, ...d.flat(), ...(o ? [o] : [])]);
    const expressionRow = fc.option(fc.constantFrom(60, 300), { nil: undefined }).map((period) => expr('e', period));
    const widget = fc.record({
      metrics: fc.array(fc.oneof({ arbitrary: metricRow, weight: 4 }, { arbitrary: expressionRow, weight: 1 }), { minLength: 1, maxLength: 8 }),
      period: fc.option(fc.constantFrom(60, 3600), { nil: undefined }),
      stat: fc.option(fc.constantFrom('Sum', 'Maximum'), { nil: undefined }),
    }).map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)));
    fc.assert(fc.property(widget, (p) => {
      expect(drawnGraph(graphOf(compacted(p)))).toEqual(drawnGraph(graphOf(p)));
    }), { numRuns: 200 });
  });
});
