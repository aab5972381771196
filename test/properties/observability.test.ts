import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fc from 'fast-check';
import {
  AlarmAction, AlarmPolicy, AlarmSeverity, Kpi, KpiDirection, OperationalFunction, OperationsHub, ServiceLevelObjective, SloIndicator,
} from '../../src';
import {
  invalidAlarmPolicy, invalidKpi, invalidPropError, invalidSlo, KpiCase, kpiBandOf, kpiMetric, runs, sampler, SloCase,
  serviceAlarms, validAlarmPolicy, validKpi, validSlo,
} from '../support/arbitraries';
import { plainFunction, strictStack } from '../support/stacks';

const lambdaMetric = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, statistic: 'Sum' });

function buildSlo(c: SloCase) {
  const stack = strictStack();
  const slo = new ServiceLevelObjective(stack, 'Slo', {
    serviceName: c.serviceName,
    target: c.target,
    window: c.windowDays === undefined ? undefined : Duration.days(c.windowDays),
    name: c.name,
    indicator: SloIndicator.availabilityFromErrors({ errors: lambdaMetric('Errors'), total: lambdaMetric('Invocations') }),
    burnRateAlerts: c.alerts?.map((a) => ({
      severity: a.severity, burnRate: a.burnRate, longWindow: Duration.minutes(a.longMinutes), shortWindow: Duration.minutes(a.shortMinutes),
    })),
    pageActions: c.pageActionCount === undefined ? undefined
      : Array.from({ length: c.pageActionCount }, (_, i) => AlarmAction.incident(`plan-${i}`)._bind(stack)),
  });
  return { stack, slo };
}

function buildKpi(c: KpiCase) {
  const stack = strictStack();
  const kpi = new Kpi(stack, 'Kpi', {
    serviceName: c.serviceName,
    kpiName: c.kpiName,
    team: c.team,
    band: kpiBandOf(c.band),
    metric: kpiMetric(c.period),
    evaluationPeriods: c.evaluationPeriods,
    datapointsToAlarm: c.datapointsToAlarm,
  });
  return { stack, kpi };
}

describe('ServiceLevelObjective: random props', () => {
  const synthSome = sampler(25);

  test('valid props construct; every default burn rate can fire; sampled ones synth with those thresholds', () => {
    fc.assert(fc.property(validSlo, (c) => {
      const { stack, slo } = buildSlo(c);
      expect(slo.window.toDays()).toBe(c.windowDays ?? 28);
      expect(slo.alarms).toHaveLength(6);
      for (const a of slo.burnRateAlerts) expect(a.burnRate * slo.errorBudget).toBeLessThanOrEqual(0.9 + 1e-9);
      if (!synthSome()) return;
      const t = Template.fromStack(stack);
      const thresholds = serviceAlarms(t).map((a: any) => a.Properties.Threshold).sort();
      expect(thresholds).toEqual(slo.burnRateAlerts.flatMap((a) => [a.burnRate, a.burnRate]).sort());
      t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 2);
      const page = t.toJSON().Resources[stack.getLogicalId(slo.pageAlarm.node.defaultChild as any)].Properties;
      expect(page.AlarmActions ?? []).toHaveLength(c.pageActionCount ?? 1);
    }), runs(50));
  });

  test('one invalid field: our error names that prop', () => {
    fc.assert(fc.property(invalidSlo, ({ props, prop }) => {
      expect(() => buildSlo(props)).toThrow(invalidPropError(prop));
    }), runs(60));
  });
});

