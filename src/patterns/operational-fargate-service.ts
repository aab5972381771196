import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { OperationalFargateServiceProps } from './operational-fargate-service-props';
import { OperationalService } from './operational-service';
import { GameDay } from '../resilience/game-day';
import { addGameDays } from '../resilience/pattern-game-days';
import { FargateServiceKind } from '../services/fargate-kind';

/**
 * An ECS Fargate service behind an Application Load Balancer listener, operable from
 * day one: golden-signal alarms on both target groups of its blue/green pair and a
 * composite health alarm, ECS's own canary deployment rolled back by those alarms and
 * the circuit breaker, a dashboard section, and a diagnostics runbook started when the
 * service turns unhealthy, a deployment fails or a task stops unexpectedly.
 */
export class OperationalFargateService extends OperationalService {
  /**
   * The service's game days, when `gameDays` is set.
   * @default - none
   */
  public readonly gameDay?: GameDay;
  /** The ECS service. */
  public readonly service: ecs.FargateService;
  /** Its task definition (the one given, or the one made from `image`). */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The load balancer of the listener. */
  public readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The listener the service's rule is on. */
  public readonly listener: elbv2.ApplicationListener;
  /** The listener rule ECS shifts between the target groups. */
  public readonly listenerRule: elbv2.ApplicationListenerRule;
  /** The blue target group, then (unless the rollout is rolling) the green one: ECS swaps them on each deployment. */
  public readonly targetGroups: elbv2.ApplicationTargetGroup[];
  /** Alarms on the signals users feel (the same as `alarms`). */
  public readonly signalAlarms: cloudwatch.Alarm[];
  /**
   * The log group of the container, when made from `image`.
   * @default - none: the task definition was given
   */
  public readonly logGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OperationalFargateServiceProps) {
    const kind = new FargateServiceKind(props);
    super(scope, id, { ...props, kind });
    const r = kind.resources;
    this.service = r.service;
    this.taskDefinition = r.taskDefinition;
    this.listener = props.listener;
    this.loadBalancer = props.listener.loadBalancer;
    this.listenerRule = r.rule;
    this.targetGroups = r.green ? [r.blue, r.green] : [r.blue];
    this.logGroup = r.logGroup;
    this.signalAlarms = this.alarms;
    this.gameDay = addGameDays(this, props.gameDays);
  }
}
