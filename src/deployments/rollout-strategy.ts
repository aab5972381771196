import { Duration } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { Limits } from '../core/limits';
import { invalidProp, integerInRange, wholeDuration } from '../core/validate';

/** How traffic moves to a new version. */
export enum RolloutType {
  /** A share of traffic first, the rest after an interval. */
  CANARY = 'CANARY',
  /** Equal shares every interval until all traffic has moved. */
  LINEAR = 'LINEAR',
  /** All traffic at once; the alarms can still roll it back. */
  ALL_AT_ONCE = 'ALL_AT_ONCE',
  /** ECS only: new tasks beside the old, all traffic moved at once, the old kept for a bake time to roll back to. */
  BLUE_GREEN = 'BLUE_GREEN',
  /** ECS only: tasks replaced a few at a time, no traffic shifting (the opt-out); the circuit breaker and alarms still roll back. */
  ROLLING = 'ROLLING',
}

/** Options of a canary or linear rollout. */
export interface TrafficShiftOptions {
  /** Percentage of traffic moved in each step, 1 to 99. */
  readonly percentage: number;
  /** Time between steps, in whole minutes from 1 to 2880 (2 days); ECS takes at most 1440 (1 day). */
  readonly interval: Duration;
  /**
   * ECS only: how long the previous revision keeps running after all traffic has moved, so
   * an alarm can still roll back at once; whole minutes from 0 to 1440. A Lambda rollout rejects it.
   * @default - Duration.minutes(5) on ECS
   */
  readonly bakeTime?: Duration;
}

/** Options of a blue/green rollout (ECS). */
export interface BlueGreenOptions {
  /**
   * How long the previous revision keeps running after all traffic has moved, so an
   * alarm can still roll back at once; whole minutes from 0 to 1440.
   * @default Duration.minutes(5)
   */
  readonly bakeTime?: Duration;
}

/** Minutes ECS keeps the previous revision after a shift when no bake time is given: longer than the 3-minute detection. */
const DEFAULT_BAKE_MINUTES = 5;

/** CodeDeploy's predefined Lambda configurations, by their canary/linear shape. */
const PREDEFINED: Record<string, codedeploy.ILambdaDeploymentConfig> = {
  'canary-10-5': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  'canary-10-10': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_10MINUTES,
  'canary-10-15': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_15MINUTES,
  'canary-10-30': codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_30MINUTES,
  'linear-10-1': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
  'linear-10-2': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_2MINUTES,
  'linear-10-3': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
  'linear-10-10': codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_10MINUTES,
  'all-at-once': codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
};

/**
 * How a service's new versions reach its users: small steps, each judged by the
 * service's alarms, rolled back automatically when one fires.
 */
export class RolloutStrategy {
  /** The default: 10% for 5 minutes, then the rest. */
  public static readonly DEFAULT = RolloutStrategy.canary({ percentage: 10, interval: Duration.minutes(5) });

  /** Move `percentage` of traffic, wait `interval`, then move the rest. */
  public static canary(options: TrafficShiftOptions): RolloutStrategy {
    return new RolloutStrategy(RolloutType.CANARY, options);
  }

  /** Move `percentage` of traffic every `interval` until all has moved. */
  public static linear(options: TrafficShiftOptions): RolloutStrategy {
    return new RolloutStrategy(RolloutType.LINEAR, options);
  }

  /** Move all traffic at once. */
  public static allAtOnce(): RolloutStrategy {
    return new RolloutStrategy(RolloutType.ALL_AT_ONCE);
  }

  /** ECS only: start the new revision beside the old, move all traffic at once, keep the old for `bakeTime`. */
  public static blueGreen(options: BlueGreenOptions = {}): RolloutStrategy {
    return new RolloutStrategy(RolloutType.BLUE_GREEN, undefined, options.bakeTime, 'RolloutStrategy.blueGreen');
  }

  /** ECS only: replace tasks a few at a time with no traffic shifting (the opt-out); the circuit breaker and alarms still roll back. */
  public static rolling(): RolloutStrategy {
    return new RolloutStrategy(RolloutType.ROLLING);
  }

