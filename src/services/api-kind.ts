import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import {
  APIGATEWAY_DEFAULTS, APIGATEWAY_KIND, apiGatewayAlarmSpecs, apiGatewayDashboardWidgets, ApiGatewaySignals, ApiGatewayThresholds, restApiSignals,
} from './apigateway';
import { IServiceKind, ServiceKindContext, ServiceRolloutRequest, ServiceRunbooks, ServiceSectionContext, ServiceSignals } from './service-kind';
import { Limits } from '../core/limits';
import { operationsStack } from '../core/operations-stack';
import { invalidProp, literalMillis, literalString, positiveNumber } from '../core/validate';
import { keyForLogs } from '../hub/logs-key';
import { SignalAlarmSpec } from '../observability/alarm-factory';
import { AlarmPolicy, AlarmSeverity } from '../observability/alarm-policy';
import { RunbookLibrary } from '../runbooks/library';
import { API_ACCESS_LOG_FORMAT } from '../runbooks/library/api-diagnostics';

/** A service the API calls, as the API kind reads it (an OperationalService). */
export interface ApiBackend extends IConstruct {
  readonly serviceName: string;
  readonly healthAlarm: cloudwatch.IAlarm;
}

/** What the API kind is bound to: the user's REST API stage and how it is alarmed. */
export interface ApiKindOptions {
  readonly restApi?: apigateway.RestApi;
  readonly stage?: apigateway.Stage;
  readonly backends?: ApiBackend[];
  readonly serverErrorRateThreshold?: number;
  readonly clientErrorRateThreshold?: number;
  readonly latencyThreshold?: Duration;
  readonly integrationLatencyThreshold?: Duration;
  readonly accessLogRetention?: logs.RetentionDays;
  readonly tracing?: boolean;
}


/** The stage a RestApi deploys to, or a clear error when it deploys none (`deploy: false`). */
function deploymentStageOf(service: IConstruct, api: apigateway.RestApi): apigateway.Stage {
  let stage: apigateway.Stage | undefined;
  try {
    stage = api.deploymentStage;
  } catch {
    stage = undefined; // some aws-cdk-lib versions throw, others return undefined
  }
  return stage ?? invalidProp(service, 'restApi', `${api.node.path} has no deployment stage (deploy: false); pass the stage as \`stage\``);
}

/** A percentage threshold: above 0, at most 100. */
function percent(scope: IConstruct, prop: string, value: number): number {
  positiveNumber(scope, prop, value, '% of requests');
  if (value > 100) invalidProp(scope, prop, `is a percentage of requests and must be at most 100 (got ${value})`);
  return value;
}

/**
 * A REST API stage: signals on the stage, access logs (to a log group cdk-opex keeps, encrypted
 * with the hub's key) and X-Ray tracing turned on, a diagnostics runbook, no rollout of its own.
 */
export class ApiServiceKind implements IServiceKind {
  public readonly kindName = APIGATEWAY_KIND;
  public readonly metricResolution = Duration.seconds(Limits.AWS_METRIC_RESOLUTION_SECONDS);
  public readonly resourceDimensions = ['ApiName', 'Stage'];
  public readonly faults: string[] = [];
  public readonly latencyUnit = Duration.millis(1);
  private _stage?: apigateway.Stage;
  private thresholds?: ApiGatewayThresholds;
  private signals?: ApiGatewaySignals;
  private serviceName = '';
  private _logGroup?: logs.LogGroup;

  constructor(private readonly options: ApiKindOptions) {}

  public get stage(): apigateway.Stage {
    return this._stage!;
  }

  public get accessLogGroup(): logs.LogGroup {
    return this._logGroup!;
  }

  public get backendHealthAlarms(): cloudwatch.IAlarm[] {
    return (this.options.backends ?? []).map((b) => b.healthAlarm);
  }

  public validate(service: Construct): void {
    const o = this.options;
    if ((o.restApi === undefined) === (o.stage === undefined)) invalidProp(service, 'restApi', 'give exactly one of restApi and stage');
    this._stage = o.stage ?? deploymentStageOf(service, o.restApi!);
    literalString(service, o.restApi ? 'restApi' : 'stage', this._stage.restApi.restApiName);
    const latency = o.latencyThreshold ?? APIGATEWAY_DEFAULTS.latency;
    const integration = o.integrationLatencyThreshold ?? APIGATEWAY_DEFAULTS.integrationLatency;
    positiveNumber(service, 'latencyThreshold', literalMillis(service, 'latencyThreshold', latency), 'ms');
    positiveNumber(service, 'integrationLatencyThreshold', literalMillis(service, 'integrationLatencyThreshold', integration), 'ms');
    this.thresholds = {
      serverErrorRatePercent: percent(service, 'serverErrorRateThreshold', o.serverErrorRateThreshold ?? APIGATEWAY_DEFAULTS.serverErrorRatePercent),
      clientErrorRatePercent: percent(service, 'clientErrorRateThreshold', o.clientErrorRateThreshold ?? APIGATEWAY_DEFAULTS.clientErrorRatePercent),
      latency,
      integrationLatency: integration,
    };
    const backends = o.backends ?? [];
    backends.forEach((b, i) => {
      if (operationsStack(b) !== operationsStack(service)) invalidProp(service, 'backends', `backends[${i}] (${b.node.path}) is in another stack; a backend must be in the API's stack`);
    });
    const cfn = this._stage.node.defaultChild as apigateway.CfnStage;
    if (cfn.accessLogSetting !== undefined) {
      invalidProp(service, 'accessLogDestination', `stage ${this._stage.node.path} already has access logs; cdk-opex sends them to a log group it keeps `
        + '(its diagnostics runbook queries it): remove accessLogDestination and accessLogFormat from the stage');
    }
  }

