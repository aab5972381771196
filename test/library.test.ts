import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { MockAwsEnvironment, OperationsHub, Runbook, RunbookLibrary, RunbookSimulator, SimulationStatus } from '../src';
import { flat, plainFunction, strictStack } from './support/stacks';

const APPROVERS = ['arn:aws:iam::123456789012:role/OnCall'];

function simulate(runbook: Runbook, env: MockAwsEnvironment, parameters: Record<string, any>) {
  return RunbookSimulator.fromRunbook(runbook).run({ environment: env, parameters });
}

/** Statements of a runbook's role, with references flattened to text. */
function roleStatements(stack: Stack, runbook: Runbook): any[] {
  const roleId = stack.getLogicalId(runbook.role.node.defaultChild as any);
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId)) as any[];
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement)
    .map((st: any) => ({ Action: st.Action, Resource: [st.Resource].flat().map(flat), ...(st.Condition ? { Condition: st.Condition } : {}) }));
}

function ecsService(stack: Stack) {
  return ecs.FargateService.fromFargateServiceAttributes(stack, 'Svc', {
    serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/shop/checkout',
    cluster: ecs.Cluster.fromClusterArn(stack, 'Cluster', 'arn:aws:ecs:us-east-1:123456789012:cluster/shop'),
  });
}

describe('Lambda diagnostics', () => {
  const env = () => new MockAwsEnvironment()
    .onApi('lambda', 'GetAlias', { FunctionVersion: '7' })
    .onScript('CollectDiagnostics', { PreviousVersion: '6', ReservedConcurrency: 'unreserved', RecentErrorCount: 3, RecentErrors: 'boom' })
    .onApi('ssm', 'CreateOpsItem', { OpsItemId: 'oi-1' });
  const parameters = { FunctionName: 'checkout', LogGroupName: '/aws/lambda/checkout', ServiceName: 'Checkout', AlarmName: 'Shop-Checkout-health' };

  test('records the alias version, the previous one and recent errors on a deduplicated OpsItem', () => {
    const mock = env();
    const result = simulate(RunbookLibrary.lambdaDiagnostics(strictStack()), mock, parameters);
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(result.stepNames).toEqual(['DescribeAlias', 'CollectDiagnostics', 'RecordOpsItem']);
    expect(result.outputs).toEqual({ 'RecordOpsItem.OpsItemId': 'oi-1', 'DescribeAlias.CurrentVersion': '7', 'CollectDiagnostics.PreviousVersion': '6' });
    const [opsItem] = mock.callsTo('ssm', 'CreateOpsItem');
    expect(opsItem.parameters.Title).toBe('Checkout is unhealthy (Shop-Checkout-health)');
    expect(opsItem.parameters.Description).toContain('Alias live serves version 7; the previous version is 6.');
    expect(opsItem.parameters.OperationalData['/aws/dedup'].Value).toBe('{"dedupString":"cdk-opex:checkout:unhealthy"}');
    expect(mock.scriptCalls[0].payload).toEqual({ FunctionName: 'checkout', CurrentVersion: '7', LogGroupName: '/aws/lambda/checkout' });
  });

  test('fails at the first step when the alias does not exist, and opens no OpsItem', () => {
    const mock = new MockAwsEnvironment().failApi('lambda', 'GetAlias', 'ResourceNotFoundException', 'Alias not found');
    const result = simulate(RunbookLibrary.lambdaDiagnostics(strictStack()), mock, parameters);
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.stepNames).toEqual(['DescribeAlias']);
    expect(result.failureMessage).toMatch(/Alias not found/);
    expect(mock.callsTo('ssm', 'CreateOpsItem')).toHaveLength(0);
  });
});

