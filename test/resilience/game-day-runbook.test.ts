import { execFileSync } from 'child_process';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as fc from 'fast-check';
import { GameDay, GameDayFault, GameDayProps, GameDayScenario, MockAwsEnvironment, OperationalFunction, RunbookSimulator, SimulationStatus, Triggers } from '../../src';
import { invalidPropError, runs } from '../support/arbitraries';
import { matches as matchesEvent } from '../support/event-pattern';
import { API_ACTIONS, apiStepProblems } from '../support/service-models';
import { fixtureEvent, plainFunction, strictStack } from '../support/stacks';

/** Services for the props cases share one stack (and its hub): nothing here is synthesized, so a case that threw leaves no trace. */
let shared: Stack | undefined;
let cases = 0;

function build(props: Partial<GameDayProps> = {}, scenarios?: GameDayScenario[], own = false) {
  const stack = own ? strictStack() : shared ??= strictStack();
  const n = own ? '' : String(cases++);
  const service = new OperationalFunction(stack, `Checkout${n}`, { lambdaFunction: plainFunction(stack, `Fn${n}`) });
  const day = new GameDay(stack, `GameDay${n}`, {
    service,
    installLambdaExtension: true,
    ...props,
    scenarios: scenarios ?? [{ name: 'errors', fault: GameDayFault.LAMBDA_INVOCATION_ERROR }],
  });
  return { stack, service, day };
}

const { stack, service, day } = build({}, undefined, true);
const content = Stack.of(day).resolve(day.runbook.document.content);
const judgeScript: string = content.mainSteps.find((s: any) => s.name === 'Judge').inputs.Script;
const detection = service.detectionTime.toSeconds();
const START = '2024-01-01T00:00:00Z';
const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000).toISOString();
const parameters = Object.fromEntries(Object.entries(day.experiments[0].runParameters).map(([k, v]) => [k, stack.resolve(v[0])]));
// Literal stand-ins for the deploy-time names.
Object.assign(parameters, { ExperimentTemplateId: 'EXT1', HealthAlarmName: 'Shop-Checkout-health-critical', ResponseDocumentName: 'LambdaDiagnostics' });

/** Runs the runbook's own Python judge on the records, as Automation would. */
function judge(inputs: Record<string, unknown>): any {
  const driver = `${judgeScript}\nimport json, sys\nprint(json.dumps(judge(json.loads(sys.stdin.read()), None)))\n`;
  return JSON.parse(execFileSync('python3', ['-c', driver], { input: JSON.stringify(inputs) }).toString());
}

const alarmItem = (seconds: number, state: string) => ({
  AlarmName: parameters.HealthAlarmName,
  Timestamp: at(seconds),
  HistoryItemType: 'StateUpdate',
  HistoryData: JSON.stringify({ oldState: { stateValue: state === 'ALARM' ? 'OK' : 'ALARM' }, newState: { stateValue: state } }),
});

interface Records { history: any[]; runs: any[]; status?: string; alarmState?: string; startFails?: boolean }

/** The AWS answers of one game day; the judge's answer is the real script's on the same records. */
function environment(records: Records) {
  const env = new MockAwsEnvironment();
  if (records.startFails) env.failApi('fis', 'StartExperiment', 'ServiceQuotaExceededException', 'too many experiments running');
  else env.onApi('fis', 'StartExperiment', { experiment: { id: 'EXP1', startTime: START } });
  env
    .onApi('cloudwatch', 'DescribeAlarms', { CompositeAlarms: [{ StateValue: records.alarmState ?? 'ALARM' }] })
    .onApi('fis', 'GetExperiment', { experiment: { id: 'EXP1', state: { status: records.status ?? 'completed', reason: 'Experiment stopped by stop condition' } } })
    .onApi('cloudwatch', 'DescribeAlarmHistory', { AlarmHistoryItems: records.history })
    .onApi('ssm', 'DescribeAutomationExecutions', { AutomationExecutionMetadataList: records.runs })
    .onApi('ssm', 'CreateOpsItem', { OpsItemId: 'oi-1' })
    .onApi('cloudwatch', 'PutMetricData', {});
  const inputs = { StartTime: START, DetectionSeconds: String(detection), AlarmHistory: records.history, ResponseRuns: records.runs };
  env.onScript('Judge', judge(inputs));
  return { env, inputs };
}

