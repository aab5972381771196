import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AwsOwnedRunbook, BranchChoice, Runbook, RunbookStep, RunbookTrigger, StepFailureAction, StepResources,
} from '../src';
import { flat, strictStack } from './support/stacks';

const fnSlot = StepResources.target('function');

function content(runbook: Runbook): any {
  return runbook.document.content;
}

describe('typed steps render the Automation actions', () => {
  test('wait, assert, approve, sleep, pause, branch and createOpsItem', () => {
    const stack = strictStack();
    const topic = new sns.Topic(stack, 'Approvals', { enforceSSL: true });
    const runbook = new Runbook(stack, 'Rb', {
      description: 'all step kinds',
      parameters: [{ name: 'Fn', description: 'function' }],
      steps: [
        RunbookStep.branch({
          name: 'Choose',
          choices: [BranchChoice.stringEquals('{{ Fn }}', 'skip', 'Done'), BranchChoice.numericGreater('{{ Fn }}', 3, 'Wait')],
          defaultStep: 'Approve',
        }),
        RunbookStep.approve({ name: 'Approve', approvers: ['arn:aws:iam::123456789012:role/OnCall'], message: 'go?', notificationTopic: topic }),
        RunbookStep.waitForAwsResourceProperty({
          name: 'Wait',
          service: 'lambda',
          api: 'GetFunction',
          inputs: { FunctionName: '{{ Fn }}' },
          propertySelector: '$.Configuration.State',
          desiredValues: ['Active'],
          resources: fnSlot,
          timeout: Duration.minutes(5),
        }),
        RunbookStep.assertAwsResourceProperty({
          name: 'Check',
          service: 'lambda',
          api: 'GetFunction',
          inputs: { FunctionName: '{{ Fn }}' },
          propertySelector: '$.Configuration.LastUpdateStatus',
          desiredValues: ['Successful'],
          resources: fnSlot,
          onFailure: StepFailureAction.CONTINUE,
          maxAttempts: 3,
        }),
        RunbookStep.sleep({ name: 'Settle', duration: Duration.minutes(2) }),
        RunbookStep.pause({ name: 'Hold', onFailureStep: 'Done' }),
        RunbookStep.createOpsItem({ name: 'Done', title: 'done {{ Fn }}', opsItemDescription: 'all good', dedupString: 'x', isEnd: true }),
      ],
    });
    const steps = content(runbook).mainSteps;
    expect(steps.map((s: any) => s.action)).toEqual([
      'aws:branch', 'aws:approve', 'aws:waitForAwsResourceProperty', 'aws:assertAwsResourceProperty', 'aws:sleep', 'aws:pause', 'aws:executeAwsApi',
    ]);
    expect(steps[0].inputs).toEqual({
      Choices: [{ NextStep: 'Done', Variable: '{{ Fn }}', StringEquals: 'skip' }, { NextStep: 'Wait', Variable: '{{ Fn }}', NumericGreater: 3 }],
      Default: 'Approve',
    });
    expect(steps[1].inputs).toMatchObject({ Approvers: ['arn:aws:iam::123456789012:role/OnCall'], Message: 'go?', MinRequiredApprovals: 1 });
    expect(steps[2]).toMatchObject({ timeoutSeconds: 300, inputs: { PropertySelector: '$.Configuration.State', DesiredValues: ['Active'] } });
    expect(steps[3]).toMatchObject({ onFailure: 'Continue', maxAttempts: 3 });
    expect(steps[4].inputs).toEqual({ Duration: 'PT120S' });
    expect(steps[5]).toMatchObject({ onFailure: 'step:Done' });
    expect(steps[6]).toMatchObject({ isEnd: true, inputs: { Api: 'CreateOpsItem', Title: 'done {{ Fn }}', Source: 'cdk-opex' } });
    expect(steps[6].outputs).toEqual([{ Name: 'OpsItemId', Selector: '$.OpsItemId', Type: 'String' }]);

    // The role: the approval topic now, the function slot later, and only CreateOpsItem on '*'.
    expect(runbook.slots).toEqual(['function']);
    runbook.allowOn('function', ['arn:aws:lambda:us-east-1:123456789012:function:checkout']);
    const roleId = stack.getLogicalId(runbook.role.node.defaultChild as any);
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .find((p: any) => p.Properties.Roles[0].Ref === roleId) as any;
    expect(policy.Properties.PolicyDocument.Statement.map((st: any) => [st.Action, flat(st.Resource)])).toEqual([
      ['sns:Publish', `<${stack.getLogicalId(topic.node.defaultChild as any)}>`],
      ['ssm:CreateOpsItem', '*'],
      ['lambda:GetFunction', 'arn:aws:lambda:us-east-1:123456789012:function:checkout'],
    ]);
  });

  test('an approvers parameter is passed as one reference', () => {
    const step = RunbookStep.approve({ name: 'A', approvers: ['{{ Approvers }}'], message: 'm', minRequiredApprovals: 2 });
    expect(step._render().inputs).toEqual({ Approvers: '{{ Approvers }}', Message: 'm', MinRequiredApprovals: 2 });
  });

  test.each([
    [() => RunbookStep.executeAwsApi({ name: 'A', service: 'lambda', api: 'UpdateAlias' }),
      /RunbookStep A: invalid `resources`: declare the resources lambda:UpdateAlias acts on/],
    [() => RunbookStep.executeAwsApi({ name: 'A', service: 'lambda', api: 'UpdateAlias', resources: StepResources.any() }),
      /invalid `resources`: lambda:UpdateAlias can be scoped to resources/],
    [() => RunbookStep.executeScript({ name: 'S', handler: 'h', script: '', permissions: [{ actions: ['s3:GetObject'], resources: StepResources.any() }] }),
      /RunbookStep S: invalid `resources`: s3:GetObject can be scoped/],
    [() => RunbookStep.approve({ name: 'A', approvers: [], message: 'm' }), /invalid `approvers`: name at least one approver/],
    [() => RunbookStep.approve({ name: 'A', approvers: ['x'], message: 'm', minRequiredApprovals: 0 }), /invalid `minRequiredApprovals`/],
    [() => RunbookStep.sleep({ name: 'S', duration: Duration.days(8) }), /invalid `duration`: must be a whole number of seconds from 1 to 604800 \(got 8 d\)/],
    [() => RunbookStep.branch({ name: 'B', choices: [] }), /invalid `choices`: a branch needs at least one choice/],
    [() => RunbookStep.waitForAwsResourceProperty({ name: 'W', service: 'ecs', api: 'DescribeServices', propertySelector: '$.a', desiredValues: [], resources: fnSlot }),
      /invalid `desiredValues`/],
    [() => StepResources.arns(), /invalid `arns`: give at least one ARN/],
    [() => RunbookStep.pause({ name: 'P', maxAttempts: 11 }), /invalid `maxAttempts`/],
  ])('bad step input is rejected %#', (make, message) => {
    expect(make).toThrow(message);
  });

  test('a jump to a step that does not exist is rejected at synth', () => {
    const stack = strictStack();
    const make = (step: RunbookStep) => () => new Runbook(stack, `Rb${step.name}`, { description: 'd', steps: [step] });
    expect(make(RunbookStep.branch({ name: 'B', choices: [BranchChoice.booleanEquals('{{ automation:EXECUTION_ID }}', true, 'Nowhere')] })))
      .toThrow(/invalid `steps`: step 'B' goes to 'Nowhere', which is no step of this runbook/);
    expect(make(RunbookStep.pause({ name: 'P', nextStep: 'Gone' }))).toThrow(/step 'P' goes to 'Gone'/);
    expect(make(RunbookStep.sleep({ name: 'S', duration: Duration.seconds(5), onFailureStep: 'Lost' }))).toThrow(/step 'S' goes to 'Lost'/);
  });
});

