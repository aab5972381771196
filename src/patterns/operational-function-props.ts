import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { OperationalServiceOptions, ServiceSloOptions } from './operational-service-options';

/** An availability objective for a function: the share of invocations that succeed. */
export interface FunctionSloOptions extends ServiceSloOptions {}

/** Properties of an {@link OperationalFunction}. */
export interface OperationalFunctionProps extends OperationalServiceOptions {
  /**
   * The function to operate, defined in this app (not imported with `fromFunctionArn`:
   * its `currentVersion` is what the alias rolls out), with a literal timeout. One
   * OperationalFunction per function.
   */
  readonly lambdaFunction: lambda.Function;
  /**
   * Name of the alias that serves traffic; point callers at it: 1-128 letters, digits,
   * - and _, not only digits. The function must have no other alias of this name in its
   * stack, made before or after this construct (checked at synth).
   * @default 'live'
   */
  readonly aliasName?: string;
  /**
   * Error rate, in percent of invocations, at which the errors alarm fires (0 < x <= 100).
   * @default 5
   */
  readonly errorRateThreshold?: number;
  /**
   * p99 duration at which the latency alarm fires; must be below the function's timeout.
   * @default - 80% of the function's timeout
   */
  readonly latencyThreshold?: Duration;
  /**
   * Throttled invocations per period at which the throttles alarm fires (above 0).
   * @default 1
   */
  readonly throttleThreshold?: number;
  /**
   * Invocations per alarm period from which the version being deployed is judged on its
   * own (a whole number, at least 1). The errors and latency alarms, which roll a
   * deployment back, judge the worse of the alias and that version (`ExecutedVersion`):
   * a 10% canary failing a fifth of its requests moves the alias only 2%, its own rate
   * 20%. A version with fewer invocations in a period has its errors counted against
   * this many (1 error in 2 invocations reads 2% at the default, not 50%; 5 failed of 5
   * still reads 10%), and its p99 is not judged until it has this many.
   * @default 50
   */
  readonly canaryMinimumInvocations?: number;
  /**
   * Turn on AWS X-Ray active tracing for the function (and allow its role to send
   * traces), so a slow or failing request can be followed across services.
   * @default true
   */
  readonly tracing?: boolean;
}
