import { Duration, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { flat, strictStack } from './support/stacks';
import { OperationsHub } from '../src/hub/operations-hub';
import {
  BurnRateAlert, BurnRateSeverity, ServiceLevelObjective, ServiceLevelObjectiveProps, SloIndicator,
} from '../src/observability/slo';

const lambdaMetric = (metricName: string, statistic = 'Sum') => new cloudwatch.Metric({
  namespace: 'AWS/Lambda', metricName, dimensionsMap: { FunctionName: 'checkout' }, statistic,
});

const errorsIndicator = () => SloIndicator.availabilityFromErrors({ errors: lambdaMetric('Errors'), total: lambdaMetric('Invocations') });

function synth(props: Partial<ServiceLevelObjectiveProps> = {}) {
  const stack = strictStack();
  const slo = new ServiceLevelObjective(stack, 'Slo', { serviceName: 'checkout', target: 99.9, indicator: errorsIndicator(), ...props });
  return { stack, slo, t: Template.fromStack(stack) };
}

function build(props: Partial<ServiceLevelObjectiveProps>, stack: Stack = strictStack()) {
  return new ServiceLevelObjective(stack, 'Slo', { serviceName: 'checkout', target: 99.9, indicator: errorsIndicator(), ...props });
}

/** Metric alarms by name, with their logical ids. */
/** Window alarms by name without the policy's `-info` severity suffix (every one of them is info). */
function metricAlarms(t: Template): Record<string, { id: string; p: any }> {
  return Object.fromEntries(Object.entries(t.findResources('AWS::CloudWatch::Alarm'))
    .filter(([id]) => !id.startsWith('CdkOpexOperations')) // the hub's response dead-letter alarm
    .map(([id, r]) => {
      expect(r.Properties.AlarmName).toMatch(/-info$/);
      return [r.Properties.AlarmName.replace(/-info$/, ''), { id, p: r.Properties }];
    }));
}

/** The page composite is the policy's critical alarm, the ticket its warning one. */
const severityName = (name: string) => name.replace(/-page$/, '-critical').replace(/-ticket$/, '-warning');

function composite(t: Template, name: string): any {
  const found = Object.values(t.findResources('AWS::CloudWatch::CompositeAlarm', { Properties: { AlarmName: severityName(name) } }));
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

const returned = (p: any) => p.Metrics.find((m: any) => m.ReturnData !== false);
const byId = (p: any, id: string) => p.Metrics.find((m: any) => m.Id === id);
const periods = (p: any) => p.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Period);

/** Every widget of the stack's one dashboard. */
function allWidgets(t: Template): any[] {
  const dashboards = Object.values(t.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return JSON.parse(flat(dashboards[0].Properties.DashboardBody)).widgets;
}

/** The SLO's own widgets, in order. */
function dashboardWidgets(t: Template): any[] {
  return allWidgets(t).filter((w) => w.properties.title?.includes(' SLO'));
}

describe('99.9% availability SLO over 28 days (defaults)', () => {
  const { slo, t, stack } = synth();
  const alarms = metricAlarms(t);
  const P = 'Shop-checkout-slo-availability';

  test('error budget is 0.001 and the window 28 days', () => {
    expect(slo.errorBudget).toBe(0.001);
    expect(slo.window.toDays()).toBe(28);
    expect(slo.target).toBe(99.9);
  });

  test('six window alarms and two composites: no more than the scheme needs', () => {
    expect(Object.keys(alarms).sort()).toEqual(['1d', '1h', '2h', '30m', '5m', '6h'].map((w) => `${P}-${w}`).sort());
    expect(slo.alarms).toHaveLength(6);
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 2);
  });

  test.each([
    ['1h', 3600, 14.4],
    ['5m', 300, 14.4],
    ['6h', 21600, 6],
    ['30m', 1800, 6],
    ['1d', 86400, 3],
    ['2h', 7200, 3],
  ])('window %s: period %d s, burn-rate threshold %d, one datapoint', (w, period, burn) => {
    const { p } = alarms[`${P}-${w}`];
    expect(periods(p)).toEqual([period, period]);
    expect(p.Threshold).toBe(burn);
    // The burn threshold as an error ratio: 14.4 x 0.1% = 1.44%.
    expect(p.Threshold * slo.errorBudget).toBeCloseTo(burn * 0.001, 12);
    expect(p.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    expect(p.EvaluationPeriods).toBe(1);
    expect(p.DatapointsToAlarm).toBe(1);
    expect(p.TreatMissingData).toBe('notBreaching');
    // A window alarm pages no one: the policy's INFO action, the stack's signal topic.
    expect(p.AlarmActions).toEqual([{ Ref: Stack.of(slo).getLogicalId(OperationsHub.of(slo).signalTopic.node.defaultChild as any) }]);
    expect(p.Period).toBeUndefined();
  });

  test('the math: burn = error ratio / budget, error ratio = errors / invocations guarded against no traffic', () => {
    const { p } = alarms[`${P}-1h`];
    expect(returned(p).Expression).toBe('errorRatio_1h / 0.001');
    expect(byId(p, 'errorRatio_1h').Expression).toBe('IF(total_1h > 0, FILL(errors_1h, 0) / total_1h, 0)');
    expect(byId(p, 'errors_1h').MetricStat).toEqual({
      Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'checkout' }] },
      Period: 3600,
      Stat: 'Sum',
    });
    expect(byId(p, 'total_1h').MetricStat.Metric.MetricName).toBe('Invocations');
    expect(p.Metrics).toHaveLength(4);
    expect(returned(alarms[`${P}-5m`].p).Expression).toBe('errorRatio_5m / 0.001');
  });

  test('page composite: (1h AND 5m) OR (6h AND 30m), notifying the hub topic', () => {
    const page = composite(t, `${P}-page`);
    const arn = (w: string) => `ALARM("<${alarms[`${P}-${w}`].id}.Arn>")`;
    expect(flat(page.AlarmRule)).toBe(`((${arn('1h')} AND ${arn('5m')}) OR (${arn('6h')} AND ${arn('30m')}))`);
    const [topicId] = Object.keys(t.findResources('AWS::SNS::Topic'));
    expect(topicId).toMatch(/^CdkOpexOperations/);
    expect(page.AlarmActions).toEqual([{ Ref: topicId }]);
    expect(slo.pageAlarm.node.path).toBe('Shop/Slo/PageAlarm');
  });

  test('ticket composite: 1d AND 2h, opening an OpsItem by default (the policy\'s warning action)', () => {
    const ticket = composite(t, `${P}-ticket`);
    const arn = (w: string) => `ALARM("<${alarms[`${P}-${w}`].id}.Arn>")`;
    expect(flat(ticket.AlarmRule)).toBe(`((${arn('1d')} AND ${arn('2h')}))`);
    expect(ticket.AlarmActions.map(flat)).toEqual(['arn:<AWS::Partition>:ssm:us-east-1:123456789012:opsitem:3#CATEGORY=Availability']);
    expect(slo.ticketAlarm).toBeDefined();
  });

  test('descriptions say what burns, how fast the budget goes, and what to do', () => {
    const page = composite(t, `${P}-page`).AlarmDescription;
    expect(page).toContain('14.4x over 1 hour (still over the last 5 minutes), or 6x over 6 hours (still over the last 30 minutes)');
    expect(page).toContain('28-day error budget is gone within 46.7 hours'); // 672 h / 14.4
    expect(page).toMatch(/roll back/);
    expect(composite(t, `${P}-ticket`).AlarmDescription).toContain('gone within 9.3 days'); // 28 d / 3
    const oneHour = alarms[`${P}-1h`].p.AlarmDescription;
    expect(oneHour).toContain('error ratio at least 1.44%');
    expect(oneHour).toContain('2.14% of it is spent in 1 hour'); // 14.4 x 1 h / 672 h
  });

  test('error-budget widgets: remaining budget over 28 days, burn rates, alert states', () => {
    const widgets = dashboardWidgets(t);
    expect(widgets).toHaveLength(3);
    expect(slo.widgets).toHaveLength(3);
    const [budget, burn, states] = widgets;
    expect(budget.properties.view).toBe('singleValue');
    expect(budget.properties.setPeriodToTimeRange).toBe(true);
    expect(budget.properties.start).toBe('-P28D');
    const expressions = budget.properties.metrics.map((m: any[]) => m[m.length - 1].expression).filter(Boolean);
    expect(expressions).toEqual([
      '100 * (1 - errorRatio)',
      'IF(total_28d > 0, FILL(errors_28d, 0) / total_28d, 0)',
      '100 * (1 - errorRatio / 0.001)',
    ]);
    const burnExpressions = burn.properties.metrics.map((m: any[]) => m[m.length - 1].expression).filter((e: string) => e?.startsWith('errorRatio'));
    expect(burnExpressions).toEqual(['errorRatio_1h / 0.001', 'errorRatio_6h / 0.001', 'errorRatio_1d / 0.001']);
    expect(burn.properties.annotations.horizontal.map((a: any) => a.value)).toEqual([14.4, 6, 3]);
    expect(states.properties.alarms).toEqual([
      `<${Object.keys(t.findResources('AWS::CloudWatch::CompositeAlarm', { Properties: { AlarmName: severityName(`${P}-page`) } }))[0]}.Arn>`,
      `<${Object.keys(t.findResources('AWS::CloudWatch::CompositeAlarm', { Properties: { AlarmName: severityName(`${P}-ticket`) } }))[0]}.Arn>`,
    ]);
    expect(stack.node.tryFindChild('CdkOpexOperations')).toBeDefined();
  });

  test('the page alarm joins the dashboard\'s service-health summary', () => {
    const pageId = Object.keys(t.findResources('AWS::CloudWatch::CompositeAlarm', { Properties: { AlarmName: severityName(`${P}-page`) } }))[0];
    const summary = allWidgets(t).find((w) => w.type === 'alarm' && !w.properties.title.includes(' SLO'));
    // After the stack's response dead-letter alarm, pinned to every summary row.
    expect(summary.properties.alarms).toEqual([expect.stringMatching(/^<CdkOpexOperationsResponseDeadLetterAlarm/), `<${pageId}.Arn>`]);
  });

  test('burnRate(window) is the same math for any window', () => {
    const m = slo.burnRate(Duration.hours(3));
    expect(m.expression).toBe('errorRatio_3h / 0.001');
    expect(m.period.toSeconds()).toBe(10800);
    expect(() => slo.burnRate(Duration.seconds(90))).toThrow(/invalid `window`: a burn-rate window must be a whole number of minutes/);
  });
});

