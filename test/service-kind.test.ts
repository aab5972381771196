import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct, IConstruct } from 'constructs';
import {
  CATALOG_METADATA_KEY, IServiceKind, OperationalService, RolloutStrategy, RunbookLibrary, ServiceKindContext, ServiceRolloutRequest,
  ServiceRunbooks, ServiceSectionContext, ServiceSignals, SignalAlarmSpec,
} from '../src';
import { albFargateService, strictStack } from './support/stacks';
import { EcsKindOptions, EcsServiceKind } from '../src/services/ecs-kind';

/** A kind cdk-opex does not ship, written against the interface alone: a queue whose only signal is its oldest message's age. */
class FakeQueueKind implements IServiceKind {
  public readonly kindName = 'fake-queue';
  public readonly metricResolution = Duration.minutes(1);
  public readonly resourceDimensions = ['QueueName'];
  public readonly faults: string[] = [];
  public rolledOut = false;
  private age?: cloudwatch.IMetric;

  constructor(private readonly queueName: string, private readonly maxAge = Duration.minutes(5)) {}

  public validate(service: Construct): void {
    if (this.maxAge.toSeconds() <= 0) throw new Error(`${service.node.path}: invalid \`maxAge\``);
  }

  public bind(_service: Construct, context: ServiceKindContext): ServiceSignals {
    const metric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'Fake/Queue', metricName, dimensionsMap: { QueueName: this.queueName }, period: context.period, statistic,
    });
    this.age = metric('OldestMessageAge', 'Maximum');
    return { traffic: metric('Received', 'Sum'), errors: metric('DeadLettered', 'Sum'), latency: this.age };
  }

  public runbooks(service: Construct): ServiceRunbooks {
    return {
      onUnhealthy: RunbookLibrary.createOpsItem(service),
      onUnhealthyParameters: { Title: [`${this.queueName} is backed up`], Description: [events.EventField.fromPath('$.detail.alarmName')] },
      healthResponse: 'Response: an OpsItem is opened.',
    };
  }

  public alarmSpecs(_service: Construct): SignalAlarmSpec[] {
    return [{
      signal: 'age',
      metric: this.age!,
      threshold: this.maxAge.toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `The oldest message of ${this.queueName} waits ${this.maxAge.toSeconds()} s or more.`,
      detectsOutage: true,
    }];
  }

  public rollOut(_service: Construct, _request: ServiceRolloutRequest): IConstruct {
    this.rolledOut = true;
    throw new Error('a fake queue has no rollout');
  }

  public dashboardSection(_service: Construct, context: ServiceSectionContext): cloudwatch.IWidget[] {
    return [
      new cloudwatch.TextWidget({ markdown: `## ${context.serviceName} (fake queue)`, width: 24 }),
      new cloudwatch.GraphWidget({ title: 'age of oldest message', left: [this.age!] }),
      new cloudwatch.AlarmStatusWidget({ alarms: context.alarms }),
    ];
  }

  public ownedResources(): IConstruct[] {
    return [];
  }
}

