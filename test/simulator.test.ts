import { App, Duration, Stack } from 'aws-cdk-lib';
import { StepResources } from '../src/runbooks/permissions';
import { Runbook } from '../src/runbooks/runbook';
import {
  DEFAULT_MAX_SIMULATED_STEPS, DEFAULT_WAIT_TIMEOUT_SECONDS, IRunbookEnvironment, MockAwsEnvironment, RunbookSimulator,
  SIMULATED_POLL_INTERVAL_SECONDS, SimulationStatus,
} from '../src/runbooks/simulator';
import { BranchChoice, RunbookStep, StepFailureAction, RunbookValueType } from '../src/runbooks/step';

/** A schema 0.3 document with an optional `InstanceId` parameter defaulting to i-default. */
function doc(mainSteps: any[], extra: Record<string, any> = {}): any {
  return {
    schemaVersion: '0.3',
    description: 'test',
    assumeRole: '{{ AutomationAssumeRole }}',
    parameters: {
      AutomationAssumeRole: { type: 'String', description: 'role' },
      InstanceId: { type: 'String', description: 'instance', default: 'i-default' },
    },
    mainSteps,
    ...extra,
  };
}

function api(name: string, inputs: Record<string, any>, more: Record<string, any> = {}): any {
  return { name, action: 'aws:executeAwsApi', inputs: { Service: 'ec2', Api: 'DescribeInstances', ...inputs }, ...more };
}

const simulate = (content: any, env: IRunbookEnvironment, parameters?: Record<string, any>) =>
  RunbookSimulator.fromDocument(content).run({ environment: env, parameters });

describe('parameters', () => {
  const echo = doc([api('Echo', { InstanceIds: ['{{ InstanceId }}'] })]);

  test('defaults apply and given values override them', () => {
    const env = new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', {});
    simulate(echo, env);
    simulate(echo, env, { InstanceId: 'i-given' });
    expect(env.calls.map((c) => c.parameters)).toEqual([{ InstanceIds: ['i-default'] }, { InstanceIds: ['i-given'] }]);
  });

  test('a required parameter without value throws; AutomationAssumeRole gets a fake role', () => {
    const content = doc([api('Echo', { Role: '{{ AutomationAssumeRole }}' })]);
    content.parameters.Needed = { type: 'String', description: 'needed' };
    const env = new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', {});
    expect(() => simulate(content, env)).toThrow(/required parameter 'Needed'/);
    simulate(content, env, { Needed: 'x' });
    expect(env.calls[0].parameters.Role).toBe('arn:aws:iam::123456789012:role/SimulatedAutomationRole');
  });

  test('an unknown parameter, a wrong type or a value outside allowedPattern throws', () => {
    const content = doc([api('Echo', {})]);
    content.parameters.Count = { type: 'Integer', description: 'n', default: '1' };
    content.parameters.InstanceId.allowedPattern = '^i-[a-z0-9]+$';
    const env = new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', {});
    expect(() => simulate(content, env, { Typo: 'x' })).toThrow(/unknown parameter 'Typo'/);
    expect(() => simulate(content, env, { Count: 'many' })).toThrow(/parameter 'Count' must be a Integer/);
    expect(() => simulate(content, env, { InstanceId: 'vol-1' })).toThrow(/does not match/);
    expect(simulate(content, env, { Count: '3' }).status).toBe(SimulationStatus.SUCCESS);
  });
});

