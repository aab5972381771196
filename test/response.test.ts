import { Template } from 'aws-cdk-lib/assertions';
import { OperationalFunction } from '../src';
import { matches, resolveRefs } from './support/event-pattern';
import { fixtureEvent, flat, plainFunction, strictStack } from './support/stacks';

/** One service, with the logical ids a test needs to read its response wiring. */
function service() {
  const stack = strictStack();
  const fn = plainFunction(stack, 'CheckoutFn');
  const svc = new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn });
  const t = Template.fromStack(stack);
  const id = (c: any) => stack.getLogicalId(c.node.defaultChild ?? c);
  const runbook = svc.runbooks[0];
  return {
    t,
    fnId: id(fn),
    healthId: id(svc.healthAlarm),
    documentId: stack.getLogicalId(runbook.document),
    runbookRoleId: id(runbook.role),
    startRoleId: id(runbook.startRole),
    rule: Object.values(t.findResources('AWS::Events::Rule'))[0] as any,
  };
}

function policyOf(t: Template, roleId: string): any[] {
  const policies = Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId)) as any[];
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

/** The composite-alarm sample event, renamed to the synthesized health alarm. */
function healthEvent(file: string, alarmArn: string, alarmName: string) {
  const event = fixtureEvent(file);
  event.resources = [alarmArn];
  event.detail.alarmName = alarmName;
  return event;
}

