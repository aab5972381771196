import { Duration, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as fc from 'fast-check';
import { fargate } from './fixture';
import {
  MockAwsEnvironment, OperationalFargateServiceProps, OperationalFunction, RolloutStrategy, RunbookSimulator, SimulationStatus,
} from '../../src';
import { invalidPropError, runs } from '../support/arbitraries';
import { plainFunction, strictStack } from '../support/stacks';

// Built, not synthesized: each case constructs a stack and the error is thrown at construction.
const web = fargate(strictStack(), 'Storefront');

describe('the ECS runbooks, simulated offline', () => {
  const approver = ['arn:aws:iam::123456789012:role/OnCall'];

  test('rollback: finds the previous revision, waits for approval, deploys it and waits; denied, it changes nothing', () => {
    const aws = new MockAwsEnvironment()
      .onScript('FindTarget', { Current: 'web:7', Target: 'web:6' })
      .onApi('ecs', 'UpdateService', {})
      .onApi('ecs', 'DescribeServices', { services: [{ deployments: [{ rolloutState: 'COMPLETED' }] }] })
      .approveAll();
    const result = RunbookSimulator.fromRunbook(web.runbooks[1]).run({ environment: aws, parameters: { Cluster: 'shop', Service: 'web', Approvers: approver } });
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(result.stepNames).toEqual(['FindTarget', 'Approve', 'RollBack', 'WaitForRollback']);
    expect(aws.callsTo('ecs', 'UpdateService')[0].parameters).toMatchObject({ cluster: 'shop', service: 'web', taskDefinition: 'web:6' });
    const denied = new MockAwsEnvironment().onScript('FindTarget', { Current: 'web:7', Target: 'web:6' }).deny('Approve');
    const refused = RunbookSimulator.fromRunbook(web.runbooks[1]).run({ environment: denied, parameters: { Cluster: 'shop', Service: 'web', Approvers: approver } });
    expect(refused.status).toBe(SimulationStatus.FAILED);
    expect(denied.callsTo('ecs', 'UpdateService')).toEqual([]);
  });

  test('diagnostics: collects, then records an OpsItem; a failing collection records nothing', () => {
    const parameters = { Cluster: 'shop', Service: 'web', LogGroupName: 'logs', ServiceName: 'Storefront' };
    const aws = new MockAwsEnvironment()
      .onScript('CollectDiagnostics', {
        TaskDefinition: 'web:7',
        Revisions: 'web:6, web:7',
        Deployments: 'PRIMARY FAILED web:7: 0/2 tasks',
        Events: 'none',
        StoppedCount: 2,
        StoppedTasks: '2 x EssentialContainerExited',
        RecentErrorCount: 0,
        RecentErrors: 'none',
      })
      .onApi('ssm', 'CreateOpsItem', { OpsItemId: 'oi-1' });
    expect(RunbookSimulator.fromRunbook(web.runbooks[0]).run({ environment: aws, parameters }).status).toBe(SimulationStatus.SUCCESS);
    expect(aws.callsTo('ssm', 'CreateOpsItem')[0].parameters.Description).toContain('2 x EssentialContainerExited');
    const failing = new MockAwsEnvironment().failScript('CollectDiagnostics', 'AccessDenied');
    expect(RunbookSimulator.fromRunbook(web.runbooks[0]).run({ environment: failing, parameters }).status).toBe(SimulationStatus.FAILED);
    expect(failing.callsTo('ssm', 'CreateOpsItem')).toEqual([]);
  });
});

describe('bad props throw at synth, naming the prop', () => {
  const build = (p: Partial<OperationalFargateServiceProps>) => () => fargate(strictStack(), 'Web', p);

  test.each([
    ['rollout', { rollout: RolloutStrategy.canary({ percentage: 10, interval: Duration.minutes(1441) }) }, /invalid `rollout`: ECS bakes each step at most 1440 minutes/],
    ['rollout', { rollout: RolloutStrategy.linear({ percentage: 2, interval: Duration.minutes(1) }) }, /invalid `rollout`: an ECS linear step moves at least 3%/],
    ['desiredCount', { desiredCount: 0 }, /Web: invalid `desiredCount`: a canary: 10% for 5 min, then 100% rollout moves traffic to new tasks/],
    ['desiredCount', { desiredCount: 1.5 }, /Web: invalid `desiredCount`: must be a whole number of tasks/],
    ['desiredCount', { desiredCount: Token.asNumber({ Ref: 'Count' }) }, /Web: invalid `desiredCount`: must be a literal number/],
    ['errorRateThreshold', { errorRateThreshold: 0 }, /Web: invalid `errorRateThreshold`: must be greater than 0/],
    ['canaryMinimumRequests', { canaryMinimumRequests: 0 }, /Web: invalid `canaryMinimumRequests`: .*requests per alarm period/],
    ['canaryMinimumRequests', { canaryMinimumRequests: 2.5 }, /Web: invalid `canaryMinimumRequests`: must be a whole number of requests per alarm period/],
    ['latencyThreshold', { latencyThreshold: Duration.millis(0) }, /Web: invalid `latencyThreshold`: must be greater than 0/],
    ['latencyThreshold', { latencyThreshold: Duration.seconds(Token.asNumber({ Ref: 'L' })) }, /Web: invalid `latencyThreshold`: must be a literal duration/],
    ['unhealthyTaskThreshold', { unhealthyTaskThreshold: -1 }, /Web: invalid `unhealthyTaskThreshold`: must be greater than 0/],
    ['cpuThreshold', { cpuThreshold: 101 }, /Web: invalid `cpuThreshold`: is a percentage of CPU and must be at most 100/],
    ['containerPort', { containerPort: 70_000 }, /Web: invalid `containerPort`: must be a whole number of port from 1 to 65535/],
    ['listenerPriority', { listenerPriority: 0 }, /Web: invalid `listenerPriority`/],
    ['taskDefinition', { taskDefinition: new ecs.FargateTaskDefinition(strictStack('T'), 'T') }, /invalid `taskDefinition`: give exactly one of image and taskDefinition/],
    ['additionalRollbackAlarms', { additionalRollbackAlarms: [] as any }, null],
  ])('%s', (_prop, p, message) => {
    if (message) expect(build(p as any)).toThrow(message);
    else expect(build(p as any)).not.toThrow();
  });

  test('the RolloutStrategy factories reject a percentage outside 1-99 and a bake time over ECS\'s 1440 minutes', () => {
    expect(() => RolloutStrategy.canary({ percentage: 100, interval: Duration.minutes(5) })).toThrow(/RolloutStrategy.canary: invalid `percentage`/);
    expect(() => RolloutStrategy.canary({ percentage: 0, interval: Duration.minutes(5) })).toThrow(/invalid `percentage`/);
    expect(() => RolloutStrategy.blueGreen({ bakeTime: Duration.minutes(1441) }))
      .toThrow(/RolloutStrategy.blueGreen: invalid `bakeTime`: must be a whole number of minutes from 0 to 1440/);
    expect(() => RolloutStrategy.canary({ percentage: 10, interval: Duration.minutes(5), bakeTime: Duration.seconds(30) })).toThrow(/invalid `bakeTime`/);
  });

  test('a Lambda function rejects an ECS-only rollout, naming `rollout`', () => {
    const s = strictStack();
    expect(() => new OperationalFunction(s, 'A', { lambdaFunction: plainFunction(s, 'Fn1'), rollout: RolloutStrategy.blueGreen() }))
      .toThrow(/invalid `rollout`: blue\/green: all at once, previous revision kept 5 min is an ECS strategy/);
    expect(() => new OperationalFunction(s, 'B', { lambdaFunction: plainFunction(s, 'Fn2'), rollout: RolloutStrategy.rolling() })).toThrow(/invalid `rollout`/);
    expect(() => new OperationalFunction(s, 'C', {
      lambdaFunction: plainFunction(s, 'Fn3'), rollout: RolloutStrategy.canary({ percentage: 10, interval: Duration.minutes(5), bakeTime: Duration.minutes(1) }),
    })).toThrow(/invalid `rollout`: a bakeTime is for ECS services/);
  });
});

describe('OperationalFargateService: random props (fast-check)', () => {
  interface FargateCase {
    readonly desiredCount: number;
    readonly containerPort: number;
    readonly listenerPriority: number;
    readonly errorRateThreshold: number;
    readonly cpuThreshold: number;
    readonly latencyMs: number;
    readonly unhealthyTaskThreshold: number;
    readonly rollout: RolloutStrategy;
  }
  const minutes = (max: number) => fc.integer({ min: 1, max }).map((m) => Duration.minutes(m));
  const bake = fc.option(fc.integer({ min: 0, max: 1440 }).map((m) => Duration.minutes(m)), { nil: undefined });
  const ecsRollout = fc.oneof(
    fc.record({ percentage: fc.integer({ min: 1, max: 99 }), interval: minutes(1440), bakeTime: bake }).map((o) => RolloutStrategy.canary(o)),
    fc.record({ percentage: fc.integer({ min: 3, max: 99 }), interval: minutes(1440), bakeTime: bake }).map((o) => RolloutStrategy.linear(o)),
    bake.map((bakeTime) => RolloutStrategy.blueGreen({ bakeTime })),
    fc.constant(RolloutStrategy.allAtOnce()),
    fc.constant(RolloutStrategy.rolling()),
  );
  const percent = fc.double({ min: 0.01, max: 100, noNaN: true });
  const valid: fc.Arbitrary<FargateCase> = fc.record({
    desiredCount: fc.integer({ min: 1, max: 20 }),
    containerPort: fc.integer({ min: 1, max: 65_535 }),
    listenerPriority: fc.integer({ min: 1, max: 50_000 }),
    errorRateThreshold: percent,
    cpuThreshold: percent,
    latencyMs: fc.integer({ min: 1, max: 60_000 }),
    unhealthyTaskThreshold: fc.integer({ min: 1, max: 10 }),
    rollout: ecsRollout,
  });
  const bad = (prop: string, values: fc.Arbitrary<any>, patch: (v: any) => Partial<FargateCase>) => values.map((v) => ({ prop, patch: patch(v) }));
  const invalid = fc.tuple(valid, fc.oneof(
    bad('desiredCount', fc.constantFrom(-1, 1.5, NaN), (v) => ({ desiredCount: v })),
    bad('desiredCount', fc.constant(0), (v) => ({ desiredCount: v, rollout: RolloutStrategy.DEFAULT })),
    bad('containerPort', fc.constantFrom(0, 65_536, 80.5), (v) => ({ containerPort: v })),
    bad('listenerPriority', fc.constantFrom(0, 50_001, 2.5), (v) => ({ listenerPriority: v })),
    bad('errorRateThreshold', fc.oneof(fc.constantFrom(0, -5, 100.5), fc.double({ min: 101, max: 1e6, noNaN: true })), (v) => ({ errorRateThreshold: v })),
    bad('cpuThreshold', fc.constantFrom(0, 150), (v) => ({ cpuThreshold: v })),
    bad('latencyThreshold', fc.constantFrom(0, NaN), (v) => ({ latencyMs: v })),
    bad('unhealthyTaskThreshold', fc.constantFrom(0, -2), (v) => ({ unhealthyTaskThreshold: v })),
    bad('rollout', fc.integer({ min: 1441, max: 2880 }), (v) => ({ rollout: RolloutStrategy.canary({ percentage: 10, interval: Duration.minutes(v) }) })),
    bad('rollout', fc.integer({ min: 1, max: 2 }), (v) => ({ rollout: RolloutStrategy.linear({ percentage: v, interval: Duration.minutes(1) }) })),
  )).map(([c, m]) => ({ props: { ...c, ...m.patch }, prop: m.prop }));

  const build = (c: FargateCase) => fargate(strictStack(), 'Web', {
    desiredCount: c.desiredCount,
    containerPort: c.containerPort,
    listenerPriority: c.listenerPriority,
    errorRateThreshold: c.errorRateThreshold,
    cpuThreshold: c.cpuThreshold,
    latencyThreshold: Duration.millis(c.latencyMs),
    unhealthyTaskThreshold: c.unhealthyTaskThreshold,
    rollout: c.rollout,
  });

  test('valid props build: two target groups unless rolling, the running-tasks alarm at the desired count', () => {
    fc.assert(fc.property(valid, (c) => {
      const svc = build(c);
      expect(svc.targetGroups).toHaveLength(c.rollout.rolloutType === 'ROLLING' ? 1 : 2);
      expect(svc.alarms).toHaveLength(7);
      expect(svc.detectionTime.toSeconds()).toBe(180);
    }), runs(12));
  });

  test('one invalid field throws at synth, naming that prop', () => {
    fc.assert(fc.property(invalid, ({ props: c, prop }) => {
      expect(() => build(c)).toThrow(invalidPropError(prop));
    }), runs(25));
  });
});