describe('Kpi and KpiBand: random props', () => {
  const synthSome = sampler(25);

  test('valid props construct; sampled ones synth to the alarm the props describe', () => {
    fc.assert(fc.property(validKpi, (c) => {
      const { stack } = buildKpi(c);
      if (!synthSome()) return;
      const [alarm] = serviceAlarms(Template.fromStack(stack));
      expect(alarm.Properties).toMatchObject({
        AlarmName: `Shop-${c.serviceName}-kpi-${c.kpiName}-warning`,
        EvaluationPeriods: c.evaluationPeriods ?? 5,
        DatapointsToAlarm: c.datapointsToAlarm ?? 3,
      });
      if (c.band.kind === 'anomaly') {
        const direction = { [KpiDirection.LOW]: 'LessThanLowerThreshold', [KpiDirection.HIGH]: 'GreaterThanUpperThreshold', [KpiDirection.BOTH]: 'LessThanLowerOrGreaterThanUpperThreshold' };
        expect(alarm.Properties.ComparisonOperator).toBe(direction[c.band.direction!]);
      } else {
        expect(alarm.Properties.Threshold).toBe(c.band.threshold);
        expect(alarm.Properties.Period).toBe(c.period.toSeconds());
        expect(alarm.Properties.ComparisonOperator).toBe(c.band.kind === 'below' ? 'LessThanThreshold' : 'GreaterThanThreshold');
      }
    }), runs(50));
  });

  test('one invalid field: our error names that prop', () => {
    fc.assert(fc.property(invalidKpi, ({ props, prop }) => {
      expect(() => buildKpi(props)).toThrow(invalidPropError(prop));
    }), runs(60));
  });
});

describe('AlarmPolicy: random props', () => {
  const synthSome = sampler(20);

  test('valid props construct with what they say; sampled ones drive a service\'s alarms', () => {
    fc.assert(fc.property(validAlarmPolicy, (props) => {
      const policy = new AlarmPolicy(props);
      expect(policy.period.toSeconds()).toBe(props.period!.toSeconds());
      expect(policy.evaluationPeriods).toBe(props.evaluationPeriods);
      expect(policy.actionsFor(AlarmSeverity.CRITICAL)).toHaveLength(props.critical?.length ?? 1);
      // Lambda's metrics are per minute: only minute periods can drive an OperationalFunction.
      if (props.period!.toSeconds() < 60 || !synthSome()) return;
      const stack = strictStack();
      new OperationalFunction(stack, 'Svc', { lambdaFunction: plainFunction(stack, 'Fn'), alarmPolicy: policy });
      const t = Template.fromStack(stack);
      for (const alarm of serviceAlarms(t)) {
        expect(alarm.Properties).toMatchObject({ EvaluationPeriods: props.evaluationPeriods, DatapointsToAlarm: props.datapointsToAlarm });
      }
      const [health] = Object.values(t.findResources('AWS::CloudWatch::CompositeAlarm')) as any[];
      expect(health.Properties.AlarmActions ?? []).toHaveLength(props.critical?.length ?? 1);
    }), runs(50));
  });

  test('one invalid field: our error names that prop', () => {
    fc.assert(fc.property(invalidAlarmPolicy, ({ props, prop }) => {
      expect(() => new AlarmPolicy(props)).toThrow(invalidPropError(prop));
      expect(() => new AlarmPolicy(props)).toThrow(/^AlarmPolicy: invalid `/);
    }), runs(60));
  });
});

describe('OperationsHub: random props', () => {
  test('a valid dashboard name is used as given; an invalid one names `dashboardName`', () => {
    const valid = fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/).map((name) => ({ name, ok: true }));
    const invalid = fc.oneof(
      fc.constantFrom('', 'shop ops', 'ops/1', 'x'.repeat(252)),
      fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^[A-Za-z0-9_-]+$/.test(s)),
    ).map((name) => ({ name, ok: false }));
    fc.assert(fc.property(fc.oneof(valid, invalid), ({ name, ok }) => {
      const stack = strictStack();
      const make = () => new OperationsHub(stack, 'Ops', { dashboardName: name });
      if (!ok) {
        expect(make).toThrow(/^Shop\/Ops: invalid `dashboardName`: /);
        return;
      }
      const hub = make();
      hub.addDashboardSection([new cloudwatch.TextWidget({ markdown: 'x' })]);
      expect((hub.dashboards[0].node.defaultChild as cloudwatch.CfnDashboard).dashboardName).toBe(name);
    }), runs(40));
  });
});
