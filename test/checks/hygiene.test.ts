import { Stack, Tags } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { opexFindings, violators } from './helpers';
import { plainFunction, strictStack } from '../support/stacks';

describe('OPEX-OwnershipTags', () => {
  test('an untagged queue is reported for its service tag; an SNS topic is not in scope', () => {
    const stack = strictStack();
    new sqs.Queue(stack, 'Queue');
    new sns.Topic(stack, 'Topic');
    expect(violators(stack, 'OPEX-OwnershipTags[service]')).toEqual(['Shop/Queue/Resource']);
  });

  test('a service tag from Tags.of() or set on the L1 makes it compliant', () => {
    const stack = strictStack();
    Tags.of(new sqs.Queue(stack, 'Tagged')).add('service', 'orders');
    new sqs.CfnQueue(stack, 'L1', { tags: [{ key: 'service', value: 'orders' }] });
    expect(opexFindings(stack).filter((f) => f.startsWith('OPEX-OwnershipTags'))).toEqual([]);
  });

  test('the team tag is required only with requireTeamTag', () => {
    const stack = strictStack();
    Tags.of(new sqs.Queue(stack, 'Queue')).add('service', 'orders');
    expect(violators(stack, 'OPEX-OwnershipTags[team]')).toEqual([]);
    expect(violators(stack, 'OPEX-OwnershipTags[team]', { requireTeamTag: true })).toEqual(['Shop/Queue/Resource']);
  });

  test('a global table is tagged when every replica carries the tag', () => {
    const stack = strictStack();
    const table = (id: string, tags: Array<{ key: string; value: string }>[]): dynamodb.CfnGlobalTable =>
      new dynamodb.CfnGlobalTable(stack, id, {
        attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
        keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
        billingMode: 'PAY_PER_REQUEST',
        replicas: tags.map((t, i) => ({ region: ['us-east-1', 'us-west-2'][i], tags: t })),
      });
    table('Both', [[{ key: 'service', value: 'orders' }], [{ key: 'service', value: 'orders' }]]);
    table('OneOnly', [[{ key: 'service', value: 'orders' }], []]);
    expect(violators(stack, 'OPEX-OwnershipTags[service]')).toEqual(['Shop/OneOnly']);
  });
});

describe('OPEX-LogGroupRetention', () => {
  test('a log group kept forever is reported; one with a retention is not', () => {
    const stack = strictStack();
    new logs.LogGroup(stack, 'Forever', { retention: logs.RetentionDays.INFINITE });
    new logs.LogGroup(stack, 'Month', { retention: logs.RetentionDays.ONE_MONTH });
    expect(violators(stack, 'OPEX-LogGroupRetention')).toEqual(['Shop/Forever/Resource']);
  });
});

describe('OPEX-LambdaTracing and OPEX-ApiGatewayStageTracing', () => {
  test('a function without active tracing is reported; with it, not', () => {
    const stack = strictStack();
    plainFunction(stack, 'Untraced');
    (plainFunction(stack, 'PassThrough').node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: 'PassThrough' };
    (plainFunction(stack, 'Traced').node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: 'Active' };
    expect(violators(stack, 'OPEX-LambdaTracing')).toEqual(['Shop/PassThrough/Resource', 'Shop/Untraced/Resource']);
  });

  test('tracing turned on by a property override counts', () => {
    const stack = strictStack();
    (plainFunction(stack, 'Fn').node.defaultChild as lambda.CfnFunction).addPropertyOverride('TracingConfig.Mode', 'Active');
    expect(violators(stack, 'OPEX-LambdaTracing')).toEqual([]);
  });

  test('a REST API stage without X-Ray tracing is reported; with it, not', () => {
    const api = (stack: Stack, tracingEnabled: boolean): void => {
      new apigw.RestApi(stack, 'Api', { cloudWatchRole: false, deployOptions: { tracingEnabled } }).root
        .addMethod('GET', new apigw.MockIntegration());
    };
    const untraced = strictStack();
    api(untraced, false);
    expect(violators(untraced, 'OPEX-ApiGatewayStageTracing')).toEqual(['Shop/Api/DeploymentStage.prod/Resource']);
    const traced = strictStack();
    api(traced, true);
    expect(violators(traced, 'OPEX-ApiGatewayStageTracing')).toEqual([]);
  });
});