describe('a new service kind from the interface alone', () => {
  const stack = strictStack();
  const kind = new FakeQueueKind('orders');
  const service = new OperationalService(stack, 'Orders', { kind, team: 'fulfilment' });
  const t = Template.fromStack(stack);
  const json = t.toJSON();
  const idOf = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as any);

  test('its signal gets an alarm through the factory: name, threshold, the kind\'s metric, INFO', () => {
    expect(service.alarms).toHaveLength(1);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Shop-Orders-age-info',
      MetricName: 'OldestMessageAge',
      Namespace: 'Fake/Queue',
      Threshold: 300,
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
    // With no rollout, the description does not promise one.
    const alarm = json.Resources[idOf(service.alarms[0])].Properties;
    expect(alarm.AlarmDescription).toMatch(/Feeds the Orders health alarm, which pages\.$/);
    expect(alarm.Tags).toEqual(expect.arrayContaining([{ Key: 'service', Value: 'Orders' }, { Key: 'team', Value: 'fulfilment' }]));
  });

  test('a health alarm over it pages, saying what responds', () => {
    const health = json.Resources[idOf(service.healthAlarm)].Properties;
    expect(health.AlarmName).toBe('Shop-Orders-health-critical');
    expect(JSON.stringify(health.AlarmRule)).toContain(idOf(service.alarms[0]));
    expect(JSON.stringify(health.AlarmDescription)).toContain('Response: an OpsItem is opened.');
  });

  test('the unhealthy runbook starts from a rule on the health alarm, with the kind\'s parameters', () => {
    expect(service.responseRules).toHaveLength(1);
    const rule = json.Resources[idOf(service.responseRules[0])].Properties;
    expect(JSON.stringify(rule.EventPattern)).toContain(idOf(service.healthAlarm));
    const [target] = rule.Targets;
    expect(JSON.stringify(target.Arn)).toContain('automation-definition/');
    expect(JSON.stringify(target.InputTransformer.InputTemplate)).toContain('orders is backed up');
  });

  test('no rollout for a kind without one: rollOut is never asked', () => {
    expect(kind.rolledOut).toBe(false);
    expect(service.deployment).toBeUndefined();
    t.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 0);
    expect(() => new OperationalService(strictStack(), 'Other', { kind: new FakeQueueKind('other'), rollout: RolloutStrategy.allAtOnce() }))
      .toThrow(/Other: invalid `rollout`: a fake-queue service has no rollout of its own/);
    expect(() => new OperationalService(strictStack(), 'Other', { kind: new FakeQueueKind('other'), additionalRollbackAlarms: [service.healthAlarm] }))
      .toThrow(/Other: invalid `additionalRollbackAlarms`: a fake-queue service has no rollout of its own/);
  });

  test('its dashboard section is on the operations dashboard', () => {
    const body = JSON.stringify(json.Resources[idOf(service.dashboard)].Properties.DashboardBody);
    expect(body).toContain('Orders (fake queue)');
    expect(body).toContain('OldestMessageAge');
  });

  test('the catalog lists it with its kind, alarms and response, and no rollout', () => {
    const entry = json.Metadata[CATALOG_METADATA_KEY].services.find((s: any) => s.name === 'Orders');
    expect(entry).toMatchObject({
      kind: 'fake-queue',
      team: 'fulfilment',
      healthAlarm: idOf(service.healthAlarm),
      signalAlarms: { age: idOf(service.alarms[0]) },
      detectionSeconds: 180,
      responses: [{ automatic: true, trigger: 'EventBridge, when Shop-Orders-health-critical enters ALARM' }],
    });
    expect(entry.rollout).toBeUndefined();
  });

  test('an SLO is made of the kind\'s errors and traffic', () => {
    const s = strictStack();
    const withSlo = new OperationalService(s, 'Orders', { kind: new FakeQueueKind('orders'), slo: { target: 99 } });
    expect(withSlo.slo).toBeDefined();
    expect(JSON.stringify(Template.fromStack(s).findResources('AWS::CloudWatch::Alarm'))).toContain('DeadLettered');
  });
});

describe('the ECS kind in the same shape', () => {
  function ecsService(overrides: Partial<EcsKindOptions> = {}) {
    const stack = strictStack();
    const { service, targetGroup, loadBalancer } = albFargateService(stack);
    const svc = new OperationalService(stack, 'Web', { kind: new EcsServiceKind({ service, targetGroup, loadBalancer, ...overrides }), team: 'storefront' });
    return { stack, svc };
  }

  test('six signal alarms, a health alarm, the stopped-tasks runbook on unhealthy, no rollout, a catalog entry', () => {
    const { stack, svc } = ecsService();
    const json = Template.fromStack(stack).toJSON();
    expect(svc.alarms.map((a) => stack.resolve((a.node.defaultChild as any).alarmName))).toEqual([
      'Shop-Web-errors-info', 'Shop-Web-lb-errors-info', 'Shop-Web-latency-info', 'Shop-Web-unhealthy-tasks-info', 'Shop-Web-cpu-info', 'Shop-Web-memory-info',
    ]);
    expect(svc.runbooks.map((r) => r.node.id)).toEqual(['EcsStoppedTasks', 'EcsForceNewDeployment', 'EcsScaleOut']);
    const target = json.Resources[stack.getLogicalId(svc.responseRules[0].node.defaultChild as any)].Properties.Targets[0];
    expect(JSON.stringify(target.Arn)).toContain('EcsStoppedTasks');
    expect(svc.deployment).toBeUndefined();
    const entry = json.Metadata[CATALOG_METADATA_KEY].services[0];
    expect(entry).toMatchObject({ name: 'Web', kind: 'ecs', team: 'storefront' });
    expect(Object.keys(entry.signalAlarms)).toEqual(['errors', 'lb-errors', 'latency', 'unhealthy-tasks', 'cpu', 'memory']);
  });

  test('its thresholds are validated, naming the construct and the prop', () => {
    expect(() => ecsService({ cpuThreshold: 120 })).toThrow(/Web: invalid `cpuThreshold`: is a percentage of CPU and must be at most 100 \(got 120\)/);
    expect(() => ecsService({ unhealthyTaskThreshold: 0 })).toThrow(/Web: invalid `unhealthyTaskThreshold`: must be greater than 0/);
  });
});