describe('the health alarm starts the diagnostics runbook', () => {
  const alarmName = 'Shop-Checkout-health';
  const alarmArn = `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`;

  test('the rule matches the health alarm entering ALARM, and nothing else', () => {
    const { rule, healthId } = service();
    const pattern = resolveRefs(rule.Properties.EventPattern, { [healthId]: alarmArn });
    expect(matches(pattern, healthEvent('cloudwatch-alarm-state-change-composite.json', alarmArn, alarmName))).toBe(true);
    // The same alarm shape (single-metric sample) going to ALARM also matches: the rule keys on the ARN and state.
    expect(matches(pattern, healthEvent('cloudwatch-alarm-state-change-single-metric.json', alarmArn, alarmName))).toBe(true);
    // Recovering, another alarm, or other services' events must not start it.
    expect(matches(pattern, healthEvent('cloudwatch-alarm-state-change-single-metric-ok.json', alarmArn, alarmName))).toBe(false);
    expect(matches(pattern, fixtureEvent('cloudwatch-alarm-state-change-composite.json'))).toBe(false);
    for (const other of ['codedeploy-deployment-state-change-failure.json', 'ecs-task-state-change-stopped.json',
      'health-event.json', 'ssm-automation-execution-status-change.json']) {
      expect(matches(pattern, fixtureEvent(other))).toBe(false);
    }
  });

  test('the target is the runbook\'s automation-definition ARN at $DEFAULT, with a start role', () => {
    const { rule, documentId, startRoleId } = service();
    expect(rule.Properties.Targets).toHaveLength(1);
    const [target] = rule.Properties.Targets;
    expect(flat(target.Arn)).toBe(`arn:<AWS::Partition>:ssm:us-east-1:123456789012:automation-definition/<${documentId}>:$DEFAULT`);
    expect(target.RoleArn).toEqual({ 'Fn::GetAtt': [startRoleId, 'Arn'] });
  });

  test('the input maps the event and the service to the document\'s parameters, each a list of strings', () => {
    const { rule, fnId, runbookRoleId } = service();
    const { InputPathsMap, InputTemplate } = rule.Properties.Targets[0].InputTransformer;
    expect(InputPathsMap).toEqual({ 'detail-alarmName': '$.detail.alarmName' });
    // Fill the template as EventBridge would, then read it as the document's input.
    const filled = flat(InputTemplate).replace('<detail-alarmName>', JSON.stringify(alarmName));
    expect(JSON.parse(filled)).toEqual({
      FunctionName: [`<${fnId}>`],
      AliasName: ['live'],
      LogGroupName: [`/aws/lambda/<${fnId}>`],
      ServiceName: ['Checkout'],
      AlarmName: [alarmName],
      AutomationAssumeRole: [`<${runbookRoleId}.Arn>`],
    });
  });

  test('the start role may start only this document and pass only its role, to SSM', () => {
    const { t, documentId, runbookRoleId, startRoleId } = service();
    const statements = policyOf(t, startRoleId);
    expect(statements).toHaveLength(2);
    expect(statements[0].Action).toBe('ssm:StartAutomationExecution');
    expect(flat(statements[0].Resource)).toBe(`arn:<AWS::Partition>:ssm:us-east-1:123456789012:automation-definition/<${documentId}>:$DEFAULT`);
    expect(statements[1]).toEqual({
      Action: 'iam:PassRole',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [runbookRoleId, 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }] },
    });
  });

  test('the runbook is an Automation document (schema 0.3) that assumes its role parameter', () => {
    const { t, documentId } = service();
    const document = t.toJSON().Resources[documentId];
    expect(document.Properties.DocumentType).toBe('Automation');
    const content = document.Properties.Content;
    expect(content.schemaVersion).toBe('0.3');
    expect(content.assumeRole).toBe('{{ AutomationAssumeRole }}');
    expect(Object.keys(content.parameters)).toEqual(['AutomationAssumeRole', 'FunctionName', 'AliasName', 'LogGroupName', 'ServiceName', 'AlarmName']);
    expect(content.mainSteps.map((s: any) => `${s.name}:${s.action}`)).toEqual([
      'DescribeAlias:aws:executeAwsApi', 'CollectDiagnostics:aws:executeScript', 'RecordOpsItem:aws:executeAwsApi',
    ]);
    expect(content.mainSteps[2].inputs.Api).toBe('CreateOpsItem');
  });

  test('the runbook role reads only the function and its log group; CreateOpsItem is the one * (no resource-level permission)', () => {
    const { t, fnId, runbookRoleId } = service();
    const statements = policyOf(t, runbookRoleId).map((s: any) => ({ ...s, Resource: flat(s.Resource) }));
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'ssm:CreateOpsItem', Resource: '*' },
      { Effect: 'Allow', Action: ['lambda:GetAlias', 'lambda:ListVersionsByFunction', 'lambda:GetFunctionConcurrency'], Resource: `<${fnId}.Arn>` },
      { Effect: 'Allow', Action: 'logs:FilterLogEvents', Resource: `arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:/aws/lambda/<${fnId}>:*` },
    ]);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { Service: 'ssm.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        }],
      },
    });
  });

  test('the deployment role may update only this alias and read only this service\'s alarms', () => {
    const stack = strictStack();
    const svc = new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    const t = Template.fromStack(stack);
    const statements = policyOf(t, stack.getLogicalId((svc.hub.node.findChild('DeploymentRole') as any).node.defaultChild as any));
    const fnId = stack.getLogicalId(svc.alias.lambda.node.defaultChild as any);
    expect(statements[0]).toEqual({
      Effect: 'Allow',
      Action: ['lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:GetProvisionedConcurrencyConfig'],
      Resource: [{ 'Fn::GetAtt': [fnId, 'Arn'] }, { Ref: stack.getLogicalId(svc.alias.node.defaultChild as any) }],
    });
    // Every alarm cdk-opex names in the stack starts with `<stack>-`; only they (and extra rollback alarms) are readable.
    expect(statements[1].Action).toBe('cloudwatch:DescribeAlarms');
    expect(flat(statements[1].Resource)).toBe('arn:<AWS::Partition>:cloudwatch:us-east-1:123456789012:alarm:Shop-*');
    const names = Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties.AlarmName);
    expect(names).toHaveLength(3 + 1); // the service's 3 and the hub's response dead-letter alarm
    expect(names.every((n: string) => n.startsWith('Shop-'))).toBe(true);
    // No AWS managed policy: the L2's default AWSCodeDeployRoleForLambdaLimited would grant every function in the account.
    const managed = Object.entries(t.findResources('AWS::IAM::Role'))
      .filter(([, role]: [string, any]) => role.Properties.ManagedPolicyArns)
      .map(([roleId]) => roleId);
    expect(managed).toEqual([stack.getLogicalId(svc.alias.lambda.role!.node.defaultChild as any)]);
  });
});
