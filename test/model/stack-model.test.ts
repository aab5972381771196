import { Template } from 'aws-cdk-lib/assertions';
import { namesResource, queuesConsumedBy } from '../../src/model/identities';
import { incidentTimelineRules } from '../../src/model/incidents';
import { selectsAlarm } from '../../src/model/responses';
import { StackModel } from '../../src/model/stack-model';
import { referencedIds, Resources } from '../../src/model/template';
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

/**
 * The model indexes alarms by their dimension values and runbook starts by the alarms they
 * reference, so the report and the checks stay linear in the number of services. Each
 * indexed answer must equal the answer of trying every alarm and every rule, as before.
 */
describe('the indexed relations equal a scan of every alarm and rule', () => {
  const scanAlarmsOn = (model: StackModel, id: string) => [...model.alarms.values()]
    .filter((a) => a.dimensions.some((d) => namesResource(model.resources, id, d))).map((a) => a.id);
  const scanStarts = (model: StackModel, alarmId: string) =>
    model.runbookStarts.filter((s) => s.automatic && selectsAlarm(s, model.alarms.get(alarmId)!));
  const scanTimelines = (resources: Resources, names: string[]) => Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Events::Rule'
    && JSON.stringify(r.Properties?.Targets ?? []).includes('automation-definition')
    && [r.Properties?.EventPattern?.detail?.previousState?.value].flat().includes('ALARM')
    && [r.Properties?.EventPattern?.detail?.state?.value].flat().includes('OK')
    && (r.Properties?.EventPattern?.detail?.alarmName === undefined || names.some((n) => [r.Properties.EventPattern.detail.alarmName].flat()
      .some((m: any) => m === n || (typeof m?.prefix === 'string' && n.startsWith(m.prefix)))))).map(([id]) => id);
  const scanQueues = (resources: Resources, fn: string) => {
    const invoked = new Set([fn, ...Object.keys(resources).filter((id) => resources[id].Type === 'AWS::Lambda::Alias'
      && referencedIds(resources[id].Properties?.FunctionName).has(fn))]);
    return Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping'
      && [...referencedIds(r.Properties?.FunctionName)].some((id) => invoked.has(id)))
      .map((r) => referencedIds(r.Properties?.EventSourceArn).values().next().value)
      .filter((id): id is string => id !== undefined && resources[id]?.Type === 'AWS::SQS::Queue');
  };

  const alarm = (name: string, dimensions: Record<string, unknown>) => ({
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: name,
      Namespace: 'AWS/X',
      MetricName: 'M',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
    },
  });
  const runbookRule = (pattern: Record<string, unknown>) => ({
    Type: 'AWS::Events::Rule',
    Properties: { EventPattern: pattern, Targets: [{ Id: 't', Arn: 'arn:aws:ssm:us-east-1:111111111111:automation-definition/Doc:$DEFAULT' }] },
  });
  /** Every way a dimension can name a resource and a rule can select an alarm, with decoys that must not match. */
  const handWritten: Resources = {
    Named: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'orders' } },
    Unnamed: { Type: 'AWS::Lambda::Function', Properties: {} },
    Live: { Type: 'AWS::Lambda::Alias', Properties: { FunctionName: { Ref: 'Unnamed' }, Name: 'live' } },
    Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
    Other: { Type: 'AWS::SQS::Queue', Properties: {} },
    FromAlias: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'Live' }, EventSourceArn: { 'Fn::GetAtt': ['Other', 'Arn'] } } },
    FromFunction: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'Unnamed' }, EventSourceArn: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } },
    Web: {
      Type: 'AWS::ECS::Service',
      Properties: { LoadBalancers: [{ TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/web/0123' }, { TargetGroupArn: { Ref: 'Tg' } }] },
    },
    Tg: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: {} },
    Rest: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'shop' } },
    Prod: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Rest' }, StageName: 'prod' } },
    Http: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: 'abc123', StageName: '$default' } },
    ByLiteralName: alarm('app-orders-errors', { FunctionName: 'orders' }),
    ByRef: alarm('app-unnamed-errors', { FunctionName: { Ref: 'Unnamed' }, Resource: { 'Fn::Join': ['', [{ Ref: 'Unnamed' }, ':live']] } }),
    Decoy: alarm('other-orders-errors', { FunctionName: 'orderz' }),
    QueueByName: alarm('app-jobs-age', { QueueName: 'jobs' }),
    TgByArn: alarm('app-web-5xx', { TargetGroup: 'targetgroup/web/0123', LoadBalancer: 'app/lb/1' }),
    TgByRef: alarm('app-web-latency', { TargetGroup: { 'Fn::GetAtt': ['Tg', 'TargetGroupFullName'] } }),
    RestByName: alarm('app-shop-5xx', { ApiName: 'shop', Stage: 'prod' }),
    RestOtherStage: alarm('app-shop-beta', { ApiName: 'shop', Stage: 'beta' }),
    HttpById: alarm('app-http-5xx', { ApiId: 'abc123' }),
    ByReference: runbookRule({ source: ['aws.cloudwatch'], resources: [{ 'Fn::GetAtt': ['ByRef', 'Arn'] }] }),
    ByArn: runbookRule({ source: ['aws.cloudwatch'], resources: ['arn:aws:cloudwatch:us-east-1:111111111111:alarm:app-orders-errors'] }),
    ByArnPrefix: runbookRule({ source: ['aws.cloudwatch'], resources: [{ prefix: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:app-web' }] }),
    ByName: runbookRule({ source: ['aws.cloudwatch'], detail: { alarmName: ['app-jobs-age', { prefix: 'app-shop' }] } }),
    Timeline: runbookRule({ detail: { alarmName: [{ prefix: 'app-' }], previousState: { value: ['ALARM'] }, state: { value: ['OK'] } } }),
    AnyRecovery: runbookRule({ detail: { previousState: { value: 'ALARM' }, state: { value: ['OK'] } } }),
    NotRecovery: runbookRule({ detail: { alarmName: ['app-orders-errors'], state: { value: ['ALARM'] } } }),
  };
  const cases: Array<[string, StackModel]> = [
    ['hand-written template', StackModel.fromTemplate({ Resources: handWritten })],
    ...Object.entries(models),
  ];

  test.each(cases)('%s', (_, model) => {
    const names = [...model.alarms.values()].map((a) => a.alarmName).filter((n): n is string => n !== undefined);
    let matches = 0;
    for (const id of Object.keys(model.resources)) {
      expect({ id, alarms: model.alarmsOn(id) }).toEqual({ id, alarms: scanAlarmsOn(model, id) });
      expect({ id, queues: queuesConsumedBy(model.resources, id) }).toEqual({ id, queues: scanQueues(model.resources, id) });
      matches += model.alarmsOn(id).length;
    }
    for (const ids of [...Object.keys(model.resources).map((id) => [id]), Object.keys(model.resources).filter((__, i) => i % 3 === 0)]) {
      expect({ ids, naming: model.runbooksNaming(new Set(ids)) })
        .toEqual({ ids, naming: model.runbookStarts.filter((s) => ids.some((id) => s.mentions.has(id))) });
    }
    for (const id of model.alarms.keys()) {
      expect({ id, starts: model.runbooksStartedBy(id) }).toEqual({ id, starts: scanStarts(model, id) });
      expect({ id, timelines: incidentTimelineRules(model.resources, [model.alarmLabel(id)]) })
        .toEqual({ id, timelines: scanTimelines(model.resources, [model.alarmLabel(id)]) });
    }
    expect(incidentTimelineRules(model.resources, names)).toEqual(scanTimelines(model.resources, names));
    if (model.alarms.size) expect(matches).toBeGreaterThan(0);
  });

  test('the hand-written template: every identity and selector finds what it should, and no decoy', () => {
    const model = cases[0][1];
    expect(model.alarmsOn('Named')).toEqual(['ByLiteralName']);
    expect(model.alarmsOn('Unnamed')).toEqual(['ByRef']);
    expect(model.alarmsOn('Jobs')).toEqual(['QueueByName']);
    expect(model.alarmsOn('Web')).toEqual(['TgByArn', 'TgByRef']);
    expect(model.alarmsOn('Prod')).toEqual(['RestByName']);
    expect(model.alarmsOn('Http')).toEqual(['HttpById']);
    expect(queuesConsumedBy(model.resources, 'Unnamed')).toEqual(['Other', 'Jobs']);
    const started = (id: string) => model.runbooksStartedBy(id).map((s) => s.rule);
    // A rule naming no alarm (AnyRecovery) starts nothing for a given alarm; as a timeline it covers every alarm.
    expect(started('ByRef')).toEqual(['ByReference', 'Timeline']);
    expect(started('ByLiteralName')).toEqual(['ByArn', 'Timeline', 'NotRecovery']);
    expect(started('TgByRef')).toEqual(['ByArnPrefix', 'Timeline']);
    expect(started('RestOtherStage')).toEqual(['ByName', 'Timeline']);
    expect(started('Decoy')).toEqual([]);
    expect(incidentTimelineRules(model.resources, ['other-orders-errors'])).toEqual(['AnyRecovery']);
    expect(incidentTimelineRules(model.resources, ['app-jobs-age'])).toEqual(['Timeline', 'AnyRecovery']);
  });
});