describe('actions and options', () => {
  test('pageActions and ticketActions replace the defaults', () => {
    const stack = strictStack();
    const pager = new sns.Topic(stack, 'Pager');
    const tickets = new sns.Topic(stack, 'Tickets');
    build({ pageActions: [new cw_actions.SnsAction(pager)], ticketActions: [new cw_actions.SnsAction(tickets)] }, stack);
    const t = Template.fromStack(stack);
    const ids = (name: string) => Object.keys(t.findResources('AWS::SNS::Topic')).find((id) => id.startsWith(name));
    expect(composite(t, 'Shop-checkout-slo-availability-page').AlarmActions).toEqual([{ Ref: ids('Pager') }]);
    expect(composite(t, 'Shop-checkout-slo-availability-ticket').AlarmActions).toEqual([{ Ref: ids('Tickets') }]);
  });

  test('addToDashboard: false leaves the dashboard alone', () => {
    const { t, slo } = synth({ addToDashboard: false });
    t.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(slo.widgets).toHaveLength(3);
  });

  test('a 99.95% target divides by 0.0005 and names the objective', () => {
    const { t } = synth({ target: 99.95, name: 'checkout-api' });
    const { p } = metricAlarms(t)['Shop-checkout-slo-checkout-api-1h'];
    expect(returned(p).Expression).toBe('errorRatio_1h / 0.0005');
  });

  test('custom alerts: the workbook 1x over 3 days ticket with a 30-day window, windows shared alarms deduplicated', () => {
    const alerts: BurnRateAlert[] = [
      { severity: BurnRateSeverity.PAGE, burnRate: 14.4, longWindow: Duration.hours(1), shortWindow: Duration.minutes(5) },
      { severity: BurnRateSeverity.PAGE, burnRate: 14.4, longWindow: Duration.hours(1), shortWindow: Duration.minutes(5) },
      { severity: BurnRateSeverity.TICKET, burnRate: 1, longWindow: Duration.days(3), shortWindow: Duration.hours(6) },
      { severity: BurnRateSeverity.TICKET, burnRate: 2, longWindow: Duration.days(1), shortWindow: Duration.hours(6) },
    ];
    const { t, slo } = synth({ window: Duration.days(30), burnRateAlerts: alerts });
    const alarms = metricAlarms(t);
    const P = 'Shop-checkout-slo-availability';
    expect(Object.keys(alarms).sort()).toEqual([`${P}-1d`, `${P}-1h`, `${P}-3d`, `${P}-5m`, `${P}-6h-1x`, `${P}-6h-2x`].sort());
    expect(slo.alarms).toHaveLength(6);
    expect(periods(alarms[`${P}-3d`].p)).toEqual([259200, 259200]);
    expect(alarms[`${P}-3d`].p.Threshold).toBe(1);
    const arn = (w: string) => `ALARM("<${alarms[`${P}-${w}`].id}.Arn>")`;
    expect(flat(composite(t, `${P}-page`).AlarmRule)).toBe(`((${arn('1h')} AND ${arn('5m')}) OR (${arn('1h')} AND ${arn('5m')}))`);
    expect(flat(composite(t, `${P}-ticket`).AlarmRule)).toBe(`((${arn('3d')} AND ${arn('6h-1x')}) OR (${arn('1d')} AND ${arn('6h-2x')}))`);
  });

  test('page-only alerts make no ticket alarm', () => {
    const { t, slo } = synth({ burnRateAlerts: [ServiceLevelObjective.DEFAULT_ALERTS[0]] });
    expect(slo.ticketAlarm).toBeUndefined();
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 2 + 1); // the 2 windows and the hub's response dead-letter alarm
  });
});

