/**
 * The services the benchmark builds, one entry per cdk-opex pattern: each builds the user's
 * resources for service `i` and, when `operational`, wraps them in the pattern. Resources a
 * user shares between services (a VPC, a cluster) are built once per stack.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
// The peer is a devDependency the benchmark alone uses.
// eslint-disable-next-line import/no-extraneous-dependencies
import { MonitoringFacade } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { OperationalFunction } from '../src';

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

export const PATTERNS: BenchPattern[] = [
  {
    name: 'function',
    description: 'a lambda.Function in an OperationalFunction',
    peer: true,
    peerName: 'cdk-monitoring-constructs 10.2.0: monitorLambdaFunction with fault-rate, p99-latency and throttle alarms and its dashboard',
    build: (stack, i, variant) => {
      const fn = benchFunction(stack, `Fn${i}`);
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
];