describe('Lambda rollback', () => {
  const parameters = { FunctionName: 'checkout', Approvers: APPROVERS };

  test('after approval, points the alias at the previous version and verifies it', () => {
    const mock = new MockAwsEnvironment()
      .onApi('lambda', 'GetAlias', { FunctionVersion: '7' })
      .onScript('FindTarget', { TargetVersion: '6' })
      .onApi('lambda', 'UpdateAlias', {})
      .onApi('lambda', 'GetAlias', { FunctionVersion: '6' })
      .approveAll();
    const result = simulate(RunbookLibrary.lambdaRollback(strictStack()), mock, parameters);
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(result.stepNames).toEqual(['DescribeAlias', 'FindTarget', 'Approve', 'UpdateAlias', 'VerifyAlias']);
    expect(mock.callsTo('lambda', 'UpdateAlias')[0].parameters)
      .toEqual({ FunctionName: 'checkout', Name: 'live', FunctionVersion: '6', RoutingConfig: { AdditionalVersionWeights: {} } });
    expect(result.steps.find((s) => s.name === 'Approve')!.inputs.Approvers).toEqual(APPROVERS);
  });

  test('a denied approval changes nothing', () => {
    const mock = new MockAwsEnvironment()
      .onApi('lambda', 'GetAlias', { FunctionVersion: '7' })
      .onScript('FindTarget', { TargetVersion: '6' })
      .deny('Approve');
    const result = simulate(RunbookLibrary.lambdaRollback(strictStack()), mock, parameters);
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.stepNames).toEqual(['DescribeAlias', 'FindTarget', 'Approve']);
    expect(mock.callsTo('lambda', 'UpdateAlias')).toHaveLength(0);
  });

  test('fails when the alias does not serve the target version afterwards', () => {
    const mock = new MockAwsEnvironment()
      .onApi('lambda', 'GetAlias', { FunctionVersion: '7' })
      .onScript('FindTarget', { TargetVersion: '6' })
      .onApi('lambda', 'UpdateAlias', {})
      .approveAll();
    const result = simulate(RunbookLibrary.lambdaRollback(strictStack(), { requireApproval: false }), mock, { FunctionName: 'checkout' });
    expect(result.stepNames).toEqual(['DescribeAlias', 'FindTarget', 'UpdateAlias', 'VerifyAlias']);
    expect(result.status).toBe(SimulationStatus.FAILED);
  });

  test('opting out of approval is a separate shared document without the gate', () => {
    const stack = strictStack();
    const gated = RunbookLibrary.lambdaRollback(stack);
    const unattended = RunbookLibrary.lambdaRollback(stack, { requireApproval: false });
    expect(RunbookLibrary.lambdaRollback(stack)).toBe(gated);
    expect(unattended).not.toBe(gated);
    expect(gated.parameterNames).toContain('Approvers');
    expect(unattended.parameterNames).not.toContain('Approvers');
  });
});

describe('Lambda concurrency', () => {
  test('after approval, sets reserved concurrency', () => {
    const mock = new MockAwsEnvironment()
      .onScript('DescribeConcurrency', { Current: 'unreserved' })
      .onApi('lambda', 'PutFunctionConcurrency', { ReservedConcurrentExecutions: 50 })
      .approveAll();
    const result = simulate(RunbookLibrary.lambdaConcurrency(strictStack()), mock,
      { FunctionName: 'checkout', ReservedConcurrency: 50, Approvers: APPROVERS });
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(mock.callsTo('lambda', 'PutFunctionConcurrency')[0].parameters).toEqual({ FunctionName: 'checkout', ReservedConcurrentExecutions: 50 });
    expect(result.outputs['PutConcurrency.ReservedConcurrency']).toBe(50);
  });

  test('fails when Lambda rejects the value (account concurrency exhausted)', () => {
    const mock = new MockAwsEnvironment()
      .onScript('DescribeConcurrency', { Current: '10' })
      .failApi('lambda', 'PutFunctionConcurrency', 'InvalidParameterValueException', 'would leave the account below its unreserved minimum')
      .approveAll();
    const result = simulate(RunbookLibrary.lambdaConcurrency(strictStack()), mock,
      { FunctionName: 'checkout', ReservedConcurrency: 5000, Approvers: APPROVERS });
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.failureMessage).toMatch(/unreserved minimum/);
  });
});

