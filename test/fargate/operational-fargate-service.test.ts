import { CfnResource, Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { NagRuleCompliance } from 'cdk-nag';
import { fargate, IMAGE, network } from './fixture';
import { RolloutStrategy, Triggers } from '../../src';
import { SafeDeployment } from '../../src/checks/rules';
import { CATALOG_METADATA_KEY } from '../../src/core/catalog';
import { analyzeAssembly } from '../../src/report/analyze';
import { matches } from '../support/event-pattern';
import { fixtureEvent, flat, strictStack } from '../support/stacks';

// One stack, synthesized once: the default (with an SLO), a rolling one, and one from the user's task definition.
const stack = strictStack();
const net = network(stack);
const web = fargate(stack, 'Storefront', { slo: { target: 99.9 }, team: 'web' }, net);
const rolling = fargate(stack, 'Admin', { rollout: RolloutStrategy.rolling(), listenerPriority: 2, desiredCount: 1 }, net);
const ownTask = new ecs.FargateTaskDefinition(stack, 'OwnTask');
ownTask.addContainer('api', { image: IMAGE, portMappings: [{ containerPort: 8080 }], logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api' }) });
const linear = fargate(stack, 'Api', {
  taskDefinition: ownTask,
  image: undefined,
  containerPort: undefined,
  listenerPriority: 3,
  rollout: RolloutStrategy.linear({ percentage: 20, interval: Duration.minutes(2), bakeTime: Duration.minutes(10) }),
}, net);
const template = Template.fromStack(stack).toJSON();
const resources: Record<string, any> = template.Resources;
const id = (c: any) => stack.getLogicalId((c.node?.defaultChild ?? c) as any);
const props = (c: any) => resources[id(c)].Properties;

describe('OperationalFargateService: ECS\'s own canary, rolled back by alarms and the circuit breaker', () => {
  test('the default is a 10% canary baked 5 minutes, the previous revision kept 5 minutes, every signal alarm rolling it back', () => {
    const config = props(web.service).DeploymentConfiguration;
    expect(config).toMatchObject({
      Strategy: 'CANARY',
      CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 },
      BakeTimeInMinutes: 5,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      Alarms: { Enable: true, Rollback: true },
    });
    expect(config.Alarms.AlarmNames).toEqual(web.alarms.map((a) => props(a).AlarmName));
    expect(config.Alarms.AlarmNames).toEqual([...['errors', 'lb-errors', 'latency', 'unhealthy-tasks', 'running-tasks'].map((s) => `Shop-Storefront-${s}-info`),
      'Shop-Storefront-cpu-warning', 'Shop-Storefront-memory-warning']);
    expect(props(web.service).DeploymentController).toEqual({ Type: 'ECS' });
  });

  test('linear and rolling select ECS\'s LINEAR and ROLLING; rolling has one target group and no traffic shifting', () => {
    expect(props(linear.service).DeploymentConfiguration).toMatchObject({
      Strategy: 'LINEAR',
      LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 2 },
      BakeTimeInMinutes: 10,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      Alarms: { Enable: true, Rollback: true },
    });
    const config = props(rolling.service).DeploymentConfiguration;
    expect(config).toMatchObject({ Strategy: 'ROLLING', DeploymentCircuitBreaker: { Enable: true, Rollback: true }, Alarms: { Rollback: true } });
    expect(config.BakeTimeInMinutes).toBeUndefined();
    expect(rolling.targetGroups).toHaveLength(1);
    expect(props(rolling.service).LoadBalancers[0].AdvancedConfiguration).toBeUndefined();
  });

  test('both target groups and the listener rule ECS shifts, through a role scoped to them (not the broad managed policy)', () => {
    const [blue, green] = web.targetGroups;
    const [lb] = props(web.service).LoadBalancers;
    expect(lb.TargetGroupArn).toEqual({ Ref: id(blue) });
    expect(lb.AdvancedConfiguration.AlternateTargetGroupArn).toEqual({ Ref: id(green) });
    expect(lb.AdvancedConfiguration.ProductionListenerRule).toEqual({ Ref: id(web.listenerRule) });
    const roleId = lb.AdvancedConfiguration.RoleArn['Fn::GetAtt'][0];
    expect(props(web.listenerRule).Actions).toEqual([{
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: { Ref: id(blue) }, Weight: 100 }, { TargetGroupArn: { Ref: id(green) }, Weight: 0 },
        ],
      },
    }]);
    const role = resources[roleId].Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'ecs.amazonaws.com' });
    const policy = Object.values(resources).find((r: any) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles[0].Ref === roleId) as any;
    const byAction = Object.fromEntries(policy.Properties.PolicyDocument.Statement.map((s: any) => [[s.Action].flat().join(','), s.Resource]));
    expect(byAction['elasticloadbalancing:ModifyRule']).toEqual([web, linear].map((s) => ({ Ref: id(s.listenerRule) })));
    expect(byAction['elasticloadbalancing:RegisterTargets,elasticloadbalancing:DeregisterTargets'])
      .toEqual([...web.targetGroups, ...linear.targetGroups].map((g) => ({ Ref: id(g) })));
    // Only ELB's Describe* (no resource-level permission) is on '*'.
    for (const [actions, resource] of Object.entries(byAction)) {
      if (resource === '*') expect(actions.split(',').every((a) => a.startsWith('elasticloadbalancing:Describe'))).toBe(true);
    }
  });

  test('the log group keeps a year, encrypted with the stack\'s key; the container checks its health, runs as non-root, read-only', () => {
    const logGroup = props(web.logGroup);
    expect(logGroup.RetentionInDays).toBe(365);
    expect(logGroup.KmsKeyId).toEqual({ 'Fn::GetAtt': [id(web.hub.topicKey), 'Arn'] });
    const [container, xray] = props(web.taskDefinition).ContainerDefinitions;
    expect(container).toMatchObject({ User: '1000', ReadonlyRootFilesystem: true, Memory: 448 });
    // Tracing: the X-Ray daemon beside it takes 64 of the task's 512 MiB, non-root, read-only, not essential, logging with the app.
    expect(xray).toMatchObject({
      Name: 'xray',
      Image: 'public.ecr.aws/xray/aws-xray-daemon:3.x',
      Memory: 64,
      Essential: false,
      User: '1337',
      ReadonlyRootFilesystem: true,
      PortMappings: [{ ContainerPort: 2000, Protocol: 'udp' }],
    });
    expect(flat(xray.LogConfiguration.Options['awslogs-group'])).toBe(`<${id(web.logGroup)}>`);
    const tracing = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::IAM::Policy'
      && JSON.stringify(r.Properties.PolicyDocument).includes('xray:PutTraceSegments')) as any;
    expect(flat(tracing.Properties.Roles)).toContain(id(web.taskDefinition.taskRole));
    const report = analyzeAssembly([{ stackName: 'Shop', template, region: 'us-east-1' }]);
    expect(report.stacks[0].services.find((x) => x.name === 'Storefront')!.wellArchitected.find((r) => r.id === 'OPS04-BP05')!.status).toBe('met');
    expect(container.HealthCheck.Command).toEqual(['CMD-SHELL', 'curl -fs http://localhost:8080/ || exit 1']);
    expect(flat(container.LogConfiguration.Options['awslogs-group'])).toBe(`<${id(web.logGroup)}>`);
    expect(linear.logGroup).toBeUndefined();
  });
});