describe('references', () => {
  test('a whole reference keeps its type; mixed text interpolates; built-ins are fixed and overridable', () => {
    const content = doc([
      api('Find', {}, { outputs: [{ Name: 'Ids', Selector: '$.Reservations[*].Instances[0].InstanceId', Type: 'StringList' }, { Name: 'Count', Selector: '$.Count', Type: 'Integer' }] }),
      api('Use', {
        Ids: '{{ Find.Ids }}',
        Count: '{{Find.Count}}',
        Text: 'n={{ Find.Count }} ids={{ Find.Ids }} in {{ InstanceId }}',
        Nested: [{ Where: 'arn:{{ global:AWS_PARTITION }}:ec2:{{ global:REGION }}:{{ global:ACCOUNT_ID }}' }],
        Run: '{{ automation:EXECUTION_ID }}/{{ automation:DOCUMENT_NAME }}',
        When: '{{ global:DATE }} {{ global:DATE_TIME }}',
      }),
    ]);
    const env = new MockAwsEnvironment()
      .onApi('ec2', 'DescribeInstances', { Count: '2', Reservations: [{ Instances: [{ InstanceId: 'i-1' }] }, { Instances: [{ InstanceId: 'i-2' }] }] });
    RunbookSimulator.fromDocument(content, 'MyDoc').run({ environment: env, region: 'eu-west-1', executionId: 'exec-1' });
    expect(env.calls[1].parameters).toEqual({
      Ids: ['i-1', 'i-2'],
      Count: 2,
      Text: 'n=2 ids=["i-1","i-2"] in i-default',
      Nested: [{ Where: 'arn:aws:ec2:eu-west-1:123456789012' }],
      Run: 'exec-1/MyDoc',
      When: '2024-01-01 2024-01-01_00.00.00',
    });
  });

  test('a reference to an output with no value fails the step; an unknown name throws', () => {
    const env = new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', {});
    const result = simulate(doc([
      api('Find', {}, { outputs: [{ Name: 'Id', Selector: '$.Missing', Type: 'String' }] }),
      api('Use', { Id: '{{ Find.Id }}' }),
    ]), env);
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.steps[0].outputs).toEqual({});
    expect(result.steps[1].failureMessage).toMatch(/'\{\{ Find.Id \}\}' has no value/);
    expect(() => simulate(doc([api('Use', { Id: '{{ Nope }}' })]), env)).toThrow(/step 'Use'.*'\{\{ Nope \}\}' is no parameter/);
  });
});

