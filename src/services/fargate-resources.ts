import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeInlinePolicies } from '../core/nag';
import { invalidProp } from '../core/validate';
import { allowTrafficShift, ecsLoadBalancerRole } from '../deployments/ecs-deployment';
import { keyForLogs } from '../hub/logs-key';
import { OperationsHub } from '../hub/operations-hub';
import { tracingPolicy } from '../observability/tracing';

/** What a Fargate service is made of, as the user described it. */
export interface FargateResourceOptions {
  readonly listener: elbv2.ApplicationListener;
  readonly cluster?: ecs.ICluster;
  readonly vpc?: ec2.IVpc;
  readonly image?: ecs.ContainerImage;
  readonly containerPort?: number;
  readonly cpu?: number;
  readonly memoryLimitMiB?: number;
  readonly containerHealthCheck?: ecs.HealthCheck;
  readonly containerUser?: string;
  readonly readonlyRootFilesystem?: boolean;
  readonly taskDefinition?: ecs.FargateTaskDefinition;
  readonly healthCheckPath?: string;
  readonly listenerPriority?: number;
  readonly listenerConditions?: elbv2.ListenerCondition[];
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly assignPublicIp?: boolean;
  readonly logRetention?: logs.RetentionDays;
  readonly lifecycleHooks?: ecs.IDeploymentLifecycleHookTarget[];
  readonly tracing?: boolean;
}

/** The X-Ray daemon every traced task runs beside its container. */
export const XRAY_DAEMON = {
  image: 'public.ecr.aws/xray/aws-xray-daemon:3.x',
  memoryMiB: 64,
  cpu: 32,
  port: 2000,
};

/** The resources of a Fargate service behind a listener rule ECS can shift. */
export interface FargateResources {
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  /** Log group of the service's default container. */
  readonly logGroupName: string;
  /** The created log group, when cdk-opex made the task definition. */
  readonly logGroup?: logs.LogGroup;
  /** The group the first deployment serves from. */
  readonly blue: elbv2.ApplicationTargetGroup;
  /** The group ECS starts each new revision in; undefined for a rolling rollout. */
  readonly green?: elbv2.ApplicationTargetGroup;
  readonly rule: elbv2.ApplicationListenerRule;
}

/** The X-Ray daemon beside the app (SDKs send to localhost:2000 by default); the task role may send traces. */
function addXrayDaemon(scope: Construct, taskDefinition: ecs.FargateTaskDefinition, logGroup: logs.ILogGroup): void {
  taskDefinition.addContainer('xray', {
    image: ecs.ContainerImage.fromRegistry(XRAY_DAEMON.image),
    essential: false, // losing traces must not stop the service
    cpu: XRAY_DAEMON.cpu,
    memoryLimitMiB: XRAY_DAEMON.memoryMiB,
    portMappings: [{ containerPort: XRAY_DAEMON.port, protocol: ecs.Protocol.UDP }],
    user: '1337',
    readonlyRootFilesystem: true,
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'xray' }),
  });
  tracingPolicy(OperationsHub.of(scope)).attachToRole(taskDefinition.taskRole);
}

/** A task definition of one container from `image`, logging to a new encrypted log group with retention, with a health check. */
function newTaskDefinition(scope: Construct, o: FargateResourceOptions, port: number, healthPath: string) {
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    retention: o.logRetention ?? logs.RetentionDays.ONE_YEAR,
    encryptionKey: keyForLogs(scope),
  });
  const memoryLimitMiB = o.memoryLimitMiB ?? 512;
  const traced = o.tracing ?? true;
  if (traced && memoryLimitMiB <= XRAY_DAEMON.memoryMiB) {
    invalidProp(scope, 'memoryLimitMiB', `must leave room beside the X-Ray daemon's ${XRAY_DAEMON.memoryMiB} MiB (got ${memoryLimitMiB} MiB); or set tracing: false`);
  }
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', { cpu: o.cpu ?? 256, memoryLimitMiB });
  // Control Tower's ECS controls: a non-root user, a read-only root filesystem (with a writable /tmp) and a memory hard limit.
  taskDefinition.addVolume({ name: 'tmp' });
  const container = taskDefinition.addContainer('app', {
    image: o.image!,
    portMappings: [{ containerPort: port }],
    user: o.containerUser ?? '1000',
    readonlyRootFilesystem: o.readonlyRootFilesystem ?? true,
    memoryLimitMiB: traced ? memoryLimitMiB - XRAY_DAEMON.memoryMiB : memoryLimitMiB,
    logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'app' }),
    healthCheck: o.containerHealthCheck ?? {
      command: ['CMD-SHELL', `curl -fs http://localhost:${port}${healthPath} || exit 1`],
      interval: Duration.seconds(30),
      timeout: Duration.seconds(5),
      retries: 3,
      startPeriod: Duration.seconds(60),
    },
  });
  container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
  if (traced) addXrayDaemon(scope, taskDefinition, logGroup);
  // The execution role CDK makes for the container's logs holds one statement scoped to its log group.
  acknowledgeInlinePolicies(taskDefinition.obtainExecutionRole());
  return { taskDefinition, logGroup, logGroupName: logGroup.logGroupName };
}

