import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as fc from 'fast-check';
import { OperationalFunction, RolloutStrategy, RolloutType, Runbook, RunbookStep, RunbookTrigger, StepResources } from '../../src';
import {
  invalidPropError, invalidRunbook, invalidTrafficShift, runs, RunbookCase, sampler, StepCase, validRunbook, validTrafficShift,
} from '../support/arbitraries';
import { plainFunction, strictStack } from '../support/stacks';

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:checkout';

function buildStep(c: RunbookCase, s: StepCase, first: boolean): RunbookStep {
  const ref = (i: number) => `{{ ${c.parameters[i % c.parameters.length]} }}`;
  const common = {
    name: s.name,
    timeout: s.timeoutSeconds === undefined ? undefined : Duration.seconds(s.timeoutSeconds),
    maxAttempts: s.maxAttempts,
  };
  switch (s.kind) {
    case 'sleep': return RunbookStep.sleep({ ...common, duration: Duration.seconds(s.seconds!) });
    case 'pause': return RunbookStep.pause(common);
    case 'opsItem': return RunbookStep.createOpsItem({ ...common, title: `Check ${ref(s.ref)}`, opsItemDescription: 'from a property test' });
    default: return RunbookStep.executeAwsApi({
      ...common,
      service: c.service ?? 'lambda',
      api: c.api ?? 'GetAlias',
      inputs: { FunctionName: first && c.refName !== undefined ? `{{ ${c.refName} }}` : ref(s.ref), Name: 'live' },
      resources: StepResources.target('function'),
    });
  }
}

function buildRunbook(c: RunbookCase): { stack: Stack; runbook: Runbook } {
  const stack = strictStack();
  const runbook = new Runbook(stack, 'Rb', {
    description: 'property test runbook',
    parameters: c.parameters.map((name) => ({ name, description: `parameter ${name}` })),
    steps: c.steps.map((s, i) => buildStep(c, s, i === 0)),
    documentName: c.documentName,
  });
  if (runbook.slots.includes('function') && c.bindSlot !== false) runbook.allowOn('function', [FUNCTION_ARN]);
  return { stack, runbook };
}

describe('Runbook and RunbookStep: random props', () => {
  const synthSome = sampler(10);

  test('valid props construct; sampled ones synth to the document the props describe', () => {
    fc.assert(fc.property(validRunbook, (c) => {
      const { stack, runbook } = buildRunbook(c);
      expect(runbook.parameterNames).toEqual(['AutomationAssumeRole', ...c.parameters]);
      if (!synthSome()) return;
      const [doc] = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Document')) as any[];
      const steps = doc.Properties.Content.mainSteps;
      expect(steps.map((s: any) => s.name)).toEqual(c.steps.map((s) => s.name));
      c.steps.forEach((s, i) => {
        expect(steps[i].timeoutSeconds).toBe(s.timeoutSeconds);
        if (s.kind === 'sleep') expect(steps[i].inputs.Duration).toBe(`PT${s.seconds}S`);
      });
      if (c.documentName) expect(doc.Properties.Name).toBe(c.documentName);
    }), runs(50));
  });

  test('one invalid field: our error names that prop, at construction or (an unbound slot) at synth', () => {
    fc.assert(fc.property(invalidRunbook, ({ props, prop }) => {
      expect(() => Template.fromStack(buildRunbook(props).stack)).toThrow(invalidPropError(prop));
    }), runs(60));
  });
});

describe('RolloutStrategy: random props', () => {
  const synthSome = sampler(25);

  test('valid canary and linear shapes keep their numbers; sampled ones reach the deployment group', () => {
    fc.assert(fc.property(validTrafficShift, fc.boolean(), (options, canary) => {
      const rollout = canary ? RolloutStrategy.canary(options) : RolloutStrategy.linear(options);
      expect(rollout).toMatchObject({
        rolloutType: canary ? RolloutType.CANARY : RolloutType.LINEAR,
        percentage: options.percentage,
      });
      expect(rollout.interval.toMinutes()).toBe(options.interval.toMinutes());
      if (!synthSome()) return;
      const stack = strictStack();
      new OperationalFunction(stack, 'Svc', { lambdaFunction: plainFunction(stack, 'Fn'), rollout });
      const t = Template.fromStack(stack);
      const configs = Object.values(t.findResources('AWS::CodeDeploy::DeploymentConfig')) as any[];
      if (rollout._predefinedLambdaConfig()) {
        expect(configs).toHaveLength(0);
      } else {
        const routing = configs[0].Properties.TrafficRoutingConfig;
        expect(routing).toEqual(canary
          ? { Type: 'TimeBasedCanary', TimeBasedCanary: { CanaryPercentage: options.percentage, CanaryInterval: options.interval.toMinutes() } }
          : { Type: 'TimeBasedLinear', TimeBasedLinear: { LinearPercentage: options.percentage, LinearInterval: options.interval.toMinutes() } });
      }
    }), runs(60));
  });

  test('one invalid field: our error names that prop', () => {
    fc.assert(fc.property(invalidTrafficShift, fc.boolean(), ({ props, prop }, canary) => {
      expect(() => (canary ? RolloutStrategy.canary(props) : RolloutStrategy.linear(props)))
        .toThrow(new RegExp(`^RolloutStrategy.${canary ? 'canary' : 'linear'}: invalid \`${prop}\`: `));
    }), runs(60));
  });
});

describe('RunbookTrigger: random props', () => {
  const cases = fc.record({
    event: fc.boolean(),
    schedule: fc.boolean(),
    parameter: fc.constantFrom('FunctionName', 'Unknown', 'AutomationAssumeRole', undefined),
  });

  test('exactly one of eventPattern and schedule, and only the runbook\'s own parameters', () => {
    fc.assert(fc.property(cases, ({ event, schedule, parameter }) => {
      const stack = strictStack();
      const runbook = buildRunbook({ parameters: ['FunctionName'], steps: [{ kind: 'getAlias', name: 'Lookup', ref: 0 }] }).runbook;
      const make = () => new RunbookTrigger(stack, 'Trigger', {
        runbook,
        eventPattern: event ? { source: ['aws.cloudwatch'] } : undefined,
        schedule: schedule ? events.Schedule.rate(Duration.hours(1)) : undefined,
        parameters: parameter === undefined ? undefined : { [parameter]: ['x'] },
      });
      if (event === schedule) {
        expect(make).toThrow(invalidPropError('eventPattern'));
      } else if (parameter !== 'FunctionName') {
        expect(make).toThrow(invalidPropError('parameters'));
      } else {
        expect(make().rule).toBeDefined();
      }
    }), runs(40));
  });
});
