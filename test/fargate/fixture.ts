import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { OperationalFargateService, OperationalFargateServiceProps } from '../../src';

export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27');

/** A user's VPC, cluster and public listener (tasks in public subnets: no NAT gateway). */
export function network(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const listener = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true })
    .addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(404) });
  return { vpc, cluster, listener };
}

export function fargate(stack: Stack, id: string, props: Partial<OperationalFargateServiceProps> = {}, net = network(stack)) {
  return new OperationalFargateService(stack, id, {
    cluster: net.cluster,
    listener: net.listener,
    image: IMAGE,
    containerPort: 8080,
    assignPublicIp: true,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    ...props,
  });
}
