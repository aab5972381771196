/**
 * The operational readiness report, as JSON. Every field is always present; a value
 * that does not exist (no deployment group, nothing pages) is `null` in the JSON.
 * report.schema.json at the package root is the JSON Schema of this shape.
 */
export interface OperationalReadiness {
  /** Version of this shape; bumped on any incompatible change. */
  readonly schemaVersion: number;
  /** What wrote the report: `cdk-opex`. */
  readonly generator: string;
  /** Totals over every stack. */
  readonly summary: ReadinessSummary;
  /** The prices the cost estimates use, USD per month. */
  readonly prices: ReadinessPrices;
  /** One entry per CloudFormation template, in file order. */
  readonly stacks: ReadinessStack[];
}

/** Totals over every stack of the report. */
export interface ReadinessSummary {
  readonly stacks: number;
  readonly services: number;
  /** Well-Architected rows not met, over every service. */
  readonly findings: number;
  /** Estimated list price of the operational resources, USD per month, every dashboard charged. */
  readonly monthlyUsd: number;
  /**
   * The same estimate when the account's three free dashboards are not used elsewhere
   * (CloudWatch charges dashboards beyond the first three per account).
   */
  readonly monthlyUsdBeyondFreeTier: number;
}

/** List prices used by the estimate (us-east-1, USD per month). */
export interface ReadinessPrices {
  readonly standardAlarmPerMetric: number;
  readonly highResolutionAlarmPerMetric: number;
  /** Metrics an anomaly detection alarm is charged for (the metric and its two bounds). */
  readonly anomalyDetectionMetrics: number;
  readonly compositeAlarm: number;
  readonly dashboard: number;
  readonly freeDashboardsPerAccount: number;
  readonly kmsKey: number;
}

/** One stack (template) of the cloud assembly. */
/** A nested stack read as part of its parent. */
export interface ReadinessNestedStack {
  /** Logical id of its `AWS::CloudFormation::Stack` resource in the parent. */
  readonly logicalId: string;
  /** Its template file, relative to the parent template's directory. */
  readonly templateFile: string;
  /** Resources in its own template. */
  readonly resources: number;
}

export interface ReadinessStack {
  readonly stackName: string;
  /** Template file, relative to the assembly directory, when read from one. */
  readonly templateFile?: string;
  /** Whether the template carries cdk-opex's service catalog. */
  readonly catalog: boolean;
  /** Resources in the template, and in its nested stacks (which are read as part of it). */
  readonly resources: number;
  /**
   * The nested stacks read as part of this one (e.g. those cdk-opex placed services in), with their own resource counts.
   * @default - none (the key is absent)
   */
  readonly nestedStacks?: ReadinessNestedStack[];
  readonly services: ReadinessService[];
  /** Well-Architected rows not met, over the stack's services. */
  readonly findings: number;
  /** Every alarm, dashboard and alarm-topic key of the stack, each counted once: the services' costs plus `sharedCost`. */
  readonly cost: ReadinessCost;
  /** What no one service owns: dashboards, keys, and alarms of no service. */
  readonly sharedCost: ReadinessCost;
  /**
   * Where events that could not start a runbook go, and the alarm on it.
   * @default - no EventBridge target that starts a runbook has a dead-letter queue
   */
  readonly responses?: ReadinessResponses;
  /**
   * Planned maintenance windows: CloudWatch alarm mute rules, and the alarms they mute.
   * @default - none (the key is absent)
   */
  readonly maintenanceWindows?: ReadinessMaintenanceWindow[];
}

/** A planned maintenance window: a CloudWatch alarm mute rule. */
export interface ReadinessMaintenanceWindow {
  /** Logical id of the `AWS::CloudWatch::AlarmMuteRule`. */
  readonly muteRule: string;
  /** When it opens: the rule's schedule expression (`cron(...)` or `at(...)`). */
  readonly schedule: string;
  /** How long it stays open, as an ISO 8601 duration (e.g. `PT2H`). */
  readonly duration: string;
  /** The alarms it mutes: logical ids of the template's alarms, else their names. */
  readonly alarms: string[];
}

