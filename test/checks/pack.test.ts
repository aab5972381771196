import { Stack, Tags, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { opexFindings, ruleIds } from './helpers';
import { OperationalFunction } from '../../src';
import { OperationalExcellenceChecks } from '../../src/checks';
import { plainFunction, strictApp, strictStack } from '../support/stacks';

const ALL_RULES = [
  'AlarmHasAction', 'AlarmHasRunbook', 'ApiGatewayStageAlarmed', 'ApiGatewayStageTracing', 'AutomationHasAssumeRole',
  'DashboardWithinLimits', 'DeploymentGroupRollsBack', 'EcsServiceAlarmed', 'EventBridgeAutomationTargetRole',
  'LambdaFunctionAlarmed', 'LambdaTracing', 'LogGroupRetention', 'OwnershipTags', 'SafeDeployment', 'SqsQueueAlarmed',
].map((r) => `OPEX-${r}`);

const CUSTOM = new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Orders' });

/** A stack that breaks every rule of the pack once. */
function everythingWrong(stack: Stack): void {
  const fn = plainFunction(stack, 'Fn');
  new codedeploy.LambdaDeploymentGroup(stack, 'Group', {
    alias: new lambda.Alias(stack, 'Alias', { aliasName: 'live', version: fn.currentVersion }),
  });
  new ecs.CfnService(stack, 'Service', { taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1' });
  new apigw.RestApi(stack, 'Api', { cloudWatchRole: false }).root.addMethod('GET', new apigw.MockIntegration());
  new sqs.Queue(stack, 'Queue');
  new cloudwatch.Alarm(stack, 'Silent', { metric: CUSTOM, threshold: 1, evaluationPeriods: 1 });
  new cloudwatch.Alarm(stack, 'Paging', { metric: CUSTOM, threshold: 1, evaluationPeriods: 1 })
    .addAlarmAction(new cw_actions.SnsAction(new sns.Topic(stack, 'Topic')));
  new logs.LogGroup(stack, 'Logs', { retention: logs.RetentionDays.INFINITE });
  new ssm.CfnDocument(stack, 'Runbook', { documentType: 'Automation', content: { schemaVersion: '0.3', mainSteps: [] } });
  new events.CfnRule(stack, 'Trigger', {
    eventPattern: { source: ['aws.cloudwatch'] },
    targets: [{ id: 'Runbook', arn: 'arn:aws:ssm:us-east-1:123456789012:automation-definition/Diagnose:$DEFAULT' }],
  });
  new cloudwatch.Dashboard(stack, 'Dashboard', {
    widgets: [Array.from({ length: 501 }, (_, i) => new cloudwatch.TextWidget({ markdown: `${i}` }))],
  });
}

describe('OperationalExcellenceChecks', () => {
  test('is the OperationalExcellence plugin and names its rules OPEX-<Rule>', () => {
    const pack = new OperationalExcellenceChecks();
    expect(pack.name).toBe('OperationalExcellence');
    expect(pack.readPackName).toBe('OPEX');
  });

  test('a stack that breaks every rule reports all of them, each explained with a Well-Architected best practice', () => {
    const stack = strictStack();
    everythingWrong(stack);
    opexFindings(stack); // synth first
    const report = new OperationalExcellenceChecks(undefined, { verbose: true }).validateScope(stack);
    expect([...new Set(report.violations.map((v) => v.ruleName.replace(/\[.*\]$/, '')))].sort()).toEqual(ALL_RULES);
    for (const violation of report.violations) {
      expect(violation.severity).toBe('error');
      expect(violation.description).toMatch(/\bOPS\d\d-BP\d\d\b/);
    }
  });

  test('a bare stack with a lambda.Function, an SQS queue and an alarm without actions reports the corresponding rules', () => {
    const stack = strictStack();
    plainFunction(stack, 'Fn');
    new sqs.Queue(stack, 'Queue');
    new cloudwatch.Alarm(stack, 'Alarm', { metric: CUSTOM, threshold: 1, evaluationPeriods: 1 });
    expect(opexFindings(stack)).toEqual([
      'OPEX-AlarmHasAction Shop/Alarm/Resource',
      'OPEX-LambdaFunctionAlarmed Shop/Fn/Resource',
      'OPEX-LambdaTracing Shop/Fn/Resource',
      'OPEX-OwnershipTags[service] Shop/Alarm/Resource',
      'OPEX-OwnershipTags[service] Shop/Fn/Resource',
      'OPEX-OwnershipTags[service] Shop/Queue/Resource',
      'OPEX-SqsQueueAlarmed Shop/Queue/Resource',
    ]);
  });

  test('a default OperationalFunction has zero findings', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    expect(opexFindings(stack)).toEqual([]);
  });

  test('with requireTeamTag, a default OperationalFunction (no team) reports only the team tag', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
    expect(ruleIds(stack, { requireTeamTag: true })).toEqual(['OPEX-OwnershipTags[team]']);
    expect(opexFindings(stack, { requireTeamTag: true })).toEqual(expect.arrayContaining([
      'OPEX-OwnershipTags[team] Shop/Fn/Resource',
      'OPEX-OwnershipTags[team] Shop/Checkout/HealthAlarm/Resource',
    ]));
  });

  test('with requireTeamTag, an OperationalFunction with a team has zero findings', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), team: 'payments' });
    expect(opexFindings(stack, { requireTeamTag: true })).toEqual([]);
  });

  test('an OperationalFunction with an SLO has zero findings', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), slo: { target: 99.9 } });
    expect(opexFindings(stack)).toEqual([]);
  });

  test('an acknowledged finding is not reported', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    Tags.of(fn).add('service', 'orders');
    Validations.of(fn).acknowledge({ id: 'OPEX-LambdaTracing', reason: 'test: tracing is off on purpose' });
    expect(ruleIds(stack)).toEqual(['OPEX-LambdaFunctionAlarmed']);
  });

  test('validating again sees changes made since: nothing is cached between runs', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    const pack = new OperationalExcellenceChecks();
    const ids = (): string[] => pack.validateScope(stack).violations.map((v) => v.ruleName);
    expect(ids()).toContain('OPEX-LambdaFunctionAlarmed');
    new cloudwatch.Alarm(stack, 'Errors', { metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 });
    expect(ids()).not.toContain('OPEX-LambdaFunctionAlarmed');
  });

  test('as a validation plugin of the app, its findings fail synth', () => {
    const app = strictApp();
    Validations.of(app).addPlugins(new OperationalExcellenceChecks(app));
    plainFunction(new Stack(app, 'Shop', { env: { account: '123456789012', region: 'us-east-1' } }), 'Fn');
    expect(() => app.synth()).toThrow(/OPEX-LambdaFunctionAlarmed/);
  });
});

