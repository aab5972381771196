import { Runbook, RunbookLibrary, RunbookStep, StepResources } from '../src';
import { readmeApp } from './readme/snippets.generated';
import { API_ACTIONS, apiStepProblems, serviceModel } from './support/service-models';
import { strictStack } from './support/stacks';

// Every API call a runbook makes, checked against AWS's own service models: an API or
// input name that AWS does not have would fail only when an operator runs the runbook.

type Step = { name: string; action: string; inputs: Record<string, unknown> };

function apiSteps(runbook: Runbook): Step[] {
  const content = (runbook.document.content as { mainSteps: Step[] });
  return content.mainSteps.filter((s) => API_ACTIONS.has(s.action));
}

/** Every runbook RunbookLibrary makes, in each approval variant: new ones are found without editing this list. */
function libraryRunbooks(): Array<[string, Runbook]> {
  const factories = Object.getOwnPropertyNames(RunbookLibrary)
    .filter((n) => typeof (RunbookLibrary as any)[n] === 'function' && !n.startsWith('allow') && n !== 'prototype');
  expect(factories.length).toBeGreaterThanOrEqual(8);
  return factories.flatMap((name) => [{}, { requireApproval: false }].map((options) => {
    const stack = strictStack();
    return [`${name}(${JSON.stringify(options)})`, (RunbookLibrary as any)[name](stack, options) as Runbook] as [string, Runbook];
  }));
}

/** The runbook the README writes, built from the README's own snippets. */
function readmeRunbook(): Runbook {
  return readmeApp().restart;
}

describe('runbook API calls match AWS service models', () => {
  const runbooks: Array<[string, Runbook]> = [...libraryRunbooks(), ['README restart runbook', readmeRunbook()]];

  test.each(runbooks)('%s', (_name, runbook) => {
    const steps = apiSteps(runbook);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.flatMap(apiStepProblems)).toEqual([]);
  });

  test('the checks cover the services the runbooks use', () => {
    const services = new Set(runbooks.flatMap(([, r]) => apiSteps(r).map((s) => s.inputs.Service as string)));
    expect([...services].sort()).toEqual(['cloudwatch', 'ecs', 'lambda', 'logs', 'sns', 'sqs', 'ssm']);
    for (const service of services) expect(serviceModel(service)).toBeDefined();
  });
});

describe('the model check catches mistakes synth cannot', () => {
  const step = (props: Partial<Parameters<typeof RunbookStep.executeAwsApi>[0]>) => RunbookStep.executeAwsApi({
    name: 'Describe',
    service: 'ecs',
    api: 'DescribeServices',
    inputs: { cluster: '{{ Cluster }}', services: ['{{ Service }}'] },
    resources: StepResources.target('service'),
    ...props,
  })._render() as Step;

  test('a well-formed step passes', () => {
    expect(apiStepProblems(step({}))).toEqual([]);
  });

  test('an API name typo: DescribeServicez (synth accepts it: it is PascalCase, and IAM would grant ecs:DescribeServicez)', () => {
    const typo = RunbookStep.executeAwsApi({
      name: 'Describe', service: 'ecs', api: 'DescribeServicez', inputs: { cluster: 'c', services: ['s'] }, resources: StepResources.target('service'),
    });
    expect(typo.permissions[0].actions).toEqual(['ecs:DescribeServicez']);
    expect(apiStepProblems(typo._render() as Step)).toEqual(["step Describe: ecs has no API 'DescribeServicez'"]);
  });

  test('an input with the wrong case, a missing required input, a nested typo, an unknown service', () => {
    expect(apiStepProblems(step({ inputs: { Cluster: 'c', services: ['s'] } })))
      .toEqual(["step Describe: ecs.DescribeServices: unknown input 'Cluster' (it takes cluster, services, include)"]);
    expect(apiStepProblems(step({ inputs: { cluster: 'c' } }))).toEqual(["step Describe: ecs.DescribeServices: required input 'services' is missing"]);
    const nested = step({ service: 'lambda', api: 'UpdateAlias', inputs: { FunctionName: 'f', Name: 'live', RoutingConfig: { AdditionalWeights: {} } } });
    expect(apiStepProblems(nested)).toEqual([expect.stringMatching(/lambda.UpdateAlias.RoutingConfig: unknown input 'AdditionalWeights'/)]);
    expect(apiStepProblems(step({ service: 'ecz' }))).toEqual(["step Describe: AWS has no service 'ecz'"]);
  });
});