describe('indicators', () => {
  test('latency as a percentile: PR(:300) of Lambda Duration, error ratio (100 - PR) / 100', () => {
    const { t } = synth({
      target: 99,
      indicator: SloIndicator.latencyPercentile({ metric: lambdaMetric('Duration', 'Average'), threshold: 300 }),
    });
    const alarms = metricAlarms(t);
    const { p } = alarms['Shop-checkout-slo-latency-1h'];
    expect(returned(p).Expression).toBe('errorRatio_1h / 0.01');
    expect(byId(p, 'errorRatio_1h').Expression).toBe('(100 - fastPercent_1h) / 100');
    expect(byId(p, 'fastPercent_1h').MetricStat).toMatchObject({ Metric: { MetricName: 'Duration' }, Period: 3600, Stat: 'PR(:300)' });
    expect(p.Threshold).toBe(14.4);
    expect(periods(alarms['Shop-checkout-slo-latency-30m'].p)).toEqual([1800]);
    expect(composite(t, 'Shop-checkout-slo-latency-page').AlarmDescription).toContain('99% of requests at or under 300 ms');
  });

  test('latency from counts of fast and all requests', () => {
    const { t } = synth({ indicator: SloIndicator.latency({ good: lambdaMetric('FastRequests'), total: lambdaMetric('Invocations') }) });
    const { p } = metricAlarms(t)['Shop-checkout-slo-latency-6h'];
    expect(byId(p, 'errorRatio_6h').Expression).toBe('IF(total_6h > 0, 1 - FILL(good_6h, 0) / total_6h, 0)');
    expect(byId(p, 'good_6h').MetricStat.Metric.MetricName).toBe('FastRequests');
  });

  test('availability from good and total, where good is itself metric math: every metric gets the window period', () => {
    const requests = new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', statistic: 'Sum', dimensionsMap: { LoadBalancer: 'app/shop/1' } });
    const fivexx = new cloudwatch.Metric({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', statistic: 'Sum', dimensionsMap: { LoadBalancer: 'app/shop/1' } });
    const good = new cloudwatch.MathExpression({ expression: 'requests - FILL(fivexx, 0)', usingMetrics: { requests, fivexx } });
    const { t } = synth({ indicator: SloIndicator.availability({ good, total: requests }) });
    const { p } = metricAlarms(t)['Shop-checkout-slo-availability-6h'];
    expect(byId(p, 'errorRatio_6h').Expression).toBe('IF(total_6h > 0, 1 - FILL(good_6h, 0) / total_6h, 0)');
    expect(byId(p, 'good_6h').Expression).toBe('requests_6h - FILL(fivexx_6h, 0)');
    expect(byId(p, 'fivexx_6h').MetricStat.Metric.MetricName).toBe('HTTPCode_Target_5XX_Count');
    expect(periods(p)).toEqual([21600, 21600, 21600]);
    // The graph plots 1 h, 6 h and 1 d burn rates of the same expression side by side.
    const ids = dashboardWidgets(t)[1].properties.metrics.map((m: any[]) => m[m.length - 1].id).filter(Boolean);
    expect(ids).toEqual(expect.arrayContaining(['requests_1h', 'requests_6h', 'requests_1d', 'good_1h']));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('bad input throws at synth naming the prop', () => {
  test.each([100, 0, 50, 100.5, -1, Number.NaN])('target %d', (target) => {
    expect(() => build({ target })).toThrow(/Shop\/Slo: invalid `target`/);
  });

  test('target as a token', () => {
    expect(() => build({ target: Token.asNumber({ Ref: 'Target' }) })).toThrow(/invalid `target`: must be a literal number/);
  });

  test('a burn rate that could never fire on the target\'s budget names the alert and the fix', () => {
    expect(() => build({ target: 90, burnRateAlerts: [ServiceLevelObjective.DEFAULT_ALERTS[0]] }))
      .toThrow(/Shop\/Slo: invalid `burnRateAlerts\[0\].burnRate`: .*needs an error ratio of 144%.*lower the burn rate below 10 or raise the target/);
  });

  test('window not a multiple of the alert periods', () => {
    expect(() => build({ window: Duration.hours(36 * 7) })).toThrow(/invalid `window`: must be a whole number of days/);
    const threeDay: BurnRateAlert[] = [
      { severity: BurnRateSeverity.PAGE, burnRate: 14.4, longWindow: Duration.days(3), shortWindow: Duration.hours(6) },
    ];
    expect(() => build({ burnRateAlerts: threeDay }))
      .toThrow(/invalid `window`: must be a multiple of every alert window; 28 days is not a multiple of 3 days/);
    expect(() => build({ burnRateAlerts: threeDay, window: Duration.days(30) })).not.toThrow();
  });

  test.each([Duration.days(6), Duration.days(91)])('window outside 7..90 days: %s', (window) => {
    expect(() => build({ window })).toThrow(/invalid `window`: must be a whole number of days from 7 to 90/);
  });

  test('a period CloudWatch rejects', () => {
    const alert = (longWindow: Duration, shortWindow: Duration): BurnRateAlert[] =>
      [{ severity: BurnRateSeverity.PAGE, burnRate: 14.4, longWindow, shortWindow }];
    expect(() => build({ burnRateAlerts: alert(Duration.hours(1), Duration.seconds(90)) }))
      .toThrow(/invalid `burnRateAlerts\[0\].shortWindow`: .*whole number of minutes \(got 90 s\)/);
    expect(() => build({ burnRateAlerts: alert(Duration.days(8), Duration.hours(1)) }))
      .toThrow(/invalid `burnRateAlerts\[0\].longWindow`: CloudWatch alarms evaluate at most 604800 s/);
    expect(() => build({ burnRateAlerts: alert(Duration.hours(1), Duration.hours(1)) }))
      .toThrow(/invalid `burnRateAlerts\[0\].shortWindow`: must be shorter than longWindow/);
  });

  test('burn rates: zero, impossible, and no page tier', () => {
    const page = ServiceLevelObjective.DEFAULT_ALERTS[0];
    expect(() => build({ burnRateAlerts: [{ ...page, burnRate: 0 }] })).toThrow(/invalid `burnRateAlerts\[0\].burnRate`: must be greater than 0/);
    expect(() => build({ burnRateAlerts: [{ ...page, burnRate: 1000 }] })).toThrow(/invalid `burnRateAlerts\[0\].burnRate`: .*could never fire/);
    expect(() => build({ burnRateAlerts: [ServiceLevelObjective.DEFAULT_ALERTS[2]] })).toThrow(/invalid `burnRateAlerts`: needs at least one alert of severity PAGE/);
  });

  test('names', () => {
    expect(() => build({ serviceName: '' })).toThrow(/invalid `serviceName`/);
    expect(() => build({ serviceName: 'check out' })).toThrow(/invalid `serviceName`/);
    expect(() => build({ name: 'p99/latency' })).toThrow(/invalid `name`/);
  });

  test('latency percentile threshold and metric', () => {
    expect(() => SloIndicator.latencyPercentile({ metric: lambdaMetric('Duration'), threshold: 0 }))
      .toThrow(/SloIndicator.latencyPercentile: invalid `threshold`: must be greater than 0/);
    const math = new cloudwatch.MathExpression({ expression: 'd * 1000', usingMetrics: { d: lambdaMetric('Duration') } });
    expect(() => SloIndicator.latencyPercentile({ metric: math as any, threshold: 300 }))
      .toThrow(/SloIndicator.latencyPercentile: invalid `metric`: must be a cloudwatch.Metric/);
  });
});
