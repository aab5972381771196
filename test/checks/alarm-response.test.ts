import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { violators } from './helpers';
import { plainFunction, strictStack } from '../support/stacks';

const CUSTOM = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Orders', period: Duration.minutes(1) });

function alarm(stack: Stack, id: string, props: Partial<cloudwatch.AlarmProps> = {}): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, id, { metric: CUSTOM, threshold: 1, evaluationPeriods: 1, ...props });
}

describe('OPEX-AlarmHasAction', () => {
  const RULE = 'OPEX-AlarmHasAction';

  test('an alarm without actions is reported; one notifying a topic is not', () => {
    const stack = strictStack();
    alarm(stack, 'Silent');
    alarm(stack, 'Paging').addAlarmAction(new cw_actions.SnsAction(new sns.Topic(stack, 'Topic')));
    expect(violators(stack, RULE)).toEqual(['Shop/Silent/Resource']);
  });

  test('an alarm whose actions are disabled is reported', () => {
    const stack = strictStack();
    alarm(stack, 'Disabled', { actionsEnabled: false }).addAlarmAction(new cw_actions.SnsAction(new sns.Topic(stack, 'Topic')));
    expect(violators(stack, RULE)).toEqual(['Shop/Disabled/Resource']);
  });

  test('an alarm feeding a composite alarm is compliant; the composite itself is checked', () => {
    const stack = strictStack();
    const signal = alarm(stack, 'Signal');
    new cloudwatch.CompositeAlarm(stack, 'Health', { alarmRule: cloudwatch.AlarmRule.anyOf(signal) });
    expect(violators(stack, RULE)).toEqual(['Shop/Health/Resource']);
  });

  test('an alarm a deployment group rolls back on is compliant', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    const rollback = alarm(stack, 'Rollback');
    new codedeploy.LambdaDeploymentGroup(stack, 'Group', {
      alias: new lambda.Alias(stack, 'Alias', { aliasName: 'live', version: fn.currentVersion }),
      alarms: [rollback],
    });
    expect(violators(stack, RULE)).toEqual([]);
  });
});

describe('OPEX-AlarmHasRunbook', () => {
  const RULE = 'OPEX-AlarmHasRunbook';
  const AUTOMATION_ARN = 'arn:aws:ssm:us-east-1:123456789012:automation-definition/Diagnose:$DEFAULT';

  /** A rule target that starts an SSM Automation runbook (or, with `arn`, anything else). */
  function target(stack: Stack, arn = AUTOMATION_ARN): events.IRuleTarget {
    const role = new iam.Role(stack, 'StartRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
    return { bind: () => ({ arn, role }) };
  }

  function pagingAlarm(stack: Stack, id = 'Paging', alarmName = 'Shop-checkout-critical'): cloudwatch.Alarm {
    const topic = (stack.node.tryFindChild('Topic') as sns.Topic) ?? new sns.Topic(stack, 'Topic');
    const a = alarm(stack, id, { alarmName });
    a.addAlarmAction(new cw_actions.SnsAction(topic));
    return a;
  }

  test('an alarm that pages without a runbook rule is reported', () => {
    const stack = strictStack();
    pagingAlarm(stack);
    expect(violators(stack, RULE)).toEqual(['Shop/Paging/Resource']);
  });

  test('a rule selecting the alarm by ARN and starting an automation makes it compliant', () => {
    const stack = strictStack();
    const a = pagingAlarm(stack);
    new events.Rule(stack, 'OnAlarm', {
      eventPattern: { source: ['aws.cloudwatch'], resources: [a.alarmArn] },
      targets: [target(stack)],
    });
    expect(violators(stack, RULE)).toEqual([]);
  });

  test('a rule selecting alarm names by prefix covers the alarms it matches, not others', () => {
    const stack = strictStack();
    pagingAlarm(stack, 'Checkout', 'Shop-checkout-critical');
    pagingAlarm(stack, 'Catalog', 'Other-catalog-critical');
    new events.Rule(stack, 'OnShopAlarms', {
      eventPattern: { source: ['aws.cloudwatch'], detail: { alarmName: events.Match.prefix('Shop-') } },
      targets: [target(stack)],
    });
    expect(violators(stack, RULE)).toEqual(['Shop/Catalog/Resource']);
  });

  test('a rule that starts something other than a runbook does not count', () => {
    const stack = strictStack();
    const a = pagingAlarm(stack);
    new events.Rule(stack, 'OnAlarm', {
      eventPattern: { resources: [a.alarmArn] },
      targets: [target(stack, 'arn:aws:lambda:us-east-1:123456789012:function:notify')],
    });
    expect(violators(stack, RULE)).toEqual(['Shop/Paging/Resource']);
  });

  test('an alarm that notifies no one (an OpsItem action) is not in scope', () => {
    const stack = strictStack();
    alarm(stack, 'Ticket').addAlarmAction(new cw_actions.SsmAction(cw_actions.OpsItemSeverity.LOW));
    expect(violators(stack, RULE)).toEqual([]);
  });
});
