import { Duration } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { Limits } from '../core/limits';
import { integerInRange, wholeDuration } from '../core/validate';

/** How traffic moves to a new version. */
export enum RolloutType {
  /** A share of traffic first, the rest after an interval. */
  CANARY = 'CANARY',
  /** Equal shares every interval until all traffic has moved. */
  LINEAR = 'LINEAR',
  /** All traffic at once; the alarms can still roll it back. */
  ALL_AT_ONCE = 'ALL_AT_ONCE',
}

/** Options of a canary or linear rollout. */
export interface TrafficShiftOptions {
  /** Percentage of traffic moved in each step, 1 to 99. */
  readonly percentage: number;
  /** Time between steps, in whole minutes from 1 to 2880 (2 days). */
  readonly interval: Duration;
}

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
  private readonly intervalMinutes: number;

  private constructor(type: RolloutType, options?: TrafficShiftOptions) {
    this.rolloutType = type;
    if (!options) {
      this.percentage = 100;
      this.intervalMinutes = 0;
      this.interval = Duration.minutes(0);
      return;
    }
    const factory = `RolloutStrategy.${type === RolloutType.CANARY ? 'canary' : 'linear'}`;
    this.percentage = integerInRange(factory, 'percentage', options.percentage, 1, 99, 'percent');
    this.intervalMinutes = wholeDuration(factory, 'interval', options.interval, 'minutes', 1, Limits.CODEDEPLOY_INTERVAL_MINUTES);
    this.interval = Duration.minutes(this.intervalMinutes);
  }

  /** A short id of the shape, e.g. `canary-10-5`. */
  public get key(): string {
    return this.rolloutType === RolloutType.ALL_AT_ONCE ? 'all-at-once'
      : `${this.rolloutType.toLowerCase()}-${this.percentage}-${this.intervalMinutes}`;
  }

  /** The strategy in words, for summaries and reports. */
  public describe(): string {
    switch (this.rolloutType) {
      case RolloutType.CANARY:
        return `canary: ${this.percentage}% for ${this.intervalMinutes} min, then 100%`;
      case RolloutType.LINEAR:
        return `linear: +${this.percentage}% every ${this.intervalMinutes} min`;
      default:
        return 'all at once';
    }
  }

  /** @internal */
  public _predefinedLambdaConfig(): codedeploy.ILambdaDeploymentConfig | undefined {
    return PREDEFINED[this.key];
  }

  /** @internal */
  public _trafficRouting(): codedeploy.TrafficRouting {
    const options = { percentage: this.percentage, interval: Duration.minutes(this.intervalMinutes) };
    switch (this.rolloutType) {
      case RolloutType.CANARY: return codedeploy.TrafficRouting.timeBasedCanary(options);
      case RolloutType.LINEAR: return codedeploy.TrafficRouting.timeBasedLinear(options);
      default: return codedeploy.TrafficRouting.allAtOnce();
    }
  }
}