describe('AwsOwnedRunbook', () => {
  test('targets the AWS document with an empty account and the role you give', () => {
    const stack = strictStack();
    const role = new iam.Role(stack, 'RestartRole', { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com') });
    const restart = new AwsOwnedRunbook(stack, 'Restart', {
      documentName: 'AWS-RestartEC2Instance', parameterNames: ['InstanceId'], requiredParameterNames: ['InstanceId'], role,
    });
    new RunbookTrigger(stack, 'OnHealth', {
      runbook: restart,
      eventPattern: { source: ['aws.health'] },
      parameters: { InstanceId: [events.EventField.fromPath('$.detail.affectedEntities[0].entityValue')] },
    });
    const t = Template.fromStack(stack);
    const rule = Object.values(t.findResources('AWS::Events::Rule'))[0] as any;
    expect(flat(rule.Properties.Targets[0].Arn)).toBe('arn:<AWS::Partition>:ssm:us-east-1::automation-definition/AWS-RestartEC2Instance:$DEFAULT');
    expect(flat(rule.Properties.Targets[0].InputTransformer.InputTemplate)).toContain(`"AutomationAssumeRole":["<${stack.getLogicalId(role.node.defaultChild as any)}.Arn>"]`);
    expect(() => new AwsOwnedRunbook(stack, 'Mine', { documentName: 'MyDoc', parameterNames: [], role }))
      .toThrow(/invalid `documentName`: must be the name of an AWS-owned document/);
    expect(() => new AwsOwnedRunbook(stack, 'Typo', { documentName: 'AWS-X', parameterNames: ['A'], requiredParameterNames: ['B'], role }))
      .toThrow(/invalid `requiredParameterNames`: B not in parameterNames/);
  });
});

describe('RunbookTrigger', () => {
  const runbook = (stack: any) => new Runbook(stack, 'Weekly', {
    description: 'weekly check',
    steps: [RunbookStep.createOpsItem({ name: 'Note', title: 'weekly', opsItemDescription: 'review' })],
  });

  test('starts a runbook on a schedule', () => {
    const stack = strictStack();
    new RunbookTrigger(stack, 'Every', { runbook: runbook(stack), schedule: events.Schedule.cron({ weekDay: 'MON', hour: '9', minute: '0' }) });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 9 ? * MON *)' });
  });

  test('needs exactly one of a pattern and a schedule', () => {
    const stack = strictStack();
    const rb = runbook(stack);
    expect(() => new RunbookTrigger(stack, 'None', { runbook: rb })).toThrow(/None: invalid `eventPattern`: give exactly one of eventPattern and schedule/);
    expect(() => new RunbookTrigger(stack, 'Both', { runbook: rb, eventPattern: { source: ['x'] }, schedule: events.Schedule.rate(Duration.hours(1)) }))
      .toThrow(/give exactly one/);
  });
});