describe('ECS runbooks', () => {
  const service = { Cluster: 'shop', Service: 'checkout' };
  const rollout = (state: string) => ({ services: [{ desiredCount: 2, runningCount: 2, deployments: [{ id: 'ecs-svc/1', rolloutState: state }] }] });

  test('force new deployment waits until the rollout completes, in virtual time', () => {
    const mock = new MockAwsEnvironment()
      .onApi('ecs', 'UpdateService', { service: { deployments: [{ id: 'ecs-svc/2' }] } })
      .onApi('ecs', 'DescribeServices', rollout('IN_PROGRESS'))
      .onApi('ecs', 'DescribeServices', rollout('IN_PROGRESS'))
      .onApi('ecs', 'DescribeServices', rollout('COMPLETED'))
      .approveAll();
    const result = simulate(RunbookLibrary.ecsForceNewDeployment(strictStack()), mock, { ...service, Approvers: APPROVERS });
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(mock.callsTo('ecs', 'DescribeServices')).toHaveLength(3);
    expect(result.elapsedSeconds).toBeGreaterThanOrEqual(30);
    expect(result.outputs).toEqual({ 'ForceNewDeployment.DeploymentId': 'ecs-svc/2' });
  });

  test('force new deployment times out when the rollout never completes', () => {
    const mock = new MockAwsEnvironment()
      .onApi('ecs', 'UpdateService', { service: { deployments: [{ id: 'ecs-svc/2' }] } })
      .onApi('ecs', 'DescribeServices', rollout('IN_PROGRESS'));
    const result = simulate(RunbookLibrary.ecsForceNewDeployment(strictStack(), { requireApproval: false }), mock, service);
    expect(result.status).toBe(SimulationStatus.TIMED_OUT);
    expect(result.elapsedSeconds).toBeGreaterThanOrEqual(30 * 60);
  });

  test('scale out sets the desired count and waits for the tasks; a denied approval leaves it', () => {
    const scaled = (running: number) => ({ services: [{ desiredCount: 4, runningCount: running, deployments: [] }] });
    const mock = new MockAwsEnvironment()
      .onApi('ecs', 'DescribeServices', { services: [{ desiredCount: 2, runningCount: 2 }] })
      .onApi('ecs', 'UpdateService', {})
      .onApi('ecs', 'DescribeServices', scaled(3))
      .onApi('ecs', 'DescribeServices', scaled(4))
      .approveAll();
    const result = simulate(RunbookLibrary.ecsScaleOut(strictStack()), mock, { ...service, DesiredCount: 4, Approvers: APPROVERS });
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(mock.callsTo('ecs', 'UpdateService')[0].parameters).toEqual({ cluster: 'shop', service: 'checkout', desiredCount: 4 });

    const denied = new MockAwsEnvironment().onApi('ecs', 'DescribeServices', { services: [{ desiredCount: 2 }] }).deny('Approve');
    expect(simulate(RunbookLibrary.ecsScaleOut(strictStack()), denied, { ...service, DesiredCount: 4, Approvers: APPROVERS }).status)
      .toBe(SimulationStatus.FAILED);
    expect(denied.callsTo('ecs', 'UpdateService')).toHaveLength(0);
  });

  test('stopped tasks: records the reasons; a script failure opens no OpsItem', () => {
    const mock = new MockAwsEnvironment()
      .onScript('CollectStoppedTasks', { StoppedCount: 2, Reasons: '2 x EssentialContainerExited: OutOfMemoryError' })
      .onApi('ssm', 'CreateOpsItem', { OpsItemId: 'oi-2' });
    const result = simulate(RunbookLibrary.ecsStoppedTasks(strictStack()), mock, service);
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(mock.callsTo('ssm', 'CreateOpsItem')[0].parameters.Description).toContain('OutOfMemoryError');

    const broken = new MockAwsEnvironment().failScript('CollectStoppedTasks', 'AccessDeniedException');
    expect(simulate(RunbookLibrary.ecsStoppedTasks(strictStack()), broken, service).status).toBe(SimulationStatus.FAILED);
    expect(broken.callsTo('ssm', 'CreateOpsItem')).toHaveLength(0);
  });
});

describe('generic runbooks', () => {
  test('create OpsItem passes the context; an invalid severity is rejected before it runs', () => {
    const mock = new MockAwsEnvironment().onApi('ssm', 'CreateOpsItem', { OpsItemId: 'oi-3' });
    const runbook = RunbookLibrary.createOpsItem(strictStack());
    const result = simulate(runbook, mock, { Title: 'Payments slow', Description: 'p99 doubled', Severity: '2' });
    expect(result.outputs).toEqual({ 'CreateOpsItem.OpsItemId': 'oi-3' });
    expect(mock.calls[0].parameters).toMatchObject({ Title: 'Payments slow', Severity: '2', Source: 'cdk-opex' });
    expect(() => simulate(runbook, mock, { Title: 't', Description: 'd', Severity: '9' })).toThrow(/does not match/);
    const throttled = new MockAwsEnvironment().failApi('ssm', 'CreateOpsItem', 'OpsItemLimitExceededException', 'too many OpsItems');
    const failed = simulate(runbook, throttled, { Title: 't', Description: 'd' });
    expect(failed.status).toBe(SimulationStatus.FAILED);
    expect(failed.failureMessage).toMatch(/too many OpsItems/);
  });

  test('notify publishes to the topic; a publish error fails the runbook', () => {
    const parameters = { TopicArn: 'arn:aws:sns:us-east-1:123456789012:ops', Subject: 's', Message: 'm' };
    const ok = new MockAwsEnvironment().onApi('sns', 'Publish', { MessageId: 'm-1' });
    expect(simulate(RunbookLibrary.notify(strictStack()), ok, parameters).outputs).toEqual({ 'Publish.MessageId': 'm-1' });
    const denied = new MockAwsEnvironment().failApi('sns', 'Publish', 'AuthorizationError', 'not authorized');
    expect(simulate(RunbookLibrary.notify(strictStack()), denied, parameters).status).toBe(SimulationStatus.FAILED);
  });
});