/** The value of a metric-math expression for one period, given each metric's datapoint (undefined: none published). */
function evaluate(alarm: any, values: Record<string, number | undefined>): number {
  const byId = new Map<string, any>(alarm.Metrics.map((m: any) => [m.Id, m]));
  const IF = (c: any, a: number, b: number) => (c ? a : b);
  const FILL = (x: number | undefined, v: number) => (x === undefined || Number.isNaN(x) ? v : x);
  const MAX = (xs: number[]) => Math.max(...xs);
  const value = (mid: string): number | undefined => {
    const m = byId.get(mid);
    if (m.MetricStat) return values[mid];
    const ids = [...byId.keys()].filter((k) => new RegExp(`\\b${k}\\b`).test(m.Expression));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function('IF', 'FILL', 'MAX', ...ids, `return ${m.Expression};`)(IF, FILL, MAX, ...ids.map(value));
  };
  return value(alarm.Metrics.find((m: any) => m.ReturnData !== false).Id)!;
}

describe('golden signals on both target groups, 1-minute periods, an outage detected within 180 s', () => {
  const alarm = (signal: string) => props(web.alarms.find((a) => props(a).AlarmName.startsWith(`Shop-Storefront-${signal}-`))!);
  const groupsRead = (a: any) => new Set(a.Metrics.filter((m: any) => m.MetricStat?.Metric.Namespace === 'AWS/ApplicationELB')
    .flatMap((m: any) => m.MetricStat.Metric.Dimensions).filter((d: any) => d.Name === 'TargetGroup').map((d: any) => d.Value['Fn::GetAtt'][0]));

  test('every target-group alarm reads both groups (ECS swaps them each deployment); every period is 60 s, 2 of 3', () => {
    const both = new Set(web.targetGroups.map(id));
    for (const signal of ['errors', 'latency', 'unhealthy-tasks', 'running-tasks']) {
      expect(groupsRead(alarm(signal))).toEqual(both);
      // The load balancer is named by its full name, not parsed out of the listener's ARN in every metric.
      expect(JSON.stringify(alarm(signal))).not.toContain('Fn::Split');
    }
    for (const a of web.alarms.map(props)) {
      expect(a).toMatchObject({ EvaluationPeriods: 3, DatapointsToAlarm: 2 });
      const periods = a.Period ? [a.Period] : a.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Period);
      expect(new Set(periods)).toEqual(new Set([60]));
      expect((a.Metrics ?? []).length).toBeLessThanOrEqual(10);
    }
    expect(web.detectionTime.toSeconds()).toBeLessThanOrEqual(180);
    expect(alarm('running-tasks')).toMatchObject({ Threshold: 2, ComparisonOperator: 'LessThanThreshold' });
    expect(alarm('cpu').Threshold).toBe(90);
    // Saturation warns (an OpsItem by default) rather than pages.
    expect(alarm('cpu').AlarmName).toBe('Shop-Storefront-cpu-warning');
    expect(flat(alarm('memory').AlarmActions)).toContain(':opsitem:3');
    expect(JSON.stringify(alarm('cpu'))).toContain('"MetricName":"CPUUtilization","Namespace":"AWS/ECS"');
  });

  test('worked example: a canary failing 20% of its 10% of requests trips the errors alarm; the mixed rate (1.8%) would not', () => {
    const a = alarm('errors');
    const canary = { requestsOfBlue: 900, errorsOfBlue: undefined, requestsOfGreen: 100, errorsOfGreen: 20 };
    expect(evaluate(a, canary)).toBe(20);
    expect(evaluate(a, canary)).toBeGreaterThanOrEqual(a.Threshold);
    expect(100 * 20 / 1000).toBeLessThan(a.Threshold);
    // The old revision failing during a canary still counts; no traffic is no breach.
    expect(evaluate(a, { requestsOfBlue: 900, errorsOfBlue: 90, requestsOfGreen: 100, errorsOfGreen: 0 })).toBe(10);
    expect(evaluate(a, { requestsOfBlue: undefined, errorsOfBlue: undefined, requestsOfGreen: undefined, errorsOfGreen: undefined })).toBe(0);
    // Low traffic: a canary's 1 failed request of 2 counts against 50 (2%), not as 50%; 5 of 5 (10%) still rolls it back.
    expect(evaluate(a, { requestsOfBlue: 900, errorsOfBlue: 0, requestsOfGreen: 2, errorsOfGreen: 1 })).toBe(2);
    expect(evaluate(a, { requestsOfBlue: 900, errorsOfBlue: 0, requestsOfGreen: 5, errorsOfGreen: 5 })).toBeGreaterThanOrEqual(a.Threshold);
    // A quiet service failing whole is judged at its real rate: 3 of 3 requests failing is 100%.
    expect(evaluate(a, { requestsOfBlue: 3, errorsOfBlue: 3, requestsOfGreen: undefined, errorsOfGreen: undefined })).toBe(100);
    // Healthy tasks of both groups add up; none registered in green reads as 0, not as missing.
    const tasks = alarm('running-tasks');
    const [hb, hg] = tasks.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.Id);
    expect(evaluate(tasks, { [hb]: 1, [hg]: undefined })).toBe(1);
  });

  test('one composite pages; an SLO and the dashboard section come through the composition; a catalog entry with the rollout', () => {
    const rule = props(web.healthAlarm).AlarmRule;
    // Every info signal feeds it (whether warnings do is the composition's choice).
    for (const a of web.alarms.filter((x) => props(x).AlarmName.endsWith('-info'))) expect(flat(rule)).toContain(id(a));
    expect(web.slo).toBeDefined();
    expect(flat(props(web.dashboard).DashboardBody)).toContain('Rollout: ECS canary: 10% for 5 min, then 100%');
    const entry = template.Metadata[CATALOG_METADATA_KEY].services.find((s: any) => s.name === 'Storefront');
    expect(entry).toMatchObject({ kind: 'ecs', team: 'web', rollout: { type: 'canary', percentage: 10, intervalMinutes: 5 } });
    expect(entry.rollout.rollbackAlarms).toEqual(web.alarms.map(id));
    // The diagnostics runbook's three automatic starts are all in the catalog, not only the health alarm's.
    expect(entry.responses.filter((r: any) => r.automatic).map((r: any) => r.trigger)).toEqual([
      'EventBridge, when Shop-Storefront-health-critical enters ALARM',
      'EventBridge, when ECS reports SERVICE_DEPLOYMENT_FAILED',
      'EventBridge, when a task stopped unexpectedly',
    ]);
    const adminEntry = template.Metadata[CATALOG_METADATA_KEY].services.find((s: any) => s.name === 'Admin');
    expect(adminEntry.rollout).toEqual(expect.objectContaining({ type: 'rolling' }));
  });

  test('the readiness report shows ECS\'s native canary with its rollback alarms and the circuit breaker; OPEX-SafeDeployment passes it', () => {
    const report = analyzeAssembly([{ stackName: 'Shop', template, region: 'us-east-1' }]);
    const service = report.stacks[0].services.find((s) => s.name === 'Storefront')!;
    expect(service.deployment).toMatchObject({
      applicable: true,
      rolloutType: 'canary',
      percentage: 10,
      intervalMinutes: 5,
      rollbackOnAlarm: true,
      circuitBreaker: true,
      strategy: 'canary: 10% for 5 min, then 100% with circuit breaker',
    });
    expect(service.deployment.deploymentGroup).toBeUndefined();
    expect(service.deployment.rollbackAlarms).toHaveLength(7);
    expect(SafeDeployment(web.service.node.defaultChild as CfnResource)).toBe(NagRuleCompliance.COMPLIANT);
    const admin = report.stacks[0].services.find((s) => s.name === 'Admin')!;
    expect(admin.deployment).toMatchObject({ rolloutType: 'rolling', strategy: 'rolling update with circuit breaker', rollbackOnAlarm: true });
  });
});

