import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { OperationalFunction, ServiceLevelObjective } from '../../src';
import {
  acknowledgeAppFunction, FunctionCase, findingsOnOurResources, functionProps, invalidFunction, invalidPropError, runs, sampler,
  serviceAlarms, validFunction,
} from '../support/arbitraries';
import { plainFunction, strictStack } from '../support/stacks';

function build(c: FunctionCase) {
  const stack = strictStack();
  const fn = plainFunction(stack, 'Fn', Duration.seconds(c.timeoutSeconds));
  const service = new OperationalFunction(stack, 'Svc', functionProps(c, fn));
  return { stack, fn, service };
}

/** The periods an alarm reads, whether it renders one metric or a list. */
function periods(alarm: any): number[] {
  return alarm.Period ? [alarm.Period] : alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Period);
}

describe('OperationalFunction: random props', () => {
  const synthSome = sampler(15);
  const nagSome = sampler(3);

  test('valid props construct; sampled ones synth to the alarms the props describe', () => {
    fc.assert(fc.property(validFunction, (c) => {
      const { stack, fn, service } = build(c);
      const period = (c.alarmPeriod ?? Duration.minutes(1)).toSeconds();
      const datapoints = c.datapointsToAlarm ?? 2;
      expect(service.detectionTime.toSeconds()).toBe(period * datapoints + 60);
      expect(service.alarms).toHaveLength(3);
      if (c.sloTarget !== undefined) {
        // Every default burn rate can fire on the target's budget.
        for (const a of service.slo!.burnRateAlerts) expect(a.burnRate * service.slo!.errorBudget).toBeLessThan(1);
        expect(service.slo!.burnRateAlerts).toEqual(ServiceLevelObjective.defaultAlerts(c.sloTarget));
      }
      if (!synthSome()) return;
      const check = nagSome();
      if (check) acknowledgeAppFunction(fn);
      const t = Template.fromStack(stack);
      const name = c.serviceName ?? 'Svc';
      const signal = (s: string) => Object.values(t.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: `Shop-${name}-${s}-info` } }))[0] as any;
      for (const s of ['errors', 'latency', 'throttles']) {
        const alarm = signal(s).Properties;
        expect(new Set(periods(alarm))).toEqual(new Set([period]));
        expect(alarm.EvaluationPeriods).toBe(c.evaluationPeriods ?? 3);
        expect(alarm.DatapointsToAlarm).toBe(datapoints);
      }
      expect(signal('errors').Properties.Threshold).toBe(c.errorRateThreshold ?? 5);
      expect(signal('latency').Properties.Threshold).toBe(c.latencyThreshold?.toMilliseconds() ?? c.timeoutSeconds * 800);
      expect(signal('throttles').Properties.Threshold).toBe(c.throttleThreshold ?? 1);
      expect(serviceAlarms(t)).toHaveLength(3 + (c.sloTarget === undefined ? 0 : 6));
      t.hasResourceProperties('AWS::Lambda::Alias', { Name: c.aliasName ?? 'live' });
      if (check) expect(findingsOnOurResources(stack)).toEqual([]);
    }), runs(60));
  });

  test('one invalid field: our error names the construct and that prop', () => {
    fc.assert(fc.property(invalidFunction, ({ props, prop }) => {
      expect(() => build(props)).toThrow(invalidPropError(prop));
      expect(() => build(props)).toThrow(/^Shop\/Svc(\/Slo)?: invalid `/);
    }), runs(80));
  });
});