/** The user's task definition, whose default container must log to CloudWatch Logs. */
function givenTaskDefinition(scope: Construct, taskDefinition: ecs.FargateTaskDefinition) {
  const container = taskDefinition.defaultContainer;
  const group = container?.logDriverConfig?.options?.['awslogs-group'];
  if (!container || !group) {
    invalidProp(scope, 'taskDefinition', 'its default container must log with LogDrivers.awsLogs, so the diagnostics runbook can read its errors');
  }
  if (container.portMappings.length === 0) invalidProp(scope, 'taskDefinition', 'its default container must map the port to serve');
  return { taskDefinition, logGroupName: group, port: container.containerPort };
}

/**
 * Creates the service, its task definition (from an image), the blue and green target
 * groups and the listener rule ECS shifts between them, with the infrastructure role
 * scoped to this service's rule and groups.
 */
export function createFargateResources(scope: Construct, o: FargateResourceOptions, deployment: Partial<ecs.FargateServiceProps>,
  desiredCount: number, shifts: boolean): FargateResources {
  const cluster = o.cluster ?? new ecs.Cluster(scope, 'Cluster', { vpc: o.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const healthPath = o.healthCheckPath ?? '/';
  const task = o.taskDefinition ? givenTaskDefinition(scope, o.taskDefinition) : newTaskDefinition(scope, o, o.containerPort ?? 80, healthPath);
  const port = 'port' in task ? task.port : o.containerPort ?? 80;
  const service = new ecs.FargateService(scope, 'Service', {
    cluster,
    taskDefinition: task.taskDefinition,
    desiredCount,
    vpcSubnets: o.vpcSubnets,
    assignPublicIp: o.assignPublicIp ?? false,
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    propagateTags: ecs.PropagatedTagSource.SERVICE,
    lifecycleHooks: o.lifecycleHooks,
    ...deployment,
  });
  const groupProps: elbv2.ApplicationTargetGroupProps = {
    vpc: cluster.vpc,
    port,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
    // Drain quickly: ECS waits for deregistration before each shift completes.
    deregistrationDelay: Duration.seconds(30),
    healthCheck: { path: healthPath, interval: Duration.seconds(15), healthyThresholdCount: 2, unhealthyThresholdCount: 2 },
  };
  const blue = new elbv2.ApplicationTargetGroup(scope, 'Blue', groupProps);
  const green = shifts ? new elbv2.ApplicationTargetGroup(scope, 'Green', groupProps) : undefined;
  const rule = new elbv2.ApplicationListenerRule(scope, 'ProductionRule', {
    listener: o.listener,
    priority: o.listenerPriority ?? 1,
    conditions: o.listenerConditions ?? [elbv2.ListenerCondition.pathPatterns(['/*'])],
    action: green ? elbv2.ListenerAction.weightedForward([{ targetGroup: blue, weight: 100 }, { targetGroup: green, weight: 0 }])
      : elbv2.ListenerAction.forward([blue]),
  });
  let alternateTarget: ecs.AlternateTarget | undefined;
  if (green) {
    const role = ecsLoadBalancerRole(OperationsHub.of(scope));
    allowTrafficShift(role, rule, [blue, green]);
    alternateTarget = new ecs.AlternateTarget('Green', {
      alternateTargetGroup: green,
      productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(rule),
      role, // given, so the L2 makes no role with the broad AmazonECSInfrastructureRolePolicyForLoadBalancers
    });
    // The first deployment must find the role's policy in place.
    service.node.addDependency(role.node.findChild('DefaultPolicy'));
  }
  const containerName = task.taskDefinition.defaultContainer!.containerName;
  service.loadBalancerTarget({ containerName, containerPort: port, alternateTarget }).attachToApplicationTargetGroup(blue);
  return { service, taskDefinition: task.taskDefinition, logGroupName: task.logGroupName, logGroup: 'logGroup' in task ? task.logGroup : undefined, blue, green, rule };
}