  public bind(service: Construct, context: ServiceKindContext): ServiceSignals {
    this.serviceName = context.serviceName;
    const stage = this._stage!;
    this._logGroup = this.accessLogs(service, context.serviceName);
    this.enforceStageSettings(stage);
    const signals = restApiSignals(stage.restApi, stage.stageName, context.period);
    this.signals = signals;
    return {
      traffic: signals.requests,
      errors: signals.serverErrors,
      latency: signals.latencyP99,
      others: { 'client-errors': signals.clientErrorRate, 'integration-latency': signals.integrationLatencyP99 },
    };
  }

  public runbooks(service: Construct): ServiceRunbooks {
    const stage = this._stage!;
    const diagnostics = RunbookLibrary.apiDiagnostics(service);
    const policy = AlarmPolicy.of(service);
    const ownHealth = policy.alarmName(service, this.serviceName, 'health', AlarmSeverity.CRITICAL);
    const ownHealthArn = Stack.of(service).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: ownHealth, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const backends = this.options.backends ?? [];
    RunbookLibrary.allowApiStage(diagnostics, stage, this._logGroup!.logGroupName, [ownHealthArn, ...backends.map((b) => b.healthAlarm.alarmArn)]);
    return {
      onUnhealthy: diagnostics,
      onUnhealthyParameters: {
        RestApiId: [stage.restApi.restApiId],
        StageName: [stage.stageName],
        LogGroupName: [this._logGroup!.logGroupName],
        HealthAlarmNames: [ownHealth, ...backends.map((b) => b.healthAlarm.alarmName)],
        ServiceName: [this.serviceName],
        AlarmName: [events.EventField.fromPath('$.detail.alarmName')],
      },
      healthResponse: `Response: the ${diagnostics.node.id} runbook starts and records the stage's settings, recent 5XX and the backends' health on an OpsItem.`,
    };
  }

  public alarmSpecs(_service: Construct): SignalAlarmSpec[] {
    return apiGatewayAlarmSpecs(this.signals!, this.thresholds!, this._stage!.restApi.restApiName);
  }

  public rollOut(service: Construct, _request: ServiceRolloutRequest): IConstruct {
    return invalidProp(service, 'rollout', 'an API Gateway stage has no cdk-opex rollout');
  }

  public dashboardSection(_service: Construct, context: ServiceSectionContext): cloudwatch.IWidget[] {
    return apiGatewayDashboardWidgets({ serviceName: context.serviceName, team: context.team, detectionSeconds: context.detectionTime.toSeconds() },
      this.signals!, this.thresholds!, context.alarms);
  }

  public ownedResources(): IConstruct[] {
    return [this._stage!];
  }

  /** The access log group: kept a year by default, encrypted with the hub's key (which CloudWatch Logs may use for this stack's groups). */
  private accessLogs(service: Construct, serviceName: string): logs.LogGroup {
    const prefix = `/cdk-opex/${operationsStack(service).stackName}/`;
    const key = keyForLogs(service, `${prefix}*`);
    return new logs.LogGroup(service, 'AccessLogs', {
      logGroupName: `${prefix}${serviceName}/api-access`,
      retention: this.options.accessLogRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: key,
    });
  }

  /** Access logs, X-Ray tracing and error-level execution logging on the user's stage. */
  private enforceStageSettings(stage: apigateway.Stage): void {
    const cfn = stage.node.defaultChild as apigateway.CfnStage;
    cfn.accessLogSetting = { destinationArn: this._logGroup!.logGroupArn, format: API_ACCESS_LOG_FORMAT };
    if (this.options.tracing ?? true) cfn.tracingEnabled = true;
    const settings = Array.isArray(cfn.methodSettings) ? cfn.methodSettings as apigateway.CfnStage.MethodSettingProperty[] : [];
    const all = settings.find((s) => s.httpMethod === '*' && s.resourcePath === '/*');
    if (!all) {
      cfn.methodSettings = [...settings, { httpMethod: '*', resourcePath: '/*', loggingLevel: 'ERROR', dataTraceEnabled: false }];
    } else if (!all.loggingLevel) {
      cfn.methodSettings = settings.map((s) => (s === all ? { ...s, loggingLevel: 'ERROR' } : s));
    }
    // A cache changes what callers get (stale answers) and costs by the hour: never turned on for the user.
    for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
      Validations.of(stage).acknowledge({
        id: `${pack}-APIGWCacheEnabledAndEncrypted`,
        reason: 'cdk-opex does not turn on a stage cache: it changes responses (stale data) and is billed by the hour; enable it with cacheDataEncrypted where the API needs one.',
      });
    }
  }
}
