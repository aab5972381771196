import { Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { violators } from './helpers';
import { plainFunction, strictStack } from '../support/stacks';

function alarm(stack: Stack, id: string, watched: cloudwatch.IMetric): cloudwatch.Alarm {
  return new cloudwatch.Alarm(stack, id, { metric: watched, threshold: 1, evaluationPeriods: 1 });
}

function metric(namespace: string, dimensionsMap: Record<string, string>): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace, metricName: 'M', dimensionsMap });
}

describe('OPEX-LambdaFunctionAlarmed', () => {
  const RULE = 'OPEX-LambdaFunctionAlarmed';

  test('a function without an alarm is reported', () => {
    const stack = strictStack();
    plainFunction(stack, 'Fn');
    expect(violators(stack, RULE)).toEqual(['Shop/Fn/Resource']);
  });

  test('an alarm on the function\'s metric (top-level dimensions) makes it compliant', () => {
    const stack = strictStack();
    alarm(stack, 'Errors', plainFunction(stack, 'Fn').metricErrors());
    expect(violators(stack, RULE)).toEqual([]);
  });

  test('a metric-math alarm reading the function\'s metrics counts', () => {
    const stack = strictStack();
    const fn = plainFunction(stack, 'Fn');
    alarm(stack, 'Rate', new cloudwatch.MathExpression({
      expression: 'e / i', usingMetrics: { e: fn.metricErrors(), i: fn.metricInvocations() },
    }));
    expect(violators(stack, RULE)).toEqual([]);
  });

  test('a literal function name in the dimension counts; another function\'s alarm does not', () => {
    const stack = strictStack();
    const named = plainFunction(stack, 'Named');
    (named.node.defaultChild as any).functionName = 'orders';
    plainFunction(stack, 'Other');
    alarm(stack, 'ByName', metric('AWS/Lambda', { FunctionName: 'orders' }));
    expect(violators(stack, RULE)).toEqual(['Shop/Other/Resource']);
  });
});

describe('OPEX-EcsServiceAlarmed', () => {
  const RULE = 'OPEX-EcsServiceAlarmed';

  function service(stack: Stack, targetGroup?: elbv2.CfnTargetGroup): ecs.CfnService {
    return new ecs.CfnService(stack, 'Service', {
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      loadBalancers: targetGroup ? [{ targetGroupArn: targetGroup.ref, containerName: 'web', containerPort: 80 }] : undefined,
    });
  }

  test('a service without an alarm is reported', () => {
    const stack = strictStack();
    service(stack);
    expect(violators(stack, RULE)).toEqual(['Shop/Service']);
  });

  test('an alarm with the service\'s ServiceName makes it compliant', () => {
    const stack = strictStack();
    const svc = service(stack);
    alarm(stack, 'Cpu', metric('AWS/ECS', { ClusterName: 'c', ServiceName: svc.attrName }));
    expect(violators(stack, RULE)).toEqual([]);
  });

  test('an alarm on the target group the service uses counts; on another target group it does not', () => {
    const used = strictStack();
    const tg = new elbv2.CfnTargetGroup(used, 'Tg', { port: 80, protocol: 'HTTP', vpcId: 'vpc-0123456789abcdef0' });
    service(used, tg);
    alarm(used, 'Tg5xx', metric('AWS/ApplicationELB', { TargetGroup: tg.attrTargetGroupFullName, LoadBalancer: 'app/lb/1' }));
    expect(violators(used, RULE)).toEqual([]);

    const other = strictStack();
    service(other, new elbv2.CfnTargetGroup(other, 'Tg', { port: 80, protocol: 'HTTP', vpcId: 'vpc-0123456789abcdef0' }));
    const unused = new elbv2.CfnTargetGroup(other, 'Unused', { port: 80, protocol: 'HTTP', vpcId: 'vpc-0123456789abcdef0' });
    alarm(other, 'Tg5xx', metric('AWS/ApplicationELB', { TargetGroup: unused.attrTargetGroupFullName, LoadBalancer: 'app/lb/1' }));
    expect(violators(other, RULE)).toEqual(['Shop/Service']);
  });
});

describe('OPEX-ApiGatewayStageAlarmed', () => {
  const RULE = 'OPEX-ApiGatewayStageAlarmed';

  function restApi(stack: Stack): apigw.RestApi {
    const api = new apigw.RestApi(stack, 'Api', { cloudWatchRole: false });
    api.root.addMethod('GET', new apigw.MockIntegration());
    return api;
  }

  test('a REST API stage without an alarm is reported', () => {
    const stack = strictStack();
    restApi(stack);
    expect(violators(stack, RULE)).toEqual(['Shop/Api/DeploymentStage.prod/Resource']);
  });

  test('an alarm on the stage (ApiName + Stage) or on the whole API (ApiName) makes it compliant', () => {
    const onStage = strictStack();
    alarm(onStage, 'Stage5xx', restApi(onStage).deploymentStage.metricServerError());
    expect(violators(onStage, RULE)).toEqual([]);

    const onApi = strictStack();
    alarm(onApi, 'Api5xx', restApi(onApi).metricServerError());
    expect(violators(onApi, RULE)).toEqual([]);
  });

  test('an alarm on another stage of the API does not count', () => {
    const stack = strictStack();
    restApi(stack);
    alarm(stack, 'Beta5xx', metric('AWS/ApiGateway', { ApiName: 'Api', Stage: 'beta' }));
    expect(violators(stack, RULE)).toEqual(['Shop/Api/DeploymentStage.prod/Resource']);
  });

  test('an HTTP API stage needs an alarm with its ApiId and Stage', () => {
    const httpStage = (stack: Stack): [apigwv2.CfnApi, apigwv2.CfnStage] => {
      const api = new apigwv2.CfnApi(stack, 'Http', { name: 'http', protocolType: 'HTTP' });
      return [api, new apigwv2.CfnStage(stack, 'Live', { apiId: api.ref, stageName: 'live' })];
    };
    const bare = strictStack();
    httpStage(bare);
    expect(violators(bare, RULE)).toEqual(['Shop/Live']);

    const alarmed = strictStack();
    const [api, stage] = httpStage(alarmed);
    alarm(alarmed, 'Http5xx', metric('AWS/ApiGateway', { ApiId: api.ref, Stage: stage.stageName }));
    expect(violators(alarmed, RULE)).toEqual([]);
  });
});

describe('OPEX-SqsQueueAlarmed', () => {
  const RULE = 'OPEX-SqsQueueAlarmed';

  test('a queue without an alarm is reported', () => {
    const stack = strictStack();
    new sqs.Queue(stack, 'Queue');
    expect(violators(stack, RULE)).toEqual(['Shop/Queue/Resource']);
  });

  test('an alarm on the queue\'s metric makes it compliant', () => {
    const stack = strictStack();
    alarm(stack, 'Age', new sqs.Queue(stack, 'Queue').metricApproximateAgeOfOldestMessage());
    expect(violators(stack, RULE)).toEqual([]);
  });
});
