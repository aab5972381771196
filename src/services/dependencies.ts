import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct, IConstruct } from 'constructs';
import { DYNAMODB_DEFAULTS, DYNAMODB_KIND, dynamoDbAlarmSpecs, dynamoDbDashboardWidgets, dynamoDbSignals, DynamoDbThresholds } from './dynamodb';
import { operationsStack } from '../core/operations-stack';
import { ownershipName } from '../core/ownership';
import { invalidProp, literalMillis, positiveNumber } from '../core/validate';
import { SignalAlarmSpec } from '../observability/alarm-factory';

/** How a DynamoDB table a service depends on is alarmed. */
export interface DynamoDbDependencyOptions {
  /**
   * Name of the dependency in the service's alarm names (`<stack>-<service>-<name>-errors-info`):
   * 1-64 letters, digits, - or _, starting with a letter or digit; unique among the service's dependencies.
   * @default - the table's construct id
   */
  readonly name?: string;
  /**
   * The operations the service calls on the table; each gets a p99 latency alarm (1 to 5).
   * @default [GetItem, PutItem, Query]
   */
  readonly operations?: dynamodb.Operation[];
  /**
   * System error rate, in percent of requests, at which the errors alarm fires (0 < x <= 100).
   * @default 5
   */
  readonly systemErrorRateThreshold?: number;
  /**
   * Throttled requests per period at which the throttles alarm fires (above 0).
   * @default 1
   */
  readonly throttleThreshold?: number;
  /**
   * p99 server-side latency of each watched operation at which its latency alarm fires.
   * @default Duration.millis(100)
   */
  readonly latencyThreshold?: Duration;
}

/** What the composition binds a dependency with. */
export interface DependencyBindContext {
  readonly period: Duration;
  /** Where the dependency is named in the user's props, e.g. `dependencies[0]`. */
  readonly prop: string;
}

/** A dependency bound to one service: its alarms, dashboard graphs and the resource it tags. */
export interface BoundDependency {
  readonly kindName: string;
  readonly name: string;
  readonly specs: SignalAlarmSpec[];
  readonly resource: IConstruct;
  readonly widgets: (serviceName: string, detectionSeconds: number, alarms: cloudwatch.IAlarm[]) => cloudwatch.IWidget[];
}

/**
 * Something a service relies on whose failure its callers feel (e.g. a DynamoDB table):
 * its alarms feed the service's health alarm, its graphs join the service's dashboard
 * section, and it carries the service's ownership tags.
 */
export class ServiceDependency {
  /** A DynamoDB table the service reads or writes: system errors, throttles and each operation's p99 latency. */
  public static dynamoDbTable(table: dynamodb.ITable, options: DynamoDbDependencyOptions = {}): ServiceDependency {
    return new ServiceDependency(DYNAMODB_KIND, table, options);
  }

  private constructor(
    /** Kind of the dependency, e.g. `dynamodb`. */
    public readonly kindName: string,
    /** The resource depended on. */
    public readonly resource: IConstruct,
    private readonly options: DynamoDbDependencyOptions,
  ) {}

  /** Checks the options against `service` and returns what the service makes of the dependency. @internal */
  public _bind(service: Construct, context: DependencyBindContext): BoundDependency {
    const table = this.resource as dynamodb.ITable;
    const o = this.options;
    const { prop } = context;
    if (operationsStack(table) !== operationsStack(service)) {
      invalidProp(service, prop, `table ${table.node.path} is in another stack than the service; declare it where it is defined, or import it into this stack`);
    }
    const name = ownershipName(service, `${prop}.name`, o.name ?? table.node.id);
    const percent = o.systemErrorRateThreshold ?? DYNAMODB_DEFAULTS.systemErrorRatePercent;
    positiveNumber(service, `${prop}.systemErrorRateThreshold`, percent, '% of requests');
    if (percent > 100) invalidProp(service, `${prop}.systemErrorRateThreshold`, `is a percentage of requests and must be at most 100 (got ${percent})`);
    const latency = o.latencyThreshold ?? DYNAMODB_DEFAULTS.latency;
    positiveNumber(service, `${prop}.latencyThreshold`, literalMillis(service, `${prop}.latencyThreshold`, latency), 'ms');
    const thresholds: DynamoDbThresholds = {
      systemErrorRatePercent: percent,
      throttledRequests: positiveNumber(service, `${prop}.throttleThreshold`, o.throttleThreshold ?? DYNAMODB_DEFAULTS.throttledRequests, 'requests'),
      latency,
    };
    const operations = o.operations ?? DYNAMODB_DEFAULTS.operations;
    if (operations.length < 1 || operations.length > 5 || new Set(operations).size !== operations.length) {
      invalidProp(service, `${prop}.operations`, `watch 1 to 5 distinct operations (got ${operations.join(', ') || 'none'})`);
    }
    const signals = dynamoDbSignals(table, context.period, operations);
    const tableLabel = `${name} (${table.node.path})`;
    return {
      kindName: this.kindName,
      name,
      resource: table,
      specs: dynamoDbAlarmSpecs(signals, thresholds, tableLabel).map((spec) => ({ ...spec, signal: `${name}-${spec.signal}` })),
      widgets: (serviceName, detectionSeconds, alarms) =>
        dynamoDbDashboardWidgets({ serviceName: `${serviceName} · depends on ${name}`, detectionSeconds }, signals, thresholds, alarms),
    };
  }
}