/** A pattern's values as EventBridge sees them: the service's and cluster's references replaced by deployed ones. */
function deployed(value: any, refs: Record<string, string>): any {
  if (Array.isArray(value)) return value.map((v) => deployed(v, refs));
  if (value && typeof value === 'object') {
    if ('Ref' in value) return refs[value.Ref];
    if ('Fn::GetAtt' in value) return refs[value['Fn::GetAtt'].join('.')];
    if ('Fn::Join' in value) return value['Fn::Join'][1].map((v: any) => deployed(v, refs)).join(value['Fn::Join'][0]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deployed(v, refs)]));
  }
  return value;
}

describe('responses: diagnostics on unhealthy, failed deployments and tasks dying; changes behind approval; IAM scoped to this service', () => {
  const FIXTURES = ['ecs-deployment-state-change-failed.json', 'ecs-task-state-change-stopped.json', 'ecs-task-state-change-running.json',
    'cloudwatch-alarm-state-change-single-metric.json', 'codedeploy-deployment-state-change-failure.json', 'health-event.json'];
  // The sample events' service (servicetest in cluster default) and cluster (FargateCluster), as if ours were deployed with those names.
  const refs = {
    [id(web.service)]: 'arn:aws:ecs:us-west-2:111122223333:service/default/servicetest',
    [`${id(web.service)}.Name`]: 'servicetest',
    [`${id(net.cluster)}.Arn`]: 'arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster',
  };
  const matched = (rule: any) => FIXTURES.filter((f) => {
    const event = fixtureEvent(f);
    // Real stopped events carry a stop code (the published sample has none) and the task's service group.
    if (f === 'ecs-task-state-change-stopped.json') Object.assign(event.detail, { group: 'service:servicetest', stopCode: 'EssentialContainerExited' });
    return matches(deployed(props(rule).EventPattern, refs), event);
  });

  test('the runbooks: diagnostics first (started by three rules), then rollback, force-new-deployment and scale-out, behind approval', () => {
    expect(web.runbooks.map((r) => r.node.id)).toEqual(['EcsDiagnostics', 'EcsRollback', 'EcsForceNewDeployment', 'EcsScaleOut']);
    expect(web.responseRules).toHaveLength(3);
    for (const rule of web.responseRules) expect(flat(props(rule).Targets[0].Arn)).toContain(id(web.runbooks[0].document));
    for (const runbook of web.runbooks.slice(1)) {
      expect(JSON.stringify(props(runbook.document).Content)).toContain('"action":"aws:approve"');
    }
    const [, deploymentFailed, taskStopped] = web.responseRules;
    expect(matched(deploymentFailed)).toEqual(['ecs-deployment-state-change-failed.json']);
    expect(matched(taskStopped)).toEqual(['ecs-task-state-change-stopped.json']);
    const other = fixtureEvent('ecs-deployment-state-change-failed.json');
    other.resources = ['arn:aws:ecs:us-west-2:111122223333:service/default/another'];
    expect(matches(deployed(props(deploymentFailed).EventPattern, refs), other)).toBe(false);
    const diagnostics = JSON.stringify(props(web.runbooks[0].document).Content);
    for (const call of ['describe_services', 'list_tasks', 'describe_tasks', 'stopCode', 'filter_log_events', "'events'", 'deployments']) {
      expect(diagnostics).toContain(call);
    }
    expect(diagnostics).toContain('"Api":"CreateOpsItem"');
  });

  test('each runbook\'s role acts on this cluster\'s services, tasks (task/<cluster>/*), log group and task roles only', () => {
    const allowed = new Set([id(web.service), id(rolling.service), id(linear.service)]);
    for (const runbook of web.runbooks) {
      const policy = Object.values(resources).find((r: any) => r.Type === 'AWS::IAM::Policy'
        && r.Properties.Roles[0].Ref === id(runbook.role)) as any;
      for (const s of policy.Properties.PolicyDocument.Statement) {
        const actions = [s.Action].flat();
        const targets = [s.Resource].flat().map(flat);
        if (targets.includes('*')) {
          expect(actions.every((a: string) => a === 'ssm:CreateOpsItem' || (a === 'ecs:ListTasks' && s.Condition.ArnEquals['ecs:cluster']))).toBe(true);
        } else if (actions.some((a: string) => a.startsWith('ecs:Describe') || a === 'ecs:UpdateService')) {
          for (const t of targets) {
            expect(allowed.has(t.replace(/^<|>$/g, '')) || t === `arn:<AWS::Partition>:ecs:us-east-1:123456789012:task/<${id(net.cluster)}>/*`).toBe(true);
          }
        }
      }
    }
    const rollbackPolicy = JSON.stringify(Object.values(resources).find((r: any) => r.Type === 'AWS::IAM::Policy'
      && r.Properties.Roles[0].Ref === id(web.runbooks[1].role)));
    expect(rollbackPolicy).toContain('iam:PassRole');
    expect(rollbackPolicy).toContain(id(web.taskDefinition.taskRole));
  });

  test('Triggers.ecsDeploymentFailed matches its service\'s failed deployment and not other ECS or CodeDeploy events', () => {
    const s = strictStack('Other');
    const service = ecs.FargateService.fromFargateServiceAttributes(s, 'Svc', {
      serviceArn: 'arn:aws:ecs:us-west-2:111122223333:service/default/servicetest',
      cluster: ecs.Cluster.fromClusterArn(s, 'C', 'arn:aws:ecs:us-west-2:111122223333:cluster/default'),
    });
    const rule = new events.Rule(s, 'Rule', { eventPattern: Triggers.ecsDeploymentFailed(service) });
    const pattern = Template.fromStack(s).toJSON().Resources[s.getLogicalId(rule.node.defaultChild as events.CfnRule)].Properties.EventPattern;
    expect(FIXTURES.filter((f) => matches(pattern, fixtureEvent(f)))).toEqual(['ecs-deployment-state-change-failed.json']);
    const stoppedOnPurpose = fixtureEvent('ecs-task-state-change-stopped.json');
    Object.assign(stoppedOnPurpose.detail, { group: 'service:servicetest', stopCode: 'ServiceSchedulerInitiated' });
    expect(matches(deployed(props(web.responseRules[2]).EventPattern, refs), stoppedOnPurpose)).toBe(false);
  });
});

