import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OpsItemSeverity } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmAction, AlarmPolicy, DetectionTime, OperationalFunction } from '../src';
import { flat, plainFunction, strictApp, strictStack } from './support/stacks';

function healthActions(stack: Stack): string[] {
  const [health] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm')) as any[];
  return (health.Properties.AlarmActions ?? []).map(flat);
}

describe('AlarmPolicy', () => {
  test('names alarms <stack>-<service>-<signal>-<severity> and tags their severity', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    const t = Template.fromStack(stack);
    const names = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties.AlarmName).sort();
    expect(names).toEqual([
      'Shop-Checkout-errors-info', 'Shop-Checkout-latency-info', 'Shop-Checkout-throttles-info', 'Shop-cdk-opex-undelivered-responses-critical',
    ]);
    t.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmName: 'Shop-Checkout-health-critical',
      Tags: [{ Key: 'service', Value: 'Checkout' }, { Key: 'severity', Value: 'critical' }],
    });
  });

  test('critical actions: SNS topic, OpsItem and Incident Manager ARNs', () => {
    const stack = strictStack();
    const pager = new sns.Topic(stack, 'Pager', { enforceSSL: true });
    AlarmPolicy.set(stack, new AlarmPolicy({
      critical: [AlarmAction.topic(pager), AlarmAction.opsItem(OpsItemSeverity.CRITICAL), AlarmAction.incident('shop-outage')],
    }));
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    expect(healthActions(stack)).toEqual([
      `<${stack.getLogicalId(pager.node.defaultChild as any)}>`,
      'arn:<AWS::Partition>:ssm:us-east-1:123456789012:opsitem:1#CATEGORY=Availability',
      'arn:<AWS::Partition>:ssm-incidents::123456789012:response-plan/shop-outage',
    ]);
    const [health] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm')) as any[];
    // Only notifications are told of recovery.
    expect(health.Properties.OKActions.map(flat)).toEqual([`<${stack.getLogicalId(pager.node.defaultChild as any)}>`]);
  });

  test('a policy set on the app applies to every stack; a service may set its own', () => {
    const app = strictApp();
    AlarmPolicy.set(app, new AlarmPolicy({ critical: [AlarmAction.opsItem(OpsItemSeverity.HIGH)] }));
    const a = new Stack(app, 'A', { env: { account: '123456789012', region: 'us-east-1' } });
    new OperationalFunction(a, 'Checkout', { lambdaFunction: plainFunction(a, 'Fn') });
    const b = new Stack(app, 'B', { env: { account: '123456789012', region: 'us-east-1' } });
    new OperationalFunction(b, 'Orders', {
      lambdaFunction: plainFunction(b, 'Fn'),
      alarmPolicy: new AlarmPolicy({ critical: [], period: Duration.minutes(2), evaluationPeriods: 4, datapointsToAlarm: 2 }),
    });
    expect(healthActions(a)).toEqual(['arn:<AWS::Partition>:ssm:us-east-1:123456789012:opsitem:2#CATEGORY=Availability']);
    expect(healthActions(b)).toEqual([]);
    const alarm = Object.values(Template.fromStack(b).findResources('AWS::CloudWatch::Alarm'))[0] as any;
    expect(alarm.Properties).toMatchObject({ EvaluationPeriods: 4, DatapointsToAlarm: 2 });
  });

  test('the default policy pages through the stack topic', () => {
    const stack = new Stack(new App(), 'Plain', { env: { account: '123456789012', region: 'us-east-1' } });
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    const topicId = Object.keys(Template.fromStack(stack).findResources('AWS::SNS::Topic'))[0];
    expect(healthActions(stack)).toEqual([`<${topicId}>`]);
  });

  test('rejects a response plan name CloudWatch would not accept', () => {
    expect(() => AlarmAction.incident('not a name!')).toThrow(/AlarmAction.incident: invalid `responsePlanName`/);
  });
});

describe('DetectionTime', () => {
  test('is period x datapoints to alarm + one minute of metric delay, read from the alarm', () => {
    const stack = strictStack();
    const fast = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn1') });
    const slow = new OperationalFunction(stack, 'Batch', {
      lambdaFunction: plainFunction(stack, 'Fn2'), alarmPeriod: Duration.minutes(5), evaluationPeriods: 3, datapointsToAlarm: 3,
    });
    expect(fast.alarms.map((a) => DetectionTime.ofAlarm(a).toSeconds())).toEqual([180, 180, 180]);
    expect(DetectionTime.ofAlarm(slow.alarms[0]).toSeconds()).toBe(5 * 60 * 3 + 60);
    expect(slow.detectionTime.toSeconds()).toBe(960);
  });
});
