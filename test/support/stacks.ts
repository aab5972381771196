import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { cfnText, parseDashboardBody } from '../../src/core/cfn-values';

/** An app that fails synth on any CloudFormation schema finding. */
export function strictApp(): App {
  return new App({ context: { '@aws-cdk/core:strictCfnValidateErrors': true } });
}

export function strictStack(id = 'Shop'): Stack {
  return new Stack(strictApp(), id, { env: { account: '123456789012', region: 'us-east-1' } });
}

/** A plain function as an app team would write it; pass `null` for no timeout (Lambda's 3 s). */
export function plainFunction(scope: Construct, id: string, timeout: Duration | null = Duration.seconds(10)): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    timeout: timeout ?? undefined,
  });
}

export function template(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** A sample AWS event from test/fixtures/events, parsed. */
export function fixtureEvent(name: string): any {
  const file = path.join(__dirname, '..', 'fixtures', 'events', name);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Resources of one type in a template, by logical id. */
export function resourcesOf(t: Template, type: string): Record<string, any> {
  return t.findResources(type);
}

/** A CloudFormation value as text: joins joined, references shown as <LogicalId>. */
export const flat = (value: unknown): string => cfnText(value);

/** A dashboard's body, parsed (references read as a placeholder). */
export function dashboardBody(dashboard: any): any {
  return parseDashboardBody(dashboard.Properties.DashboardBody);
}

/** An app team's Fargate service behind a public ALB, in a VPC without NAT gateways. */
export function albFargateService(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'), portMappings: [{ containerPort: 80 }] });
  const service = new ecs.FargateService(stack, 'Service', { cluster, taskDefinition, assignPublicIp: true, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
  const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true });
  const targetGroup = loadBalancer.addListener('Http', { port: 80 }).addTargets('Web', { port: 80, targets: [service] });
  return { service, targetGroup, loadBalancer };
}