const simulator = RunbookSimulator.fromRunbook(day.runbook);
const simulate = (env: MockAwsEnvironment) => simulator.run({ environment: env, parameters });
const published = (env: MockAwsEnvironment) => env.callsTo('cloudwatch', 'PutMetricData').map((c) => c.parameters.MetricData[0].Value);
const title = (env: MockAwsEnvironment) => env.callsTo('ssm', 'CreateOpsItem')[0].parameters.Title;
const judged = ['StartExperiment', 'WaitForDetection', 'WaitForExperimentEnd', 'ReadExperiment', 'CheckOutcome', 'WaitForResponse',
  'ReadAlarmHistory', 'ReadResponseRuns', 'Judge', 'RecordVerdict', 'PublishVerdict'];
const run = (id: string, seconds: number) => ({ AutomationExecutionId: id, DocumentName: 'LambdaDiagnostics', ExecutionStartTime: at(seconds) });

describe('the game-day runbook, simulated', () => {
  test('pass: ALARM within the detection time, then the response runs: PASSED, metric 0, evidence on the OpsItem', () => {
    const { env, inputs } = environment({ history: [alarmItem(detection - 30, 'ALARM')], runs: [run('old', -600), run('run-1', detection - 20)] });
    const result = simulate(env);
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(result.stepNames).toEqual(judged);
    expect(result.outputs).toMatchObject({
      'Judge.Verdict': 'PASSED', 'Judge.DetectedAfterSeconds': detection - 30, 'RecordVerdict.OpsItemId': 'oi-1', 'StartExperiment.ExperimentId': 'EXP1',
    });
    expect(env.scriptCalls[0].payload).toEqual(inputs);
    expect(published(env)).toEqual([0]);
    expect(title(env)).toBe('Checkout game day errors: PASSED');
    expect(env.callsTo('ssm', 'CreateOpsItem')[0].parameters.Description).toContain('response execution run-1 started');
    expect(env.callsTo('fis', 'StartExperiment')[0].parameters).toEqual({ experimentTemplateId: 'EXT1', clientToken: '00000000-0000-4000-8000-000000000000' });
    expect(env.callsTo('cloudwatch', 'DescribeAlarmHistory')[0].parameters).toMatchObject({ AlarmName: parameters.HealthAlarmName, StartDate: START });
    expect(env.callsTo('ssm', 'DescribeAutomationExecutions')[0].parameters.Filters).toEqual([
      { Key: 'DocumentNamePrefix', Values: ['LambdaDiagnostics'] }, { Key: 'StartTimeAfter', Values: [START] },
    ]);
  });

  test('not detected: the alarm never enters ALARM; the wait times out and the game day fails', () => {
    const { env } = environment({ history: [alarmItem(30, 'OK')], runs: [], alarmState: 'OK' });
    const result = simulate(env);
    expect(result.status).toBe(SimulationStatus.SUCCESS);
    expect(result.steps.find((s) => s.name === 'WaitForDetection')!.status).toBe(SimulationStatus.TIMED_OUT);
    expect(result.outputs['Judge.Verdict']).toBe('NOT_DETECTED');
    expect(published(env)).toEqual([1]);
    expect(title(env)).toBe('Checkout game day errors: NOT_DETECTED');
  });

  test('detected late: ALARM after the promised detection time', () => {
    const { env } = environment({ history: [alarmItem(detection + 120, 'ALARM')], runs: [run('run-1', detection + 130)] });
    const result = simulate(env);
    expect(result.stepNames).toEqual(judged);
    expect(result.outputs['Judge.Verdict']).toBe('DETECTED_LATE');
    expect(result.outputs['Judge.DetectedAfterSeconds']).toBe(detection + 120);
    expect(published(env)).toEqual([1]);
  });

  test('response never started: detected in time, but no execution of the response runbook after the alarm', () => {
    const { env } = environment({ history: [alarmItem(60, 'ALARM')], runs: [run('before', -60)] });
    const result = simulate(env);
    expect(result.outputs['Judge.Verdict']).toBe('RESPONSE_NOT_STARTED');
    expect(published(env)).toEqual([1]);
  });

  test('experiment stopped by its guard: nothing is judged; STOPPED is recorded with FIS\'s reason, metric 1', () => {
    const { env } = environment({ history: [], runs: [], status: 'stopped' });
    const result = simulate(env);
    expect(result.stepNames).toEqual(['StartExperiment', 'WaitForDetection', 'WaitForExperimentEnd', 'ReadExperiment', 'CheckOutcome',
      'RecordStopped', 'PublishStopped']);
    expect(env.scriptCalls).toEqual([]);
    expect(title(env)).toBe('Checkout game day errors: STOPPED');
    expect(env.callsTo('ssm', 'CreateOpsItem')[0].parameters.Description).toContain('Experiment stopped by stop condition');
    expect(published(env)).toEqual([1]);
  });

  test('FIS API error: the start fails; API_ERROR is recorded, metric 1, and the execution fails', () => {
    const { env } = environment({ history: [], runs: [], startFails: true });
    const result = simulate(env);
    expect(result.status).toBe(SimulationStatus.FAILED);
    expect(result.stepNames).toEqual(['StartExperiment', 'RecordApiError', 'PublishApiError']);
    expect(title(env)).toBe('Checkout game day errors: API_ERROR');
    expect(published(env)).toEqual([1]);
  });

  test('a failed experiment (FIS ended it in error) is recorded as API_ERROR, not judged', () => {
    const { env } = environment({ history: [], runs: [], status: 'failed' });
    expect(simulate(env).stepNames.slice(-2)).toEqual(['RecordApiError', 'PublishApiError']);
  });

  test('every API call exists in AWS\'s service models with the inputs given', () => {
    const steps = content.mainSteps.filter((s: any) => API_ACTIONS.has(s.action));
    expect(steps.length).toBeGreaterThanOrEqual(8);
    expect(steps.flatMap(apiStepProblems)).toEqual([]);
  });

  test('the role is derived from the steps: FIS on this service\'s templates, the health alarm, and *-only actions', () => {
    const policy = stack.resolve((day.runbook.role.node.tryFindChild('DefaultPolicy') as any).document.toJSON()).Statement;
    const actions = [...new Set(policy.flatMap((s: any) => [s.Action].flat()))].sort();
    expect(actions).toEqual(['cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms', 'cloudwatch:PutMetricData', 'fis:GetExperiment',
      'fis:StartExperiment', 'ssm:CreateOpsItem', 'ssm:DescribeAutomationExecutions']);
  });
});