describe('aws:executeAwsApi', () => {
  test('selects and types outputs, and reports the document outputs', () => {
    const content = doc([api('Find', {}, {
      outputs: [
        { Name: 'Whole', Selector: '$', Type: 'StringMap' },
        { Name: 'State', Selector: '$.Reservations[0].Instances[0].State.Name', Type: 'String' },
        { Name: 'Code', Selector: '$.Reservations[0].Instances[0].State.Code', Type: 'String' },
        { Name: 'Ebs', Selector: '$.Reservations[0].Instances[0].EbsOptimized', Type: 'Boolean' },
        { Name: 'Tags', Selector: '$.Reservations[0].Instances[0].Tags', Type: 'MapList' },
      ],
    })], { outputs: ['Find.State', 'Find.Ebs'] });
    const response = { Reservations: [{ Instances: [{ State: { Name: 'running', Code: 16 }, EbsOptimized: 'true', Tags: [{ Key: 'a', Value: 'b' }] }] }] };
    const result = simulate(content, new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', response));
    expect(result.steps[0].outputs).toEqual({ Whole: response, State: 'running', Code: '16', Ebs: true, Tags: [{ Key: 'a', Value: 'b' }] });
    expect(result.outputs).toEqual({ 'Find.State': 'running', 'Find.Ebs': true });
  });

  test('a value of the wrong type fails the step', () => {
    const result = simulate(doc([api('Find', {}, { outputs: [{ Name: 'N', Selector: '$.N', Type: 'Integer' }] })]),
      new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', { N: 'lots' }));
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.failureMessage).toMatch(/Step 'Find' failed: Output N: \$\.N is "lots", not a Integer/);
  });

  test('an API error fails the execution with the step message', () => {
    const env = new MockAwsEnvironment().failApi('ec2', 'DescribeInstances', 'UnauthorizedOperation', 'not allowed');
    const result = simulate(doc([api('Find', {}), api('After', {})]), env);
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.stepNames).toEqual(['Find']);
    expect(result.steps[0]).toMatchObject({ status: SimulationStatus.FAILED, failureMessage: 'UnauthorizedOperation: not allowed', attempts: 1 });
    expect(result.failureMessage).toBe("Step 'Find' failed: UnauthorizedOperation: not allowed");
  });

  test('onFailure Continue goes on and the execution succeeds', () => {
    const env = new MockAwsEnvironment().failApi('ec2', 'DescribeInstances', 'Throttling', 'slow down').onApi('ec2', 'DescribeInstances', {});
    const result = simulate(doc([api('Find', {}, { onFailure: 'Continue' }), api('After', {})]), env);
    expect(result.stepNames).toEqual(['Find', 'After']);
    expect(result.steps.map((s) => s.status)).toEqual([SimulationStatus.FAILED, SimulationStatus.SUCCESS]);
    expect(result.status).toBe(SimulationStatus.SUCCESS);
  });

  test('onFailure step:X jumps to X; the critical failure still fails the execution unless isCritical is false', () => {
    const steps = (critical?: boolean) => doc([
      api('Find', {}, { onFailure: 'step:Rollback', ...(critical === undefined ? {} : { isCritical: critical }) }),
      api('Skipped', {}),
      api('Rollback', {}, { isEnd: true }),
      api('AfterEnd', {}),
    ]);
    const env = () => new MockAwsEnvironment().failApi('ec2', 'DescribeInstances', 'Boom', 'x').onApi('ec2', 'DescribeInstances', {});
    const result = simulate(steps(), env());
    expect(result.stepNames).toEqual(['Find', 'Rollback']);
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(simulate(steps(false), env()).status).toBe(SimulationStatus.SUCCESS);
  });

  test('maxAttempts retries a failed call', () => {
    const env = new MockAwsEnvironment()
      .failApi('ec2', 'DescribeInstances', 'Throttling', 'a').failApi('ec2', 'DescribeInstances', 'Throttling', 'b').onApi('ec2', 'DescribeInstances', {});
    const result = simulate(doc([api('Find', {}, { maxAttempts: 3 })]), env);
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(result.steps[0].attempts).toBe(3);
    const tooFew = simulate(doc([api('Find', {}, { maxAttempts: 2 })]),
      new MockAwsEnvironment().failApi('ec2', 'DescribeInstances', 'Throttling', 'a').failApi('ec2', 'DescribeInstances', 'Throttling', 'b'));
    expect(tooFew.steps[0]).toMatchObject({ status: SimulationStatus.FAILED, attempts: 2, failureMessage: 'Throttling: b' });
  });

  test('an API without a mock throws, naming step, service, api and params', () => {
    expect(() => simulate(doc([api('Find', { InstanceIds: ['{{ InstanceId }}'] })]), new MockAwsEnvironment()))
      .toThrow(/step 'Find' \(aws:executeAwsApi\): no mock for AWS API ec2.DescribeInstances called with \{"InstanceIds":\["i-default"\]\}/);
  });
});