describe('library roles are scoped to the resources they are allowed on', () => {
  test('Lambda runbooks: only the allowed functions (and log groups)', () => {
    const stack = strictStack();
    const fns = [plainFunction(stack, 'A'), plainFunction(stack, 'B')];
    const rollback = RunbookLibrary.lambdaRollback(stack);
    fns.forEach((fn) => RunbookLibrary.allowLambda(rollback, fn));
    const statements = roleStatements(stack, rollback);
    expect(statements).toHaveLength(1);
    expect([...statements[0].Action].sort()).toEqual(['lambda:GetAlias', 'lambda:ListVersionsByFunction', 'lambda:UpdateAlias']);
    expect(statements[0].Resource).toEqual(fns.map((fn) => `<${stack.getLogicalId(fn.node.defaultChild as any)}.Arn>`));
  });

  test('ECS runbooks: the service, its cluster\'s tasks, and ecs:ListTasks on * scoped by the ecs:cluster condition', () => {
    const stack = strictStack();
    const svc = ecsService(stack);
    const stopped = RunbookLibrary.ecsStoppedTasks(stack);
    const force = RunbookLibrary.ecsForceNewDeployment(stack);
    RunbookLibrary.allowEcsService(stopped, svc);
    RunbookLibrary.allowEcsService(force, svc);
    expect(roleStatements(stack, stopped)).toContainEqual(
      { Action: 'ecs:DescribeTasks', Resource: ['arn:<AWS::Partition>:ecs:us-east-1:123456789012:task/shop/*'] });
    expect(roleStatements(stack, force)).toEqual([
      { Action: ['ecs:UpdateService', 'ecs:DescribeServices'], Resource: ['arn:aws:ecs:us-east-1:123456789012:service/shop/checkout'] },
    ]);
    const wildcard = roleStatements(stack, stopped).filter((s) => s.Resource.includes('*'));
    expect(wildcard.flatMap((s) => [s.Action].flat()).sort()).toEqual(['ecs:ListTasks', 'ssm:CreateOpsItem']);
    // ListTasks names no resource for Fargate tasks, but the ecs:cluster condition key scopes it to this service's cluster.
    const listTasks = wildcard.find((s) => s.Action === 'ecs:ListTasks');
    expect(Object.keys(listTasks.Condition)).toEqual(['ArnEquals']);
    expect([listTasks.Condition.ArnEquals['ecs:cluster']].flat().map(flat)).toEqual([flat(Stack.of(svc).resolve(svc.cluster.clusterArn))]);
  });

  test('notify: only the allowed topic, and its key when encrypted', () => {
    const stack = strictStack();
    const notify = RunbookLibrary.notify(stack);
    const topic = new sns.Topic(stack, 'Ops', { enforceSSL: true });
    RunbookLibrary.allowTopic(notify, topic);
    expect(roleStatements(stack, notify)).toEqual([{ Action: 'sns:Publish', Resource: [`<${stack.getLogicalId(topic.node.defaultChild as any)}>`] }]);
  });

  test('a slot the runbook does not have, or a wildcard without a reason, is rejected', () => {
    const stack = strictStack();
    const rollback = RunbookLibrary.lambdaRollback(stack);
    expect(() => rollback.allowOn('service', ['arn:aws:ecs:us-east-1:123456789012:service/a/b']))
      .toThrow(/invalid `slot`: 'service' is not a target slot of this runbook \(it has function\)/);
    expect(() => rollback.allowOn('function', ['arn:aws:lambda:us-east-1:123456789012:function:*']))
      .toThrow(/invalid `arns`: .* has a wildcard: say why/);
  });

  test('every library runbook, allowed on its resources, passes AwsSolutionsChecks', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    for (const runbook of [RunbookLibrary.lambdaDiagnostics(stack), RunbookLibrary.lambdaRollback(stack), RunbookLibrary.lambdaConcurrency(stack)]) {
      RunbookLibrary.allowLambda(runbook, fn);
    }
    const svc = ecsService(stack);
    for (const runbook of [RunbookLibrary.ecsForceNewDeployment(stack), RunbookLibrary.ecsScaleOut(stack), RunbookLibrary.ecsStoppedTasks(stack)]) {
      RunbookLibrary.allowEcsService(runbook, svc);
    }
    RunbookLibrary.createOpsItem(stack);
    // The hub's own encrypted topic: notify gets sns:Publish on it and use of its key.
    RunbookLibrary.allowTopic(RunbookLibrary.notify(stack), OperationsHub.of(stack).alarmTopic);
    Template.fromStack(stack);
    const findings = new AwsSolutionsChecks().validateScope(stack).violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`))
      .filter((f) => !f.includes('/Fn/')); // the test's own function role (AWSLambdaBasicExecutionRole)
    expect(findings).toEqual([]);
  });
});