describe('FIS experiment state changes', () => {
  const event = fixtureEvent('fis-experiment-state-change.json');
  /** The pattern as a rule renders it for EventBridge (`detail-type`), without a synth. */
  const rendered = (pattern: events.EventPattern) => {
    const s = new Stack();
    return s.resolve((new events.Rule(s, 'Rule', { eventPattern: pattern }).node.defaultChild as events.CfnRule).eventPattern);
  };
  const matches = (pattern: events.EventPattern, e: any) => matchesEvent(rendered(pattern), e);
  test('a game day\'s end matches AWS\'s sample event for its template, and not another template or a running state', () => {
    expect(matches(Triggers.experimentStateChange(['EXTa1b2c3de5f6g7h']), event)).toBe(true);
    expect(matches(Triggers.experimentStateChange(['EXTother']), event)).toBe(false);
    expect(matches(Triggers.experimentStateChange(['EXTa1b2c3de5f6g7h'], ['running']), event)).toBe(false);
    expect(matches(Triggers.experimentStateChange(['EXTa1b2c3de5f6g7h']), fixtureEvent('cloudwatch-alarm-state-change-composite.json'))).toBe(false);
    expect(() => Triggers.experimentStateChange([])).toThrow(invalidPropError('templateIds'));
  });
});

describe('GameDay props', () => {
  const lambdaFault = fc.constantFrom(GameDayFault.LAMBDA_INVOCATION_ERROR, GameDayFault.LAMBDA_INVOCATION_DELAY);
  const valid = fc.record({
    fault: lambdaFault,
    percentage: fc.integer({ min: 1, max: 40 }),
    minutes: fc.integer({ min: 1, max: 720 }),
  });

  test('valid blast radius and duration build, with the percentage and duration in the template', () => {
    fc.assert(fc.property(valid, (c) => {
      const built = build({}, [{ name: 'x', fault: c.fault, percentage: c.percentage, duration: Duration.minutes(c.minutes) }]);
      const action = built.stack.resolve(built.day.experiments[0].template.actions).Inject;
      expect(action.parameters.invocationPercentage).toBe(String(c.percentage));
      expect(action.parameters.duration).toMatch(/^PT\d+[HM]$/);
    }), runs(4));
  });

  const invalid: Array<[string, Partial<GameDayProps>, GameDayScenario[] | undefined]> = [
    ['percentage', {}, [{ name: 'x', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, percentage: 0 }]],
    ['percentage', {}, [{ name: 'x', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, percentage: 101 }]],
    ['percentage', {}, [{ name: 'x', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, percentage: 2.5 }]],
    ['duration', {}, [{ name: 'x', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, duration: Duration.hours(13) }]],
    ['duration', {}, [{ name: 'x', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, duration: Duration.seconds(0) }]],
    ['scenarios', {}, [{ name: 'x', fault: GameDayFault.ECS_STOP_TASKS }]],
    ['scenarios', {}, []],
    ['scenarios', {}, [{ name: 'Bad Name', fault: GameDayFault.LAMBDA_INVOCATION_ERROR }]],
    ['enableSchedule', {}, [{ name: 'x', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, schedule: {} }]],
    ['enableSchedule', { enableSchedule: true }, undefined],
    ['installLambdaExtension', { installLambdaExtension: false }, undefined],
    ['guardThreshold', {}, [{ name: 'x', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, percentage: 30, guardThreshold: 30 }]],
    ['delay', {}, [{ name: 'x', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, delay: Duration.seconds(1) }]],
    ['delay', {}, [{ name: 'x', fault: GameDayFault.LAMBDA_INVOCATION_DELAY, delay: Duration.minutes(16) }]],
  ];
  test.each(invalid.map(([prop, props, scenarios], i) => [`${i}: ${prop}`, prop, props, scenarios] as const))(
    'one invalid field throws at synth naming the prop (%s)', (_label, prop, props, scenarios) => {
      expect(() => build(props, scenarios)).toThrow(invalidPropError(prop));
    });

  test('a guard alarm that is the alarm the fault trips, or the health alarm, throws naming guardAlarm', () => {
    const s = strictStack();
    const svc = new OperationalFunction(s, 'Guarded', { lambdaFunction: plainFunction(s, 'GuardedFn') });
    const errors = svc.alarms.find((a) => a.node.id === 'ErrorsAlarm') as cloudwatch.IAlarm;
    for (const [i, guardAlarm] of [errors, svc.healthAlarm].entries()) {
      expect(() => new GameDay(s, `Day${i}`, { service: svc, installLambdaExtension: true, scenarios: [{ name: 'x', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, guardAlarm }] }))
        .toThrow(invalidPropError('guardAlarm'));
    }
  });
});

