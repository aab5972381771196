/**
 * The services the benchmark builds, one entry per cdk-opex pattern: each builds the user's
 * resources for service `i` and, when `operational`, wraps them in the pattern. Resources a
 * user shares between services (a VPC, a cluster) are built once per stack.
 */
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { OperationalFunction } from '../src';

export interface BenchPattern {
  /** Name on the command line (`BENCH_PATTERNS`). */
  readonly name: string;
  /** What one service is, for the table's title. */
  readonly description: string;
  build(stack: Stack, i: number, operational: boolean): void;
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
    build: (stack, i, operational) => {
      const fn = benchFunction(stack, `Fn${i}`);
      if (operational) new OperationalFunction(stack, `Svc${i}`, { lambdaFunction: fn });
    },
  },
];
