/**
 * The services the benchmark builds, one entry per cdk-opex pattern: each builds the user's
 * resources for service `i` and, when `operational`, wraps them in the pattern. Resources a
 * user shares between services (a VPC, a cluster) are built once per stack.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
// The peer is a devDependency the benchmark alone uses.
// eslint-disable-next-line import/no-extraneous-dependencies
import { MonitoringFacade } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import {
  OperationalApi, OperationalFargateService, OperationalFunction, OperationalQueueWorker, OperationsHub, OperationsLog, ServicePlacement,
} from '../src';

/** `plain`: the user's resources only; `opex`: wrapped in the cdk-opex pattern; `peer`: monitored by the peer instead. */
export type Variant = 'plain' | 'opex' | 'peer';

export interface BenchPattern {
  /** Name on the command line (`BENCH_PATTERNS`). */
  readonly name: string;
  /** What one service is, for the table's title. */
  readonly description: string;
  /** What `peer` builds, when the pattern has a peer to compare with. */
  readonly peerName?: string;
  /** Whether `build` has a `peer` variant. */
  readonly peer?: boolean;
  build(stack: Stack, i: number, variant: Variant): void;
}

/** A user's resource shared by all services of a stack, built on first use. */
export function sharedInStack<T extends Construct>(stack: Stack, id: string, create: (scope: Stack, id: string) => T): T {
  return (stack.node.tryFindChild(id) as T | undefined) ?? create(stack, id);
}

/** A plain inline Node.js function, as an app team writes one. */
export function benchFunction(scope: Construct, id: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
}

/**
 * The same function with its version (`currentVersion`, the one cdk-opex's alias rolls out): the user's function, role
 * and version are the user's 3 resources in every variant, so the version is not counted as cdk-opex's.
 */
export function versionedFunction(scope: Construct, id: string): lambda.Function {
  const fn = benchFunction(scope, id);
  return fn.currentVersion && fn;
}

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27');

/** The user's network, shared by every service of the stack: a VPC without NAT, a cluster, a public listener. */
function network(stack: Stack) {
  return sharedInStack(stack, 'Network', (scope, id) => {
    const net = new Construct(scope, id);
    const vpc = new ec2.Vpc(net, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    new ecs.Cluster(net, 'Cluster', { vpc });
    new elbv2.ApplicationLoadBalancer(net, 'Lb', { vpc, internetFacing: true })
      .addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(404) });
    return net;
  });
}
const netParts = (stack: Stack) => {
  const net = network(stack);
  const vpc = net.node.findChild('Vpc') as ec2.Vpc;
  const cluster = net.node.findChild('Cluster') as ecs.Cluster;
  const listener = net.node.findChild('Lb').node.findChild('Http') as elbv2.ApplicationListener;
  return { vpc, cluster, listener };
};

export const PATTERNS: BenchPattern[] = [
  {
    name: 'function',
    description: 'a lambda.Function in an OperationalFunction',
    peer: true,
    peerName: 'cdk-monitoring-constructs 10.2.0: monitorLambdaFunction with fault-rate, p99-latency and throttle alarms and its dashboard',
    build: (stack, i, variant) => {
      const fn = versionedFunction(stack, `Fn${i}`);
      if (variant === 'opex') new OperationalFunction(stack, `Svc${i}`, { lambdaFunction: fn });
      if (variant === 'peer') {
        // The peer's usual set-up for the same three signals cdk-opex alarms on, at the same thresholds.
        sharedInStack(stack, 'Monitoring', (s, id) => new MonitoringFacade(s, id, {
          alarmFactoryDefaults: { actionsEnabled: true, alarmNamePrefix: 'Bench' },
        })).monitorLambdaFunction({
          lambdaFunction: fn,
          alarmFriendlyName: `Fn${i}`,
          addFaultRateAlarm: { Critical: { maxErrorRate: 5 } },
          addLatencyP99Alarm: { Critical: { maxLatency: Duration.millis(2400) } },
          addThrottlesCountAlarm: { Critical: { maxErrorCount: 1 } },
        });
      }
    },
  },
  {
    name: 'function-nested',
    description: 'a lambda.Function in an OperationalFunction, in a stack whose hub puts every service in nested stacks of 25 (ServicePlacement.nestedStacks())',
    build: (stack, i, variant) => {
      const fn = versionedFunction(stack, `Fn${i}`);
      if (variant !== 'opex') return;
      if (i === 0) new OperationsHub(stack, 'CdkOpexOperations', { placement: ServicePlacement.nestedStacks() });
      new OperationalFunction(stack, `Svc${i}`, { lambdaFunction: fn });
    },
  },
  {
    name: 'function-with-log',
    description: 'a lambda.Function in an OperationalFunction, in a stack with the operations log on (OperationsLog.enable)',
    build: (stack, i, variant) => {
      const fn = versionedFunction(stack, `Fn${i}`);
      if (variant !== 'opex') return;
      if (i === 0) OperationsLog.enable(stack, { createAccess: true });
      new OperationalFunction(stack, `Svc${i}`, { lambdaFunction: fn });
    },
  },
  {
    name: 'fargate',
    description: 'an ECS Fargate service behind a shared ALB listener (plain: FargateService + target group; cdk-opex: OperationalFargateService)',
    build: (stack, i, variant) => {
      const { cluster, listener } = netParts(stack);
      const path = { priority: 10 + i, conditions: [elbv2.ListenerCondition.pathPatterns([`/svc${i}/*`])] };
      if (variant === 'opex') {
        new OperationalFargateService(stack, `Svc${i}`, {
          cluster,
          listener,
          image: IMAGE,
          containerPort: 8080,
          assignPublicIp: true,
          vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
          listenerPriority: path.priority,
          listenerConditions: path.conditions,
        });
        return;
      }
      const task = new ecs.FargateTaskDefinition(stack, `Task${i}`);
      task.addContainer('web', { image: IMAGE, portMappings: [{ containerPort: 8080 }] });
      const service = new ecs.FargateService(stack, `Service${i}`, {
        cluster, taskDefinition: task, assignPublicIp: true, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      });
      listener.addTargets(`Web${i}`, { port: 8080, targets: [service], ...path });
    },
  },
  {
    name: 'queue-worker',
    description: 'an SQS queue with its DLQ consumed by a lambda.Function (cdk-opex: OperationalQueueWorker)',
    build: (stack, i, variant) => {
      const fn = versionedFunction(stack, `Fn${i}`);
      if (variant === 'opex') {
        new OperationalQueueWorker(stack, `Svc${i}`, { lambdaFunction: fn });
        return;
      }
      const dlq = new sqs.Queue(stack, `Dlq${i}`, { enforceSSL: true, retentionPeriod: Duration.days(14) });
      const queue = new sqs.Queue(stack, `Queue${i}`, { enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
      fn.addEventSource(new eventSources.SqsEventSource(queue, { reportBatchItemFailures: true }));
    },
  },
  {
    name: 'api',
    description: 'a REST API with one method on a lambda.Function (cdk-opex: OperationalApi over it)',
    build: (stack, i, variant) => {
      const fn = benchFunction(stack, `Fn${i}`);
      const api = new apigateway.RestApi(stack, `Api${i}`, { cloudWatchRole: i === 0 });
      api.root.addMethod('GET', new apigateway.LambdaIntegration(fn));
      if (variant === 'opex') new OperationalApi(stack, `Svc${i}`, { restApi: api });
    },
  },
];