/** What catches a response that did not start: the dead-letter queue of the runbook targets. */
export interface ReadinessResponses {
  /** Logical id of the SQS queue EventBridge runbook targets dead-letter to. */
  readonly deadLetterQueue: string;
  /**
   * Logical id of an alarm on that queue's visible messages.
   * @default - none: an undelivered response goes unnoticed
   */
  readonly alarm?: string;
  /** Whether that alarm notifies or pages someone. */
  readonly alarmPages: boolean;
}

/** One service: a Lambda function, ECS service, API stage, queue or table. */
export interface ReadinessService {
  /** The `service` tag, the catalog name, or the construct path. */
  readonly name: string;
  /** `lambda`, `ecs`, `apigateway`, `sqs` or `dynamodb` (or a catalog kind). */
  readonly kind: string;
  /** `catalog` (a cdk-opex service) or `template` (found from the resources alone). */
  readonly source: string;
  /** Logical id of the service's main resource. */
  readonly logicalId: string;
  /** CloudFormation type of the main resource. */
  readonly resourceType: string;
  /** Construct path, when the template has it. */
  readonly constructPath?: string;
  /** Logical ids of the resources that make up the service: the main one, and e.g. a queue's dead-letter queue. */
  readonly members: string[];
  readonly owner: ReadinessOwner;
  readonly alarms: ReadinessAlarms;
  readonly detection: ReadinessDetection;
  readonly deployment: ReadinessDeployment;
  readonly runbooks: ReadinessRunbook[];
  /** Logical ids of the FIS experiment templates that inject faults into the service. */
  readonly gameDays: string[];
  readonly objectives: ReadinessObjective[];
  /** The alarms this service alone owns (an alarm two services read, dashboards and keys are in the stack's `sharedCost`). */
  readonly cost: ReadinessCost;
  /** Well-Architected best practices, in a fixed order. */
  readonly wellArchitected: WellArchitectedRow[];
  /** Ids of the rows not met. */
  readonly findings: string[];
}

/** Who owns a service, from its `service` and `team` tags (or the catalog). */
export interface ReadinessOwner {
  readonly service?: string;
  readonly team?: string;
}

/** A service's alarms. */
export interface ReadinessAlarms {
  readonly count: number;
  /** Alarms that notify someone (SNS, OpsItem, Incident Manager). */
  readonly paging: number;
  readonly items: ReadinessAlarm[];
}

/** One alarm of a service. */
export interface ReadinessAlarm {
  readonly logicalId: string;
  /** AlarmName when literal. */
  readonly alarmName?: string;
  /** `metric`, `math`, `anomaly` or `composite`. */
  readonly alarmType: string;
  /** Whether it notifies someone itself. */
  readonly pages: boolean;
  /** Its actions, in words (e.g. `SNS topic AlarmTopic`, `OpsItem severity 2`). */
  readonly actions: string[];
  /** Metrics it is charged for (0 for a composite). */
  readonly metrics: number;
  /** Period under 60 s. */
  readonly highResolution: boolean;
  /** Seconds from a total outage to ALARM (metric alarms), else null. */
  readonly detectionSeconds?: number;
  readonly monthlyUsd: number;
  /** The alarm in the CloudWatch console, when its name is known at synth. */
  readonly consoleUrl?: string;
}

/** How soon a total outage pages someone. */
export interface ReadinessDetection {
  /** Seconds, or null when nothing would page. */
  readonly seconds?: number;
  /** The paging alarm that fires first. */
  readonly alarm?: string;
  /** How the number was found, in words. */
  readonly basis: string;
}

