import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { Runbook, RunbookStep, SsmAutomationTarget, StepResources } from '../src';
import { flat, strictStack } from './support/stacks';

const fnSlot = StepResources.target('function');

const describeAlias = RunbookStep.executeAwsApi({
  name: 'DescribeAlias',
  service: 'lambda',
  api: 'GetAlias',
  inputs: { FunctionName: '{{ FunctionName }}', Name: 'live' },
  outputs: [{ name: 'Version', selector: '$.FunctionVersion' }],
  resources: StepResources.target('function'),
});

function runbook(stack = strictStack(), overrides: Partial<ConstructorParameters<typeof Runbook>[2]> = {}) {
  const rb = new Runbook(stack, 'Rb', {
    description: 'test runbook',
    parameters: [{ name: 'FunctionName', description: 'the function' }, { name: 'Reason', description: 'why', defaultValue: 'manual' }],
    steps: [describeAlias],
    outputs: ['DescribeAlias.Version'],
    ...overrides,
  });
  if (rb.slots.includes('function')) rb.allowOn('function', ['arn:aws:lambda:us-east-1:123456789012:function:checkout']);
  return rb;
}

describe('Runbook', () => {
  test('renders an Automation document with its parameters, steps and outputs', () => {
    const stack = strictStack();
    runbook(stack);
    const content = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Document'))[0].Properties.Content;
    expect(content).toEqual({
      schemaVersion: '0.3',
      description: 'test runbook',
      assumeRole: '{{ AutomationAssumeRole }}',
      parameters: {
        AutomationAssumeRole: { type: 'String', description: expect.any(String) },
        FunctionName: { type: 'String', description: 'the function' },
        Reason: { type: 'String', description: 'why', default: 'manual' },
      },
      mainSteps: [{
        name: 'DescribeAlias',
        action: 'aws:executeAwsApi',
        inputs: { Service: 'lambda', Api: 'GetAlias', FunctionName: '{{ FunctionName }}', Name: 'live' },
        outputs: [{ Name: 'Version', Selector: '$.FunctionVersion', Type: 'String' }],
      }],
      outputs: ['DescribeAlias.Version'],
    });
  });

  test('a named document is updated in place as a new version', () => {
    const stack = strictStack();
    runbook(stack, { documentName: 'Shop-Diagnostics' });
    Template.fromStack(stack).hasResourceProperties('AWS::SSM::Document', { Name: 'Shop-Diagnostics', UpdateMethod: 'NewVersion' });
  });

  test.each([
    [{ steps: [] }, /invalid `steps`: a runbook needs at least one step/],
    [{ steps: [describeAlias, describeAlias] }, /invalid `steps`: step name 'DescribeAlias' is used twice/],
    [{ steps: [RunbookStep.executeAwsApi({ name: 'A', service: 'lambda', api: 'GetAlias', inputs: { FunctionName: '{{ Missing }}' }, resources: fnSlot })] },
      /invalid `steps`: step 'A' references '\{\{ Missing \}\}', which is no parameter and no output of an earlier step/],
    [{ steps: [RunbookStep.executeAwsApi({ name: 'A', service: 'lambda', api: 'GetAlias', inputs: { X: '{{ Later.Out }}' }, resources: fnSlot }), describeAlias] },
      /step 'A' references '\{\{ Later.Out \}\}'/],
    [{ outputs: ['DescribeAlias.Nope'] }, /invalid `outputs`: 'DescribeAlias.Nope' is not an output of any step/],
    [{ parameters: [{ name: 'FunctionName', description: 'a' }, { name: 'FunctionName', description: 'b' }] }, /invalid `parameters`: parameter 'FunctionName' is declared twice/],
    [{ documentName: 'AWS-Mine' }, /invalid `documentName`: must be 3-128 letters/],
    [{ documentName: 'x'.repeat(129) }, /invalid `documentName`/],
  ])('rejects bad input %#', (overrides, message) => {
    expect(() => runbook(strictStack(), overrides as any)).toThrow(message);
  });

  test('built-in variables and script sources are not taken for references', () => {
    expect(() => runbook(strictStack(), {
      steps: [RunbookStep.executeScript({
        name: 'Script',
        handler: 'h',
        script: 'def h(e, c):\n    return {"x": "{{ not a reference }}"}\n',
        inputs: { Id: '{{ automation:EXECUTION_ID }}', Fn: '{{ FunctionName }}' },
      })],
      outputs: [],
    })).not.toThrow();
  });

  test('step names and outputs are checked where they are made', () => {
    expect(() => RunbookStep.executeAwsApi({ name: 'bad name', service: 's', api: 'Api', resources: fnSlot })).toThrow(/RunbookStep: invalid `name`/);
    expect(() => RunbookStep.executeAwsApi({ name: 'A', service: 's', api: 'Api', resources: fnSlot, outputs: [{ name: 'X', selector: '$.a' }, { name: 'X', selector: '$.b' }] }))
      .toThrow(/invalid `outputs`: output 'X' is declared twice/);
  });
});

describe('SsmAutomationTarget', () => {
  const pattern = { source: ['aws.cloudwatch'] };

  test('passes parameters as lists, fills in the assume role, and uses the runbook\'s start role', () => {
    const stack = strictStack();
    const rb = runbook(stack);
    new events.Rule(stack, 'Rule', {
      eventPattern: pattern,
      targets: [new SsmAutomationTarget(rb, { parameters: { FunctionName: [events.EventField.fromPath('$.detail.fn')] } })],
    });
    const rule = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'))[0] as any;
    const [target] = rule.Properties.Targets;
    expect(flat(target.Arn)).toMatch(/:ssm:us-east-1:123456789012:automation-definition\/<RbDocument[0-9A-F]+>:\$DEFAULT$/);
    expect(target.RoleArn['Fn::GetAtt'][0]).toMatch(/^RbStartRole/);
    expect(target.InputTransformer.InputPathsMap).toEqual({ 'detail-fn': '$.detail.fn' });
    expect(flat(target.InputTransformer.InputTemplate)).toMatch(/^\{"FunctionName":\[<detail-fn>\],"AutomationAssumeRole":\["<RbRole[0-9A-F]+\.Arn>"\]\}$/);
  });

  test.each([
    [{ Unknown: ['x'], FunctionName: ['f'] }, /invalid `parameters`: 'Unknown' is not a parameter of the runbook/],
    [{}, /invalid `parameters`: the runbook requires FunctionName, which the target does not pass/],
    [{ FunctionName: ['f'], AutomationAssumeRole: ['arn'] }, /AutomationAssumeRole is filled in with the runbook's role/],
  ])('rejects parameters that do not fit the document %#', (parameters, message) => {
    const stack = strictStack();
    const rb = runbook(stack);
    expect(() => new events.Rule(stack, 'Rule', { eventPattern: pattern, targets: [new SsmAutomationTarget(rb, { parameters })] }))
      .toThrow(message);
  });
});
