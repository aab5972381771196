import { Template } from 'aws-cdk-lib/assertions';
import { StackModel } from '../../src/model/stack-model';
import { FIXTURE_STACKS } from '../support/fixture-stacks';

/** Each fixture stack's template, synthesized once for the file, as a model. */
const models = Object.fromEntries(Object.entries(FIXTURE_STACKS).map(([name, build]) =>
  [name, StackModel.fromTemplate(Template.fromStack(build()).toJSON())]));

const idOf = (model: StackModel, type: string, prefix: string): string => {
  const id = model.idsOfType(type).find((i) => i.startsWith(prefix));
  if (!id) throw new Error(`no ${type} ${prefix}*`);
  return id;
};

describe('StackModel', () => {
  test('bare resources: no alarm, no deployment, no runbook', () => {
    const model = models['bare resources'];
    const fn = idOf(model, 'AWS::Lambda::Function', 'Orders');
    expect(model.alarmsOn(fn)).toEqual([]);
    expect(model.deploymentOf(fn)).toMatchObject({ mechanism: 'none', rollbackOnAlarm: false });
    expect(model.runbookStarts).toEqual([]);
    expect(model.serviceIds().sort()).toEqual([fn, idOf(model, 'AWS::SQS::Queue', 'Jobs')].sort());
  });

  describe('cdk-opex defaults', () => {
    const model = models['cdk-opex defaults'];
    const fn = idOf(model, 'AWS::Lambda::Function', 'Fn');
    const health = idOf(model, 'AWS::CloudWatch::CompositeAlarm', 'CheckoutHealth');

    test('the three signal alarms are on the function through its alias, and the health alarm reads them', () => {
      const signals = model.alarmsOn(fn);
      expect(signals.map((a) => model.alarmLabel(a)).sort())
        .toEqual(['Defaults-Checkout-errors-info', 'Defaults-Checkout-latency-info', 'Defaults-Checkout-throttles-info']);
      for (const a of signals) expect(model.compositesReading(a)).toEqual([health]);
      expect([...model.withComposites(signals)]).toContain(health);
    });

    test('the health alarm pages; detection is 2 one-minute periods plus a minute of publish delay', () => {
      expect(model.alarms.get(health)?.pages).toBe(true);
      expect(model.detection(model.alarmsOn(fn))).toEqual({ seconds: 180, alarm: health });
    });

    test('CodeDeploy rolls the alias out as a 10% canary for 5 minutes, and rolls back on the signal alarms', () => {
      const deployment = model.deploymentOf(fn);
      expect(deployment).toMatchObject({ mechanism: 'codedeploy', rolloutType: 'canary', percentage: 10, intervalMinutes: 5, rollbackOnAlarm: true });
      expect(deployment.rollbackAlarms.sort()).toEqual(model.alarmsOn(fn).sort());
      for (const a of model.alarmsOn(fn)) expect(model.deploymentGroupsWatching(a)).toEqual([deployment.deploymentGroup]);
    });

    test('the health alarm starts the diagnostics runbook, automatically', () => {
      const starts = model.runbooksStartedBy(health);
      expect(starts).toHaveLength(1);
      expect(starts[0]).toMatchObject({ automatic: true });
      expect(model.resource(starts[0].document)?.Type).toBe('AWS::SSM::Document');
    });
  });

  test('hand-wired ECS: the target-group alarm is on the service; circuit breaker and deployment alarms roll back', () => {
    const model = models['hand-wired ECS service'];
    const service = idOf(model, 'AWS::ECS::Service', 'Web');
    const alarm = idOf(model, 'AWS::CloudWatch::Alarm', 'Target5xx');
    expect(model.alarmsOn(service)).toEqual([alarm]);
    expect(model.deploymentOf(service)).toEqual({
      mechanism: 'ecs', rolloutType: 'rolling', rollbackOnAlarm: true, circuitBreaker: true, rollbackAlarms: [alarm],
    });
    expect(model.detection([alarm])).toEqual({ seconds: 180, alarm });
  });

  test('a prefix trigger starts a runbook for every alarm whose name has the prefix', () => {
    const model = models['runbook started by a prefix trigger'];
    const alarm = idOf(model, 'AWS::CloudWatch::Alarm', 'OrdersErrors');
    expect(model.runbooksStartedBy(alarm).map((s) => s.rule)).toEqual([idOf(model, 'AWS::Events::Rule', 'OnOrdersAlarms')]);
  });

  test('a standalone SLO\'s page alarm reads its window alarms', () => {
    const model = models['standalone SLO'];
    const page = [...model.alarms.values()].find((a) => a.alarmName?.includes('slo') && a.alarmName.endsWith('-critical'));
    expect(page?.alarmType).toBe('composite');
    expect(page!.children.length).toBeGreaterThanOrEqual(2);
    const fn = idOf(model, 'AWS::Lambda::Function', 'Search');
    expect(model.withComposites(model.alarmsOn(fn)).has(page!.id)).toBe(true);
  });

  test('a queue knows its dead-letter queue, and the DLQ its source', () => {
    const model = models['queue with its DLQ'];
    const dlq = idOf(model, 'AWS::SQS::Queue', 'OrdersDlq');
    const queue = model.idsOfType('AWS::SQS::Queue').find((q) => q !== dlq)!;
    expect(model.deadLetterQueueOf(queue)).toBe(dlq);
    expect(model.sourceQueuesOf(dlq)).toEqual([queue]);
    expect(model.alarmsOn(dlq)).toEqual([idOf(model, 'AWS::CloudWatch::Alarm', 'DeadLetters')]);
  });

  test('an OpsItem is a ticket, not a page; a non-paging topic, or a warning alarm\'s topic, notifies without paging', () => {
    const model = StackModel.fromTemplate({
      Resources: {
        Quiet: { Type: 'AWS::SNS::Topic', Properties: { Tags: [{ Key: 'cdk-opex:pages', Value: 'false' }] } },
        Loud: { Type: 'AWS::SNS::Topic', Properties: {} },
        Ticket: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: ['arn:aws:ssm:us-east-1:123456789012:opsitem:3#CATEGORY=Availability'] } },
        Told: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: [{ Ref: 'Quiet' }] } },
        Paged: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: [{ Ref: 'Loud' }] } },
        Muted: { Type: 'AWS::CloudWatch::Alarm', Properties: { ActionsEnabled: false, AlarmActions: [{ Ref: 'Loud' }] } },
        Warned: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: [{ Ref: 'Loud' }], Tags: [{ Key: 'severity', Value: 'warning' }] } },
      },
    });
    expect(['Ticket', 'Told', 'Paged', 'Muted', 'Warned'].map((id) => [id, model.alarms.get(id)!.actions.map((a) => a.effect), model.alarms.get(id)!.pages]))
      .toEqual([['Ticket', ['ticket'], false], ['Told', ['notify'], false], ['Paged', ['page'], true], ['Muted', [], false], ['Warned', ['notify'], false]]);
  });
});