describe('the gameDays option of the patterns', () => {
  test('an OperationalFunction with gameDays gets a GameDay under it with one experiment per scenario; without, none', () => {
    const shop = strictStack();
    const scenarios: GameDayScenario[] = [{ name: 'errors', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, percentage: 5 }];
    const svc = new OperationalFunction(shop, 'Checkout', { lambdaFunction: plainFunction(shop, 'Fn'), gameDays: { scenarios, installLambdaExtension: true } });
    expect(svc.gameDay).toBeInstanceOf(GameDay);
    expect(svc.gameDay!.node.path).toBe('Shop/Checkout/GameDay');
    expect(svc.gameDay!.experiments).toHaveLength(1);
    expect(new OperationalFunction(shop, 'Catalog', { lambdaFunction: plainFunction(shop, 'Fn2') }).gameDay).toBeUndefined();
  });

  test('a scenario for a fault the kind does not have fails at synth naming scenarios', () => {
    const shop = strictStack();
    expect(() => new OperationalFunction(shop, 'Checkout', {
      lambdaFunction: plainFunction(shop, 'Fn'),
      gameDays: { scenarios: [{ name: 'stop', fault: GameDayFault.ECS_STOP_TASKS }] },
    })).toThrow(/Shop\/Checkout\/GameDay.*scenarios/);
  });
});
