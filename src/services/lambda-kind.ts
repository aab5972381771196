import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import {
  claimFunction, definedFunction, enableLambdaTracing, LAMBDA_KIND, LAMBDA_METRIC_RESOLUTION, lambdaAlarmSpecs, lambdaDashboardWidgets,
  lambdaLogGroupName, lambdaRunbooks, LambdaSignals, lambdaSignals, LambdaThresholdOverrides, LambdaThresholds, lambdaThresholds, lambdaTimeout,
} from './lambda';
import { IServiceKind, ServiceKindContext, ServiceRolloutRequest, ServiceRunbooks, ServiceSectionContext, ServiceSignals } from './service-kind';
import { matchingString } from '../core/validate';
import { createLambdaDeploymentGroup } from '../deployments/lambda-deployment';
import { OperationsHub } from '../hub/operations-hub';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { consoleLinks } from '../observability/links';
import { faultActionIds } from '../resilience/faults';

/** What the Lambda kind is bound to: the user's function and how it is alarmed. */
export interface LambdaKindOptions extends LambdaThresholdOverrides {
  readonly lambdaFunction: lambda.IFunction;
  readonly aliasName?: string;
  readonly tracing?: boolean;
}

/**
 * A Lambda function served through an alias: signals measured on the alias (and on
 * the version being deployed, which the errors and latency alarms judge on its own),
 * a CodeDeploy canary that shifts it, and the Lambda runbooks. One instance per service.
 */
export class LambdaServiceKind implements IServiceKind {
  public readonly kindName = LAMBDA_KIND;
  public readonly metricResolution = LAMBDA_METRIC_RESOLUTION;
  public readonly resourceDimensions = ['FunctionName', 'Resource'];
  public readonly rolloutMechanism = 'codedeploy-lambda';
  public readonly placeable = true;
  public readonly faults = faultActionIds(LAMBDA_KIND);
  private fn?: lambda.Function;
  private aliasName = 'live';
  private timeout = Duration.seconds(0);
  private thresholds?: LambdaThresholds;
  private signals?: LambdaSignals;
  private logGroupName = '';
  private serviceName = '';
  private _runbooks?: ReturnType<typeof lambdaRunbooks>;
  private _alias?: lambda.Alias;
  private _deploymentGroup?: codedeploy.LambdaDeploymentGroup;

  constructor(private readonly options: LambdaKindOptions) {}

  /** The alias that serves traffic, once bound. */
  public get alias(): lambda.Alias {
    return this._alias!;
  }

  /** The deployment group, once rolled out. */
  public get deploymentGroup(): codedeploy.LambdaDeploymentGroup {
    return this._deploymentGroup!;
  }

  public validate(service: Construct): void {
    this.fn = definedFunction(service, this.options.lambdaFunction);
    this.aliasName = matchingString(service, 'aliasName', this.options.aliasName ?? 'live', /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/,
      'an alias name: letters, digits, - and _, not only digits');
  }

  public bind(service: Construct, context: ServiceKindContext): ServiceSignals {
    const fn = this.fn!;
    this.serviceName = context.serviceName;
    this.timeout = lambdaTimeout(service, fn);
    this.thresholds = lambdaThresholds(service, this.options, this.timeout);
    claimFunction(service, fn, this.aliasName);
    if (this.options.tracing ?? true) enableLambdaTracing(OperationsHub.of(service), fn);
    this._alias = new lambda.Alias(service, 'Alias', { aliasName: this.aliasName, version: fn.currentVersion });
    const signals = lambdaSignals(fn, this._alias, context.period, this.thresholds.canaryMinimumInvocations);
    this.signals = signals;
    this.logGroupName = lambdaLogGroupName(fn);
    return {
      traffic: signals.invocations,
      errors: signals.errors,
      latency: signals.latencyP99,
      saturation: signals.concurrency,
      others: { throttles: signals.throttles },
    };
  }

  public runbooks(service: Construct): ServiceRunbooks {
    const runbooks = lambdaRunbooks(service, this.fn!, this.logGroupName);
    this._runbooks = runbooks;
    const byOperator = { automatic: false, trigger: 'an operator; waits for approval' };
    return {
      onUnhealthy: runbooks.diagnostics,
      onUnhealthyParameters: {
        FunctionName: [this.fn!.functionName],
        AliasName: [this.aliasName],
        LogGroupName: [this.logGroupName],
        ServiceName: [this.serviceName],
        AlarmName: [events.EventField.fromPath('$.detail.alarmName')],
      },
      healthResponse: `Response: the ${runbooks.diagnostics.node.id} runbook starts and records diagnostics on an OpsItem.`,
      others: [{ runbook: runbooks.rollback, ...byOperator }, { runbook: runbooks.concurrency, ...byOperator }],
    };
  }

  public alarmSpecs(_service: Construct): SignalAlarmSpec[] {
    return lambdaAlarmSpecs(this.signals!, this.thresholds!, this.aliasName);
  }

  public rollOut(service: Construct, request: ServiceRolloutRequest): IConstruct {
    this._deploymentGroup = createLambdaDeploymentGroup(service, {
      hub: OperationsHub.of(service),
      fn: this.fn!,
      alias: this.alias,
      rollout: request.rollout,
      alarms: request.rollbackAlarms,
      ownAlarms: request.signalAlarms,
    });
    return this._deploymentGroup;
  }

  public dashboardSection(service: Construct, context: ServiceSectionContext): cloudwatch.IWidget[] {
    const links = consoleLinks(service);
    return lambdaDashboardWidgets({
      serviceName: context.serviceName,
      team: context.team,
      detectionSeconds: context.detectionTime.toSeconds(),
      rollout: context.rollout!.describe(),
      runbookUrl: links.runbook(this._runbooks!.diagnostics),
      deploymentGroupUrl: links.deploymentGroup(this.deploymentGroup),
    }, this.signals!, this.thresholds!, this.timeout, context.alarms);
  }

  public ownedResources(): IConstruct[] {
    return [this.fn!];
  }
}
