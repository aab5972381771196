import { parseRule } from '../../src/model/alarms';
import { analyzeAssembly } from '../../src/report/analyze';

/** Templates written by hand: the report reads JSON, whatever wrote it. */
const ALARM_TOPIC = { Type: 'AWS::SNS::Topic', Properties: {} };

function alarm(dimensions: any[], extra: any = {}) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Namespace: 'AWS/X',
      MetricName: 'M',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: dimensions,
      ...extra,
    },
  };
}

describe('service kinds found in templates', () => {
  const template = {
    Resources: {
      Topic: ALARM_TOPIC,
      Cluster: { Type: 'AWS::ECS::Cluster', Properties: {} },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} },
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: { ContainerDefinitions: [{ Image: 'app:1', LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'Logs' } } } }] },
      },
      Web: {
        Type: 'AWS::ECS::Service',
        Properties: {
          Cluster: { Ref: 'Cluster' },
          TaskDefinition: { Ref: 'Task' },
          DeploymentConfiguration: {
            DeploymentCircuitBreaker: { Enable: true, Rollback: true },
            Alarms: { AlarmNames: [{ Ref: 'WebCpu' }], Enable: true, Rollback: true },
          },
          Tags: [{ Key: 'team', Value: 'web' }],
        },
      },
      WebCpu: alarm([{ Name: 'ServiceName', Value: { 'Fn::GetAtt': ['Web', 'Name'] } }, { Name: 'ClusterName', Value: { Ref: 'Cluster' } }],
        { AlarmActions: [{ Ref: 'Topic' }], AlarmDescription: 'CPU high: scale out.' }),
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'orders-api' } },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'prod', TracingEnabled: true } },
      Api5xx: alarm([{ Name: 'ApiName', Value: 'orders-api' }, { Name: 'Stage', Value: 'prod' }],
        { AlarmName: 'api-5xx', Period: 10, AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'] }),
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { Tags: [{ Key: 'service', Value: 'orders-db' }] } },
      TableThrottles: alarm([{ Name: 'TableName', Value: { Ref: 'Table' } }], {
        AlarmActions: [{ 'Fn::Join': ['', ['arn:aws:ssm-incidents::', { Ref: 'AWS::AccountId' }, ':response-plan/db']] }],
      }),
      TableOrApi: {
        Type: 'AWS::CloudWatch::CompositeAlarm',
        Properties: {
          AlarmRule: 'ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:table-throttles") OR NOT OK(api-5xx)',
          AlarmActions: [{ Ref: 'Topic' }],
        },
      },
    },
  };
  (template.Resources.TableThrottles.Properties as any).AlarmName = 'table-throttles';
  const [stack] = analyzeAssembly([{ stackName: 'Kinds', template }]).stacks;
  const svc = (id: string) => stack.services.find((s) => s.logicalId === id)!;

  test('finds an ECS service, an API stage and a table', () => {
    expect(stack.services.map((s) => [s.logicalId, s.kind, s.name])).toEqual([
      ['Web', 'ecs', 'Web'], ['Stage', 'apigateway', 'Stage'], ['Table', 'dynamodb', 'orders-db'],
    ]);
  });

  test('ECS: alarm by service dimension, rolling update with alarm rollback, awslogs group without retention', () => {
    const web = svc('Web');
    expect(web.alarms).toMatchObject({ count: 1, paging: 1 });
    expect(web.detection.seconds).toBe(2 * 60 + 60);
    expect(web.deployment).toMatchObject({ strategy: 'rolling update with circuit breaker', rollbackOnAlarm: true, rollbackAlarms: ['WebCpu'] });
    expect(web.wellArchitected.find((r) => r.id === 'OPS04-BP02')).toMatchObject({ status: 'not met', evidence: ['WebCpu', 'Logs'] });
    expect(web.wellArchitected.find((r) => r.id === 'OPS04-BP05')!.status).toBe('not met');
    expect(web.owner.team).toBe('web');
  });

  test('API Gateway: alarm by literal ApiName, high resolution, SNS ARN pages; no alarm rollback to judge', () => {
    const stage = svc('Stage');
    expect(stage.alarms.items.map((a) => a.logicalId).sort()).toEqual(['Api5xx', 'TableOrApi']);
    expect(stage.alarms.items.find((a) => a.logicalId === 'Api5xx')).toMatchObject({ pages: true, highResolution: true, monthlyUsd: 0.3 });
    expect(stage.detection.seconds).toBe(2 * 10 + 60);
    expect(stage.wellArchitected.find((r) => r.id === 'OPS06-BP04')!.status).toBe('not applicable');
    expect(stage.wellArchitected.find((r) => r.id === 'OPS04-BP05')!.status).toBe('met');
    expect(stage.wellArchitected.find((r) => r.id === 'REL12-BP05')!.status).toBe('not applicable');
  });

  test('DynamoDB: Incident Manager pages; a composite naming the alarm by ARN belongs to the table too', () => {
    const table = svc('Table');
    expect(table.alarms.items.map((a) => a.logicalId).sort()).toEqual(['TableOrApi', 'TableThrottles']);
    expect(table.alarms.items.find((a) => a.logicalId === 'TableThrottles')!.actions).toEqual(['Incident Manager db']);
    expect(table.deployment.applicable).toBe(false);
    // The composite fires through the table's alarm alone (the NOT OK branch is not an outage signal).
    expect(table.alarms.items.find((a) => a.logicalId === 'TableOrApi')!.detectionSeconds).toBe(180);
  });

  test('the stack counts each alarm once', () => {
    // WebCpu $0.10 + Api5xx (10 s period) $0.30 + TableThrottles $0.10 + composite $0.50
    expect(stack.cost.monthlyUsd).toBe(1);
  });
});

describe('composite alarm rules', () => {
  const resolve = (arg: string) => arg.replace(/^.*:alarm:/, '');
  test('AND binds tighter than OR; NOT and TRUE/FALSE parse', () => {
    expect(parseRule('ALARM(a) OR ALARM(b) AND NOT ALARM(c)', resolve)).toEqual({
      op: 'or',
      args: [
        { op: 'state', state: 'ALARM', alarm: 'a' },
        { op: 'and', args: [{ op: 'state', state: 'ALARM', alarm: 'b' }, { op: 'not', arg: { op: 'state', state: 'ALARM', alarm: 'c' } }] },
      ],
    });
    expect(parseRule('(ALARM("arn:aws:cloudwatch:r:1:alarm:x")) AND TRUE', resolve)).toEqual({
      op: 'and', args: [{ op: 'state', state: 'ALARM', alarm: 'x' }, { op: 'const', value: true }],
    });
  });
});