  /** Canary, linear or all at once. */
  public readonly rolloutType: RolloutType;
  /**
   * Percentage moved per step.
   * @default - 100 for all at once
   */
  public readonly percentage: number;
  /**
   * Time between steps, a whole number of minutes.
   * @default - zero for all at once
   */
  public readonly interval: Duration;
  /**
   * ECS: how long the previous revision runs after all traffic has moved.
   * @default - none given (ECS keeps it 5 minutes; zero for rolling)
   */
  public readonly bakeTime?: Duration;
  private readonly intervalMinutes: number;

  private constructor(type: RolloutType, options?: TrafficShiftOptions, bakeTime?: Duration, factoryName?: string) {
    this.rolloutType = type;
    const factory = factoryName ?? `RolloutStrategy.${type === RolloutType.CANARY ? 'canary' : 'linear'}`;
    const bake = bakeTime ?? options?.bakeTime;
    if (bake !== undefined) {
      this.bakeTime = Duration.minutes(wholeDuration(factory, 'bakeTime', bake, 'minutes', 0, Limits.ECS_BAKE_MINUTES));
    }
    if (!options) {
      this.percentage = 100;
      this.intervalMinutes = 0;
      this.interval = Duration.minutes(0);
      return;
    }
    this.percentage = integerInRange(factory, 'percentage', options.percentage, 1, 99, 'percent');
    this.intervalMinutes = wholeDuration(factory, 'interval', options.interval, 'minutes', 1, Limits.CODEDEPLOY_INTERVAL_MINUTES);
    this.interval = Duration.minutes(this.intervalMinutes);
  }

  /** A short id of the shape, e.g. `canary-10-5`. */
  public get key(): string {
    const bake = this.bakeTime ? `-bake-${this.bakeTime.toMinutes()}` : '';
    switch (this.rolloutType) {
      case RolloutType.ALL_AT_ONCE: return 'all-at-once';
      case RolloutType.ROLLING: return 'rolling';
      case RolloutType.BLUE_GREEN: return `blue-green${bake}`;
      default: return `${this.rolloutType.toLowerCase()}-${this.percentage}-${this.intervalMinutes}${bake}`;
    }
  }

  /** Minutes ECS keeps the previous revision after all traffic has moved (what `bakeTime` sets). */
  public get bakeMinutes(): number {
    if (this.rolloutType === RolloutType.ROLLING) return 0;
    return this.bakeTime ? this.bakeTime.toMinutes() : DEFAULT_BAKE_MINUTES;
  }

  /** The strategy in words, for summaries and reports. */
  public describe(): string {
    switch (this.rolloutType) {
      case RolloutType.CANARY:
        return `canary: ${this.percentage}% for ${this.intervalMinutes} min, then 100%`;
      case RolloutType.LINEAR:
        return `linear: +${this.percentage}% every ${this.intervalMinutes} min`;
      case RolloutType.BLUE_GREEN:
        return `blue/green: all at once, previous revision kept ${this.bakeMinutes} min`;
      case RolloutType.ROLLING:
        return 'rolling update (no traffic shifting)';
      default:
        return 'all at once';
    }
  }

  /** @internal */
  public _predefinedLambdaConfig(): codedeploy.ILambdaDeploymentConfig | undefined {
    this.lambdaCapable();
    return PREDEFINED[this.key];
  }

  /** @internal */
  public _trafficRouting(): codedeploy.TrafficRouting {
    this.lambdaCapable();
    const options = { percentage: this.percentage, interval: Duration.minutes(this.intervalMinutes) };
    switch (this.rolloutType) {
      case RolloutType.CANARY: return codedeploy.TrafficRouting.timeBasedCanary(options);
      case RolloutType.LINEAR: return codedeploy.TrafficRouting.timeBasedLinear(options);
      default: return codedeploy.TrafficRouting.allAtOnce();
    }
  }

  /** CodeDeploy shifts a Lambda alias by canary, linear or all at once, and has no bake time. */
  private lambdaCapable(): void {
    if (this.rolloutType === RolloutType.BLUE_GREEN || this.rolloutType === RolloutType.ROLLING) {
      invalidProp('RolloutStrategy', 'rollout', `${this.describe()} is an ECS strategy; a Lambda function rolls out by `
        + 'RolloutStrategy.canary, RolloutStrategy.linear or RolloutStrategy.allAtOnce (CodeDeploy)');
    }
    if (this.bakeTime) {
      invalidProp('RolloutStrategy', 'rollout', 'a bakeTime is for ECS services; CodeDeploy has no bake time for a Lambda alias');
    }
  }
}
