import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmSeverity, Kpi, KpiBand, KpiDirection, OperationalFunction } from '../src';
import { plainFunction, strictStack } from './support/stacks';

const orders = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'OrdersPlaced', statistic: 'Sum' });

describe('Kpi', () => {
  test('a static "below" band: no data is at risk too, and the warning opens an OpsItem', () => {
    const stack = strictStack();
    new Kpi(stack, 'Orders', { serviceName: 'Checkout', kpiName: 'orders-per-minute', metric: orders, band: KpiBand.below(10), meaning: 'orders per minute' });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Shop-Checkout-kpi-orders-per-minute-warning',
      MetricName: 'OrdersPlaced',
      Namespace: 'Shop',
      Threshold: 10,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      AlarmActions: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:us-east-1:123456789012:opsitem:3#CATEGORY=Availability']] }],
      Tags: [{ Key: 'service', Value: 'Checkout' }, { Key: 'severity', Value: 'warning' }],
    });
    const dashboard = Object.values(t.findResources('AWS::CloudWatch::Dashboard'))[0] as any;
    expect(JSON.stringify(dashboard.Properties.DashboardBody)).toContain('Checkout: KPI orders-per-minute');
  });

  test('an anomaly band alarms outside the learned band', () => {
    const stack = strictStack();
    new Kpi(stack, 'Refunds', {
      serviceName: 'Checkout', kpiName: 'refunds', metric: orders, band: KpiBand.anomaly(KpiDirection.HIGH, 3), severity: AlarmSeverity.CRITICAL,
    });
    const alarm = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))[0] as any;
    expect(alarm.Properties.ComparisonOperator).toBe('GreaterThanUpperThreshold');
    expect(alarm.Properties.Metrics.find((m: any) => m.Expression).Expression).toMatch(/^ANOMALY_DETECTION_BAND\(m\d+, 3\)$/);
    expect(alarm.Properties.AlarmName).toBe('Shop-Checkout-kpi-refunds-critical');
  });

  test.each([
    [{ metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: '' }) }, /Orders: invalid `metric`: needs a metric name and namespace/],
    [{ metric: new cloudwatch.MathExpression({ expression: ' ', usingMetrics: {} }) }, /invalid `metric`/],
    [{ kpiName: 'Orders Per Minute' }, /invalid `kpiName`/],
    [{ datapointsToAlarm: 6 }, /invalid `datapointsToAlarm`: must be a whole number of periods \(at most the evaluation periods\) from 1 to 5/],
  ])('rejects bad input %#', (overrides, message) => {
    const stack = strictStack();
    expect(() => new Kpi(stack, 'Orders', { serviceName: 'Checkout', kpiName: 'orders', metric: orders, band: KpiBand.below(1), ...overrides } as any))
      .toThrow(message);
  });

  test('takes the team of its service, or its own', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), team: 'payments' });
    new Kpi(stack, 'Orders', { serviceName: 'Checkout', kpiName: 'orders', metric: orders, band: KpiBand.below(1) });
    new Kpi(stack, 'Refunds', { serviceName: 'Checkout', kpiName: 'refunds', metric: orders, band: KpiBand.above(9), team: 'finance' });
    const tags = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'))
      .filter((a: any) => a.Properties.AlarmName.includes('-kpi-'))
      .map((a: any) => [a.Properties.AlarmName, a.Properties.Tags.find((t: any) => t.Key === 'team')?.Value]);
    expect(tags).toEqual([['Shop-Checkout-kpi-orders-warning', 'payments'], ['Shop-Checkout-kpi-refunds-warning', 'finance']]);
  });

  test('rejects an anomaly band of no width', () => {
    expect(() => KpiBand.anomaly(KpiDirection.LOW, 0)).toThrow(/KpiBand.anomaly: invalid `stdDevs`/);
  });
});