describe('OPEX-AutomationHasAssumeRole', () => {
  const RULE = 'OPEX-AutomationHasAssumeRole';
  const steps = { mainSteps: [{ name: 'wait', action: 'aws:sleep', inputs: { Duration: 'PT1S' } }] };
  const withRole = { schemaVersion: '0.3', assumeRole: '{{ AutomationAssumeRole }}', ...steps };
  const withoutRole = { schemaVersion: '0.3', ...steps };

  function document(stack: Stack, id: string, content: object | string, props: Partial<ssm.CfnDocumentProps> = {}): void {
    const doc = new ssm.CfnDocument(stack, id, { documentType: 'Automation', content: {}, ...props });
    // The L1 takes only objects; a string body (JSON or YAML) reaches the template through an override.
    doc.addPropertyOverride('Content', content);
  }

  test('an Automation document without assumeRole is reported, as an object or a JSON string', () => {
    const stack = strictStack();
    document(stack, 'Object', withoutRole);
    document(stack, 'Json', JSON.stringify(withoutRole));
    expect(violators(stack, RULE)).toEqual(['Shop/Json', 'Shop/Object']);
  });

  test('assumeRole in an object, a JSON string or a YAML string makes it compliant; Command documents are out of scope', () => {
    const stack = strictStack();
    document(stack, 'Object', withRole);
    document(stack, 'Json', JSON.stringify(withRole));
    document(stack, 'Yaml', "schemaVersion: '0.3'\nassumeRole: '{{ AutomationAssumeRole }}'\nmainSteps: []\n", { documentFormat: 'YAML' });
    document(stack, 'Command', { schemaVersion: '2.2', mainSteps: [] }, { documentType: 'Command' });
    expect(violators(stack, RULE)).toEqual([]);
  });
});

describe('OPEX-EventBridgeAutomationTargetRole', () => {
  const RULE = 'OPEX-EventBridgeAutomationTargetRole';

  function rule(stack: Stack, id: string, roleArn?: string): void {
    new events.CfnRule(stack, id, {
      eventPattern: { source: ['aws.cloudwatch'] },
      targets: [{ id: 'Runbook', arn: 'arn:aws:ssm:us-east-1:123456789012:automation-definition/Diagnose:$DEFAULT', roleArn }],
    });
  }

  test('an automation target without a role is reported; with one, not', () => {
    const stack = strictStack();
    rule(stack, 'NoRole');
    rule(stack, 'WithRole', 'arn:aws:iam::123456789012:role/start-diagnose');
    expect(violators(stack, RULE)).toEqual(['Shop/NoRole']);
  });
});

describe('OPEX-DashboardWithinLimits', () => {
  const RULE = 'OPEX-DashboardWithinLimits';

  function dashboard(stack: Stack, id: string, widgets: number): void {
    const d = new cloudwatch.Dashboard(stack, id);
    const alarm = new cloudwatch.Alarm(stack, `${id}Alarm`, {
      metric: new cloudwatch.Metric({ namespace: 'Shop', metricName: 'Orders' }), threshold: 1, evaluationPeriods: 1,
    });
    d.addWidgets(new cloudwatch.AlarmStatusWidget({ alarms: [alarm] })); // a body with references (Fn::Join)
    d.addWidgets(...Array.from({ length: widgets - 1 }, (_, i) => new cloudwatch.TextWidget({ markdown: `# ${i}` })));
  }

  test('a dashboard with 501 widgets is reported; one with 500 is not', () => {
    const stack = strictStack();
    dashboard(stack, 'TooBig', 501);
    dashboard(stack, 'Full', 500);
    expect(violators(stack, RULE)).toEqual(['Shop/TooBig/Resource']);
  });

  test('a body that does not parse is not judged', () => {
    const stack = strictStack();
    new cloudwatch.CfnDashboard(stack, 'Opaque', { dashboardBody: '{"widgets": [' });
    expect(violators(stack, RULE)).toEqual([]);
  });
});