/** How new versions reach users. */
export interface ReadinessDeployment {
  /** Whether deployment practices apply to this kind (not to queues and tables). */
  readonly applicable: boolean;
  /** `canary`, `linear`, `blue-green`, `rolling`, `all-at-once`, `custom`, or `none` where nothing is deployed. */
  readonly rolloutType: string;
  /** Percent of traffic per step, for canary and linear rollouts. */
  readonly percentage?: number;
  /** Minutes between steps (or of bake time). */
  readonly intervalMinutes?: number;
  /** The rollout in words, e.g. `canary: 10% for 5 min, then 100%`, `all at once`. */
  readonly strategy?: string;
  /** Logical id of the CodeDeploy deployment group, when there is one. */
  readonly deploymentGroup?: string;
  /** Name of the deployment group, when it is known at synth. */
  readonly deploymentGroupName?: string;
  /** A deployment stops and rolls back when one of `rollbackAlarms` fires. */
  readonly rollbackOnAlarm: boolean;
  /** ECS's circuit breaker rolls back a deployment whose tasks fail to start. */
  readonly circuitBreaker: boolean;
  readonly rollbackAlarms: string[];
  /**
   * Whether a rollback alarm judges the version being deployed on its own (reads a
   * metric with Lambda's `ExecutedVersion` dimension), not only the mix of old and new
   * versions an alias serves during a canary.
   */
  readonly rollbackJudgesNewVersion?: boolean;
  /** What the rollback alarms watch, in words. */
  readonly rollbackWatches?: string;
  /**
   * Seconds from the new version failing until the first rollback alarm fires (its
   * period x datapoints to alarm + 60 s publish delay), when a rollback alarm is in the template.
   */
  readonly rollbackSeconds?: number;
  /**
   * Share of its requests, in percent, a new version must fail at the rollout's first step
   * (the old version healthy) for the service's error-rate alarm to roll it back: the
   * threshold when the alarm judges the new version on its own, threshold / step share
   * when it reads only the alias. Above 100, no canary failure rolls back. Known for
   * cdk-opex services (their catalog names the errors alarm).
   */
  readonly canaryFailurePercentRolledBack?: number;
}

/** A runbook (SSM Automation document) and what starts it. */
export interface ReadinessRunbook {
  /** Logical id (or name) of the SSM document. */
  readonly document: string;
  /** The document's name as operators see it, or its logical id when CloudFormation names it. */
  readonly documentName: string;
  /** The document in the Systems Manager console, when its name is known at synth. */
  readonly consoleUrl?: string;
  /** Who or what starts it, in words. */
  readonly trigger: string;
  /** Logical ids of the service's alarms whose state changes start it. */
  readonly startedBy: string[];
  /** Logical id of the EventBridge rule that starts it, if any. */
  readonly rule?: string;
  /** Whether an event starts it without a person. */
  readonly automatic: boolean;
}

/** A service level objective, from the cdk-opex catalog. */
export interface ReadinessObjective {
  readonly target: number;
  readonly windowDays: number;
  readonly alerts: string;
  /** Logical id of the page composite. */
  readonly pageAlarm: string;
  /** Name of the page composite, when literal. */
  readonly pageAlarmName?: string;
}

/** An estimate of monthly list prices. */
export interface ReadinessCost {
  /** Sum of the lines, rounded to cents. */
  readonly monthlyUsd: number;
  readonly lines: ReadinessCostLine[];
}

/** One kind of charged resource. */
export interface ReadinessCostLine {
  /** `standard-alarm-metrics`, `high-resolution-alarm-metrics`, `anomaly-detection-alarm-metrics`, `composite-alarms`, `dashboards` or `kms-keys`. */
  readonly item: string;
  /** Units charged: metrics, alarms, dashboards or keys. */
  readonly quantity: number;
  readonly unitUsd: number;
  readonly monthlyUsd: number;
  /** Logical ids of the resources on this line. */
  readonly resources: string[];
}

/** One Well-Architected best practice for one service. */
export interface WellArchitectedRow {
  /** Best-practice id, e.g. `OPS08-BP04`. */
  readonly id: string;
  readonly title: string;
  /** `met`, `not met` or `not applicable`. */
  readonly status: string;
  /** Logical ids the decision rests on. */
  readonly evidence: string[];
  /** Why, in one line. */
  readonly reason: string;
}
