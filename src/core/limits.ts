/**
 * Service limits cdk-opex designs against. Every check that guards one of these
 * refers to the constant by name, so the numbers live in one place.
 */
export class Limits {
  /** Resources in one CloudFormation stack. */
  public static readonly CFN_RESOURCES_PER_STACK = 500;
  /** Template body size CloudFormation accepts when uploaded through S3, in bytes. */
  public static readonly CFN_TEMPLATE_BYTES = 1_000_000;
  /** Parameters of one CloudFormation stack (a nested stack's references to its parent are parameters). */
  public static readonly CFN_PARAMETERS_PER_STACK = 200;
  /** Managed policies IAM attaches to one role (its default quota). */
  public static readonly IAM_MANAGED_POLICIES_PER_ROLE = 10;
  /** Outputs of one CloudFormation stack (its parent's references into a nested stack are outputs). */
  public static readonly CFN_OUTPUTS_PER_STACK = 200;
  /** Widgets on one CloudWatch dashboard. */
  public static readonly DASHBOARD_WIDGETS = 500;
  /** Metrics one metric-math alarm may read. */
  public static readonly ALARM_MATH_METRICS = 10;
  /** Alarms one alarm status widget shows. */
  public static readonly ALARM_STATUS_WIDGET_ALARMS = 100;
  /** Longest span (period x evaluation periods) for alarms whose period is under an hour, in seconds. */
  public static readonly ALARM_EVALUATION_SPAN_SECONDS = 86_400;
  /** Longest span (period x evaluation periods) of any alarm, in seconds (7 days). */
  public static readonly ALARM_LONG_EVALUATION_SPAN_SECONDS = 604_800;
  /** Alarms in one CodeDeploy deployment group's alarm configuration. */
  public static readonly DEPLOYMENT_GROUP_ALARMS = 10;
  /** Targets on one EventBridge rule. */
  public static readonly RULE_TARGETS = 5;
  /** Characters in one EventBridge event pattern. */
  public static readonly EVENT_PATTERN_CHARS = 2_048;
  /** Characters in a CloudWatch alarm name. */
  public static readonly ALARM_NAME_CHARS = 255;
  /** Characters in a CloudWatch alarm description. */
  public static readonly ALARM_DESCRIPTION_CHARS = 1_024;
  /** Longest CodeDeploy time-based canary or linear interval, in minutes. */
  public static readonly CODEDEPLOY_INTERVAL_MINUTES = 2_880;
  /** Longest ECS canary or linear step bake time, and blue/green bake time, in minutes (1 day). */
  public static readonly ECS_BAKE_MINUTES = 1_440;
  /** Smallest share of traffic an ECS linear step may move, in percent. */
  public static readonly ECS_LINEAR_MIN_STEP_PERCENT = 3;
  /** How late a datapoint of an AWS service's 1-minute metric can be published, in seconds: no alarm sees a breach sooner. */
  public static readonly METRIC_PUBLISH_DELAY_SECONDS = 60;
  /** Actions one CloudWatch alarm may take per state (ALARM, OK, INSUFFICIENT_DATA). */
  public static readonly ALARM_ACTIONS_PER_STATE = 5;
  /** Periods, in seconds, an alarm may use below a minute (high-resolution metrics only). */
  public static readonly ALARM_HIGH_RESOLUTION_PERIODS_SECONDS: number[] = [10, 20, 30];
  /** Periods of an hour or more may evaluate up to ALARM_LONG_EVALUATION_SPAN_SECONDS, in seconds. */
  public static readonly ALARM_LONG_PERIOD_SECONDS = 3_600;
  /**
   * Resolution of AWS services' own metrics (Lambda, ECS, SQS...), in seconds: they are
   * published once a minute, so an alarm on them with a shorter period never gets data.
   */
  public static readonly AWS_METRIC_RESOLUTION_SECONDS = 60;
  /** Characters in a CloudWatch dashboard name (letters, digits, - and _). */
  public static readonly DASHBOARD_NAME_CHARS = 255;
  /** Characters in an SNS topic's display name. */
  public static readonly SNS_DISPLAY_NAME_CHARS = 100;
  /** Longest an `aws:sleep` step waits, in seconds (7 days). */
  public static readonly AUTOMATION_SLEEP_SECONDS = 604_800;
  /** Longest timeout of one Automation step, in seconds (7 days). */
  public static readonly AUTOMATION_STEP_TIMEOUT_SECONDS = 604_800;

  private constructor() {}
}

/**
 * List prices (us-east-1, USD per month) used for cost estimates of the
 * operational resources cdk-opex creates.
 */
export class ListPrices {
  /** A standard-resolution metric alarm, per metric it evaluates. */
  public static readonly STANDARD_ALARM_PER_METRIC = 0.1;
  /** A high-resolution metric alarm, per metric it evaluates. */
  public static readonly HIGH_RESOLUTION_ALARM_PER_METRIC = 0.3;
  /** A composite alarm. */
  public static readonly COMPOSITE_ALARM = 0.5;
  /** A dashboard beyond the first three free ones in an account. */
  public static readonly DASHBOARD = 3;
  /** Dashboards CloudWatch does not charge for, per account. */
  public static readonly FREE_DASHBOARDS_PER_ACCOUNT = 3;
  /** Metrics an anomaly detection alarm is charged for: the metric and its two bounds. */
  public static readonly ANOMALY_DETECTION_METRICS = 3;
  /** A customer-managed KMS key (such as the alarm topic's). */
  public static readonly KMS_KEY = 1;

  private constructor() {}
}