describe('waits and asserts', () => {
  const wait = (more: Record<string, any> = {}) => ({
    name: 'WaitRunning',
    action: 'aws:waitForAwsResourceProperty',
    inputs: {
      Service: 'ec2',
      Api: 'DescribeInstances',
      InstanceIds: ['{{ InstanceId }}'],
      PropertySelector: '$.Reservations[0].Instances[0].State.Name',
      DesiredValues: ['running'],
    },
    ...more,
  });
  const state = (name: string) => ({ Reservations: [{ Instances: [{ State: { Name: name } }] }] });

  test('a wait polls until the value is desired, advancing only virtual time', () => {
    const env = new MockAwsEnvironment();
    for (let i = 0; i < 200; i++) env.onApi('ec2', 'DescribeInstances', state('pending'));
    env.onApi('ec2', 'DescribeInstances', state('running'));
    const result = simulate(doc([wait()]), env);
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(env.calls).toHaveLength(201);
    expect(env.calls[0].parameters).toEqual({ InstanceIds: ['i-default'] });
    expect(env.calls.map((c) => c.atSeconds).slice(0, 3)).toEqual([0, 15, 30]);
    // 50 virtual minutes pass in a test that takes milliseconds.
    expect(result.elapsedSeconds).toBe(200 * SIMULATED_POLL_INTERVAL_SECONDS);
  });

  test('a wait that never sees the value times out at timeoutSeconds (3600 by default)', () => {
    const result = simulate(doc([wait()]), new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', state('pending')));
    expect(result.status).toBe(SimulationStatus.TIMED_OUT);
    expect(result.elapsedSeconds).toBe(DEFAULT_WAIT_TIMEOUT_SECONDS);
    expect(result.failureMessage).toMatch(/timed out after 3600 seconds: .* is still "pending"/);
    const env = new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', state('pending'));
    expect(simulate(doc([wait({ timeoutSeconds: 50 })]), env)).toMatchObject({ status: SimulationStatus.TIMED_OUT, elapsedSeconds: 50 });
    expect(env.calls.map((c) => c.atSeconds)).toEqual([0, 15, 30, 45]);
  });

  test('an assert passes on a desired value and fails otherwise', () => {
    const assertStep = { ...wait(), name: 'IsRunning', action: 'aws:assertAwsResourceProperty' };
    expect(simulate(doc([assertStep]), new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', state('running'))).status)
      .toBe(SimulationStatus.SUCCESS);
    const failed = simulate(doc([assertStep]), new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', state('stopped')));
    expect(failed.status).toBe(SimulationStatus.FAILED);
    expect(failed.steps[0].failureMessage).toMatch(/is "stopped", not one of \["running"\]/);
    expect(failed.elapsedSeconds).toBe(0);
  });

  test('a list selection is desired only when every value is', () => {
    const all = { ...wait(), name: 'AllRunning', action: 'aws:assertAwsResourceProperty' };
    all.inputs = { ...all.inputs, PropertySelector: '$.Reservations[*].Instances[0].State.Name' };
    const two = (second: string) => ({ Reservations: [state('running').Reservations[0], state(second).Reservations[0]] });
    expect(simulate(doc([all]), new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', two('running'))).status).toBe(SimulationStatus.SUCCESS);
    expect(simulate(doc([all]), new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', two('stopped'))).steps[0].failureMessage)
      .toMatch(/is \["running","stopped"\], not one of/);
  });
});

describe('aws:branch', () => {
  const branch = (choices: any[], fallback?: string) => doc([
    api('Find', {}, { outputs: [{ Name: 'State', Selector: '$.State', Type: 'String' }, { Name: 'Count', Selector: '$.Count', Type: 'Integer' }] }),
    { name: 'Choose', action: 'aws:branch', inputs: { Choices: choices, ...(fallback ? { Default: fallback } : {}) } },
    api('Start', {}, { isEnd: true }),
    api('Stop', {}, { isEnd: true }),
    api('Other', {}),
  ]);
  const run = (content: any, response = { State: 'Running', Count: 3 }) =>
    simulate(content, new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', response)).stepNames;

  test('takes the first matching choice', () => {
    const content = branch([
      { NextStep: 'Stop', Variable: '{{ Find.State }}', StringEquals: 'stopped' },
      { NextStep: 'Start', Variable: '{{ Find.State }}', EqualsIgnoreCase: 'running' },
    ]);
    expect(run(content)).toEqual(['Find', 'Choose', 'Start']);
    expect(run(content, { State: 'stopped', Count: 0 })).toEqual(['Find', 'Choose', 'Stop']);
  });

  test('combines And, Or and Not, and compares numbers', () => {
    const content = branch([{
      NextStep: 'Stop',
      And: [
        { Variable: '{{ Find.Count }}', NumericGreaterOrEquals: 2 },
        { Not: { Variable: '{{ Find.State }}', StartsWith: 'Stop' } },
        { Or: [{ Variable: '{{ Find.State }}', Contains: 'unn' }, { Variable: '{{ Find.Count }}', NumericEquals: 99 }] },
      ],
    }], 'Other');
    expect(run(content)).toEqual(['Find', 'Choose', 'Stop']);
    expect(run(content, { State: 'Stopping', Count: 3 })).toEqual(['Find', 'Choose', 'Other']);
    expect(run(content, { State: 'Running', Count: 1 })).toEqual(['Find', 'Choose', 'Other']);
  });

  test('without a match or a Default the branch fails', () => {
    const result = simulate(branch([{ NextStep: 'Stop', Variable: '{{ Find.Count }}', NumericLesser: 1 }]),
      new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', { State: 'x', Count: 5 }));
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.failureMessage).toMatch(/Step 'Choose' failed: No choice matched/);
  });
});

describe('sleep, approve and pause', () => {
  test('sleep advances the virtual clock by its Duration or to its Timestamp', () => {
    const content = doc([
      { name: 'Nap', action: 'aws:sleep', inputs: { Duration: 'PT1H30M' } },
      { name: 'Until', action: 'aws:sleep', inputs: { Timestamp: '2024-01-01T02:00:00Z' } },
      { name: 'Short', action: 'aws:sleep', inputs: { Duration: 'PT45S' } },
      api('Stamp', { At: '{{ global:DATE_TIME }}' }),
    ]);
    const env = new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', {});
    const result = simulate(content, env);
    expect(result.steps.map((s) => s.endedAt)).toEqual([5400, 7200, 7245, 7245]);
    expect(env.calls[0]).toMatchObject({ stepName: 'Stamp', atSeconds: 7245, parameters: { At: '2024-01-01_02.00.45' } });
  });

  test('a sleep longer than its timeout times out; a bad Duration fails', () => {
    expect(simulate(doc([{ name: 'Nap', action: 'aws:sleep', timeoutSeconds: 60, inputs: { Duration: 'PT5M' } }]), new MockAwsEnvironment()))
      .toMatchObject({ status: SimulationStatus.TIMED_OUT, elapsedSeconds: 60 });
    expect(simulate(doc([{ name: 'Nap', action: 'aws:sleep', inputs: { Duration: '5 minutes' } }]), new MockAwsEnvironment()).status)
      .toBe(SimulationStatus.FAILED);
  });

  const approval = doc([
    { name: 'Approve', action: 'aws:approve', inputs: { Approvers: ['arn:aws:iam::123456789012:role/Ops'], Message: 'Restart {{ InstanceId }}?', MinRequiredApprovals: 1 } },
    api('Restart', {}),
  ]);

  test('an approved step continues; the test sees the resolved approval inputs', () => {
    const env = new MockAwsEnvironment().approveAll().onApi('ec2', 'DescribeInstances', {});
    const approve = jest.spyOn(env, 'approve');
    const result = simulate(approval, env);
    expect(result.stepNames).toEqual(['Approve', 'Restart']);
    expect(approve).toHaveBeenCalledWith(expect.objectContaining({ Message: 'Restart i-default?' }), { stepName: 'Approve', atSeconds: 0 });
  });

  test('any environment, not only the mock, is told the step and the virtual time of each call', () => {
    const seen: Array<[string, number]> = [];
    const environment: IRunbookEnvironment = {
      callAwsApi: (_service, _api, _parameters, context) => { seen.push([context.stepName, context.atSeconds]); return {}; },
      runScript: () => { throw new Error('no scripts'); },
      approve: () => true,
      resume: () => true,
    };
    const nap = { name: 'Nap', action: 'aws:sleep', inputs: { Duration: 'PT90S' } };
    simulate(doc([api('Before', {}), nap, api('After', {})]), environment);
    expect(seen).toEqual([['Before', 0], ['After', 90]]);
  });

  test('a denied approval fails the execution; an unanswered one throws', () => {
    const result = simulate(approval, new MockAwsEnvironment().approveAll().deny('Approve'));
    expect(result).toMatchObject({ status: SimulationStatus.FAILED, stepNames: ['Approve'] });
    expect(result.failureMessage).toMatch(/Rejected/);
    expect(() => simulate(approval, new MockAwsEnvironment())).toThrow(/step 'Approve'.*not answered/);
  });

  test('a pause resumes or fails as the test answers', () => {
    const paused = doc([{ name: 'Hold', action: 'aws:pause', inputs: {} }, { name: 'Nap', action: 'aws:sleep', inputs: { Duration: 'PT1S' } }]);
    expect(simulate(paused, new MockAwsEnvironment().resumeAll()).stepNames).toEqual(['Hold', 'Nap']);
    expect(simulate(paused, new MockAwsEnvironment().onResume('Hold', false)).status).toBe(SimulationStatus.FAILED);
    expect(() => simulate(paused, new MockAwsEnvironment())).toThrow(/pause step Hold was not answered/);
  });
});

describe('aws:executeScript', () => {
  const script = doc([{
    name: 'Analyse',
    action: 'aws:executeScript',
    inputs: { Runtime: 'python3.11', Handler: 'handler', Script: 'def handler(e, c): return {"n": "{{ not a ref }}"}', InputPayload: { Id: '{{ InstanceId }}' } },
    outputs: [{ Name: 'Verdict', Selector: '$.Payload.verdict', Type: 'String' }],
  }], { outputs: ['Analyse.Verdict'] });

  test('passes the resolved payload and selects outputs under $.Payload; the Script is not templated', () => {
    const env = new MockAwsEnvironment().onScript('Analyse', { verdict: 'healthy' });
    const result = simulate(script, env);
    expect(env.scriptCalls).toEqual([{ stepName: 'Analyse', handler: 'handler', payload: { Id: 'i-default' }, atSeconds: 0 }]);
    expect(result.outputs).toEqual({ 'Analyse.Verdict': 'healthy' });
    expect(result.steps[0].inputs.Script).toContain('{{ not a ref }}');
  });

  test('a failing script fails the step; an unmocked one throws', () => {
    expect(simulate(script, new MockAwsEnvironment().failScript('Analyse', 'ZeroDivisionError')).failureMessage)
      .toBe("Step 'Analyse' failed: ZeroDivisionError");
    expect(() => simulate(script, new MockAwsEnvironment())).toThrow(/no mock for script step Analyse/);
  });
});

describe('flow', () => {
  test('nextStep jumps and isEnd stops after the step', () => {
    const content = doc([
      api('First', {}, { nextStep: 'Third' }),
      api('Second', {}),
      api('Third', {}, { isEnd: true }),
      api('Fourth', {}),
    ]);
    expect(simulate(content, new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', {})).stepNames).toEqual(['First', 'Third']);
  });

  test('an unsupported action and a jump to a missing step throw', () => {
    expect(() => RunbookSimulator.fromDocument(doc([{ name: 'Cmd', action: 'aws:runCommand', inputs: {} }])))
      .toThrow(/step 'Cmd' uses unsupported action 'aws:runCommand'/);
    expect(() => RunbookSimulator.fromDocument(doc([api('A', {}, { nextStep: 'Nowhere' })])))
      .toThrow(/step 'A' goes to step 'Nowhere'/);
    expect(() => RunbookSimulator.fromDocument(doc([api('B', {}, { onFailure: 'step:Gone' })])))
      .toThrow(/step 'B' goes to step 'Gone'/);
  });

  test('a loop throws after maxSteps', () => {
    const loop = doc([api('Again', {}, { nextStep: 'Again' })]);
    const env = new MockAwsEnvironment().onApi('ec2', 'DescribeInstances', {});
    expect(() => simulate(loop, env)).toThrow(/step 'Again' would be step number 101; the runbook loops/);
    expect(env.calls).toHaveLength(DEFAULT_MAX_SIMULATED_STEPS);
    expect(() => RunbookSimulator.fromDocument(loop).run({ environment: env, maxSteps: 3 })).toThrow(/step number 4/);
  });
});

describe('with the Runbook construct', () => {
  const fn = 'arn:aws:lambda:us-east-1:123456789012:function:shop';
  function restartRunbook(): Runbook {
    const stack = new Stack(new App(), 'S');
    return new Runbook(stack, 'Restart', {
      description: 'roll a function alias back when its version is bad',
      parameters: [{ name: 'FunctionName', description: 'the function' }],
      steps: [
        RunbookStep.executeAwsApi({
          name: 'GetAlias',
          service: 'lambda',
          api: 'GetAlias',
          resources: StepResources.arns(fn),
          inputs: { FunctionName: '{{ FunctionName }}', Name: 'live', Account: stack.account },
          outputs: [{ name: 'Version', selector: '$.FunctionVersion' }],
        }),
        RunbookStep.executeScript({
          name: 'Decide',
          handler: 'handler',
          script: 'def handler(e, c): return {}',
          inputs: { Version: '{{ GetAlias.Version }}' },
          outputs: [{ name: 'Rollback', selector: '$.Payload.rollback', valueType: RunbookValueType.BOOLEAN }],
          onFailure: StepFailureAction.CONTINUE,
          timeout: Duration.minutes(1),
        }),
        RunbookStep.branch({ name: 'Choose', choices: [BranchChoice.booleanEquals('{{ Decide.Rollback }}', true, 'Approve')], defaultStep: 'Done' }),
        RunbookStep.approve({ name: 'Approve', approvers: ['arn:aws:iam::123456789012:role/Ops'], message: 'Roll back {{ FunctionName }}?' }),
        RunbookStep.executeAwsApi({
          name: 'Rollback',
          service: 'lambda',
          api: 'UpdateAlias',
          resources: StepResources.arns(fn),
          onFailureStep: 'Done',
          inputs: { FunctionName: '{{ FunctionName }}', Name: 'live', FunctionVersion: '1' },
        }),
        RunbookStep.sleep({ name: 'Settle', duration: Duration.minutes(5) }),
        RunbookStep.waitForAwsResourceProperty({
          name: 'WaitActive',
          service: 'lambda',
          api: 'GetFunction',
          resources: StepResources.arns(fn),
          inputs: { FunctionName: '{{ FunctionName }}' },
          propertySelector: '$.Configuration.State',
          desiredValues: ['Active'],
        }),
        RunbookStep.sleep({ name: 'Done', duration: Duration.seconds(1) }),
      ],
      outputs: ['GetAlias.Version', 'Decide.Rollback'],
    });
  }

  test('a healthy version skips the rollback; tokens are resolved to intrinsics', () => {
    const env = new MockAwsEnvironment().onApi('lambda', 'GetAlias', { FunctionVersion: '7' }).onScript('Decide', { rollback: false });
    const result = RunbookSimulator.fromRunbook(restartRunbook()).run({ environment: env, parameters: { FunctionName: 'shop' } });
    expect(result).toMatchObject({
      status: SimulationStatus.SUCCESS,
      stepNames: ['GetAlias', 'Decide', 'Choose', 'Done'],
      outputs: { 'GetAlias.Version': '7', 'Decide.Rollback': false },
      elapsedSeconds: 1,
    });
    expect(env.calls[0].parameters).toEqual({ FunctionName: 'shop', Name: 'live', Account: { Ref: 'AWS::AccountId' } });
    expect(env.scriptCalls[0].payload).toEqual({ Version: '7' });
  });

  test('a bad version is rolled back after approval and waits for the function', () => {
    const env = new MockAwsEnvironment().approveAll()
      .onApi('lambda', 'GetAlias', { FunctionVersion: '7' }).onScript('Decide', { rollback: true })
      .onApi('lambda', 'UpdateAlias', {})
      .onApi('lambda', 'GetFunction', { Configuration: { State: 'Pending' } }).onApi('lambda', 'GetFunction', { Configuration: { State: 'Active' } });
    const result = RunbookSimulator.fromRunbook(restartRunbook()).run({ environment: env, parameters: { FunctionName: 'shop' } });
    expect(result.stepNames).toEqual(['GetAlias', 'Decide', 'Choose', 'Approve', 'Rollback', 'Settle', 'WaitActive', 'Done']);
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(env.callsTo('lambda', 'GetFunction').map((c) => c.atSeconds)).toEqual([300, 300 + SIMULATED_POLL_INTERVAL_SECONDS]);
  });

  test('a failed rollback goes to its failure step and fails the execution; a missing parameter throws', () => {
    const env = new MockAwsEnvironment().approveAll()
      .onApi('lambda', 'GetAlias', { FunctionVersion: '7' }).onScript('Decide', { rollback: true })
      .failApi('lambda', 'UpdateAlias', 'ResourceConflictException', 'update in progress');
    const result = RunbookSimulator.fromRunbook(restartRunbook()).run({ environment: env, parameters: { FunctionName: 'shop' } });
    expect(result.stepNames).toEqual(['GetAlias', 'Decide', 'Choose', 'Approve', 'Rollback', 'Done']);
    expect(result).toMatchObject({ status: SimulationStatus.FAILED, failureMessage: "Step 'Rollback' failed: ResourceConflictException: update in progress" });
    expect(() => RunbookSimulator.fromRunbook(restartRunbook()).run({ environment: env })).toThrow(/required parameter 'FunctionName'/);
  });
});
