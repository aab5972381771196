import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { OperationalServiceOptions } from './operational-service-options';

/** Properties of an {@link OperationalFargateService}. */
export interface OperationalFargateServiceProps extends OperationalServiceOptions {
  /**
   * The listener users reach the service through. The service gets a rule on it (see
   * `listenerPriority` and `listenerConditions`) that ECS shifts between two target groups;
   * the listener keeps its own default action.
   */
  readonly listener: elbv2.ApplicationListener;
  /**
   * Cluster to run in. Give this or `vpc`.
   * @default - a new cluster in `vpc`, with Container Insights on
   */
  readonly cluster?: ecs.ICluster;
  /**
   * VPC of a new cluster, when no `cluster` is given.
   * @default - none: give `cluster` or `vpc`
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The image to run in a new task definition (one container, logging to a new log group).
   * Give this or `taskDefinition`. Referenced, never pulled at synth.
   * @default - none: give `image` or `taskDefinition`
   */
  readonly image?: ecs.ContainerImage;
  /**
   * Port the container listens on (with `image`), 1-65535.
   * @default 80
   */
  readonly containerPort?: number;
  /**
   * CPU units of a new task definition (with `image`).
   * @default 256
   */
  readonly cpu?: number;
  /**
   * Memory of a new task definition, in MiB (with `image`).
   * @default 512
   */
  readonly memoryLimitMiB?: number;
  /**
   * Container health check of a new task definition (with `image`). The default calls
   * `healthCheckPath` with curl, which the image must have; give one for images without it.
   * @default - `curl -fs http://localhost:<containerPort><healthCheckPath>` every 30 s
   */
  readonly containerHealthCheck?: ecs.HealthCheck;
  /**
   * User the container runs as (with `image`): not root, as Control Tower's ECS controls ask.
   * @default '1000'
   */
  readonly containerUser?: string;
  /**
   * Mount the container's root filesystem read-only (with `image`); `/tmp` stays writable.
   * @default true
   */
  readonly readonlyRootFilesystem?: boolean;
  /**
   * A task definition of your own; its default container must log with `LogDrivers.awsLogs`
   * (the diagnostics runbook reads its errors there) and map the port to serve.
   * @default - one made from `image`
   */
  readonly taskDefinition?: ecs.FargateTaskDefinition;
  /**
   * Tasks to run: a whole number from 0 (only with `RolloutStrategy.rolling()`).
   * Fewer healthy targets than this fire the running-tasks alarm.
   * @default 2
   */
  readonly desiredCount?: number;
  /**
   * Path the load balancer (and the default container health check) checks.
   * @default '/'
   */
  readonly healthCheckPath?: string;
  /**
   * Priority of the service's rule on the listener, 1-50000, unique on the listener.
   * @default 1
   */
  readonly listenerPriority?: number;
  /**
   * Which requests the service's rule sends to it.
   * @default - every path (`/*`)
   */
  readonly listenerConditions?: elbv2.ListenerCondition[];
  /**
   * Subnets of the tasks.
   * @default - the cluster VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Give tasks a public IP (for public subnets without a NAT gateway).
   * @default false
   */
  readonly assignPublicIp?: boolean;
  /**
   * How long the new log group keeps container logs (with `image`).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Run the AWS X-Ray daemon beside the container (with `image`), on UDP port 2000 of the task, and let
   * the task role send traces, so a slow or failing request can be followed across services. It takes
   * 64 MiB of the task's memory (non-root, read-only root filesystem, logging to the service's log group).
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Hooks ECS runs during a deployment, e.g. a test before traffic shifts.
   * @default - none
   */
  readonly lifecycleHooks?: ecs.IDeploymentLifecycleHookTarget[];
  /**
   * Target 5XX responses, in percent of requests to either target group, at which the errors alarm fires (0 < x <= 100).
   * @default 5
   */
  readonly errorRateThreshold?: number;
  /**
   * Requests per alarm period a target group needs before its own error rate counts in full, so the
   * revision being deployed is judged by its own traffic without one failed request of a handful
   * rolling it back: below it, the group's errors count against this many requests. Both groups
   * together are always judged at their real rate, so a quiet service that fails still pages.
   * A whole number of at least 1.
   * @default 50
   */
  readonly canaryMinimumRequests?: number;
  /**
   * The load balancer's own 5XX responses, in percent of its requests, at which the lb-errors alarm fires (0 < x <= 100).
   * @default 5
   */
  readonly loadBalancerErrorRateThreshold?: number;
  /**
   * p99 target response time, in either target group, at which the latency alarm fires (above 0).
   * @default Duration.seconds(1)
   */
  readonly latencyThreshold?: Duration;
  /**
   * Tasks failing the load balancer's health check at which the unhealthy-tasks alarm fires (above 0).
   * @default 1
   */
  readonly unhealthyTaskThreshold?: number;
  /**
   * Average CPU, in percent, at which the cpu alarm fires (0 < x <= 100).
   * @default 90
   */
  readonly cpuThreshold?: number;
  /**
   * Memory of the busiest task, in percent, at which the memory alarm fires (0 < x <= 100).
   * @default 90
   */
  readonly memoryThreshold?: number;
}
