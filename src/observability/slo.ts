import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { checkActionCount, createCompositeAlarm, createMetricAlarm } from './alarm-factory';
import { AlarmPolicy, AlarmSeverity } from './alarm-policy';
import { SloIndicator } from './slo-indicator';
import { validateAlarmWindow, validateTarget } from './slo-validation';
import { adjective, formatNumber, isoDuration, percent, round, round1, shortLabel, words } from './slo-words';
import { ownershipName } from '../core/ownership';
import { invalidProp, literalMillis, matchingString, positiveNumber } from '../core/validate';
import { OperationsHub } from '../hub/operations-hub';
import { respondToPage } from '../runbooks/page-response';

/** Bounds of an SLO window: the workbook's burn rates are meant for windows of weeks. */
const MIN_WINDOW_DAYS = 7;
const MAX_WINDOW_DAYS = 90;
/**
 * Highest error ratio a default alert waits for: the default burn rates are lowered,
 * for low targets, until a burn fires by the time 90% of events are bad (at 14.4x that
 * is targets below 93.75%; above 93.06% 14.4x could never fire at all).
 */
const MAX_DEFAULT_ERROR_RATIO = 0.9;

export * from './slo-indicator';

/** Who an alert tier wakes. */
export enum BurnRateSeverity {
  /** Page the on-call now: the budget will be gone within days. */
  PAGE = 'page',
  /** Open a ticket: the budget will run out before the window ends. */
  TICKET = 'ticket',
}

/**
 * One multiwindow burn-rate alert: fires when the error budget burns at `burnRate`
 * times the sustainable rate over both the long window and the short one (the short
 * window makes it reset soon after the burn stops).
 */
export interface BurnRateAlert {
  /** Which composite alarm the pair feeds. */
  readonly severity: BurnRateSeverity;
  /** Multiple of the sustainable burn (error ratio / error budget) that fires. */
  readonly burnRate: number;
  /** The window that shows the burn is significant, e.g. 1 hour. A whole number of minutes, at most 7 days. */
  readonly longWindow: Duration;
  /** The window that confirms the burn is still going on, e.g. 5 minutes; shorter than `longWindow`. */
  readonly shortWindow: Duration;
}

/** Properties of a {@link ServiceLevelObjective}. */
export interface ServiceLevelObjectiveProps {
  /** The service the objective is for; it goes into alarm names and descriptions. */
  readonly serviceName: string;
  /** What is measured: `SloIndicator.availability(...)`, `SloIndicator.latencyPercentile(...)`, ... */
  readonly indicator: SloIndicator;
  /**
   * Percent of events that must be good over the window, e.g. 99.9; above 50 and below 100.
   * With the default alerts, a low target gets lower burn rates (see `defaultAlerts`).
   */
  readonly target: number;
  /**
   * The window the objective (and its error budget) is measured over: whole days
   * from 7 to 90, a multiple of every alert window.
   * @default Duration.days(28)
   */
  readonly window?: Duration;
  /**
   * Name of the objective in alarm names, e.g. `checkout-latency`: 1-64 letters, digits,
   * - or _, starting with a letter or digit; unique per service in a stack.
   * @default - the indicator's kind: `availability` or `latency`
   */
  readonly name?: string;
  /**
   * The burn-rate alerts, in page and ticket tiers; at least one must page. Each burn
   * rate times the error budget must stay below 1 (an error ratio above 100% never happens).
   * @default ServiceLevelObjective.defaultAlerts(target): DEFAULT_ALERTS (page 14.4x over 1 h and 5 min, or 6x over 6 h and 30 min; ticket 3x over 1 day and 2 h), each burn rate lowered to at most 0.9 / error budget for targets below 93.75
   */
  readonly burnRateAlerts?: BurnRateAlert[];
  /**
   * What the page alarm does; `[]` for nothing (e.g. when a health alarm pages for it). At most 5.
   * @default - the AlarmPolicy's critical actions (the stack's alarm topic unless set)
   */
  readonly pageActions?: cloudwatch.IAlarmAction[];
  /**
   * What the ticket alarm does. At most 5.
   * @default - the AlarmPolicy's warning actions (an OpsItem unless set)
   */
  readonly ticketActions?: cloudwatch.IAlarmAction[];
  /**
   * Whether to add the error-budget widgets to the stack's operations dashboard (and
   * the page alarm to its service-health summary).
   * @default true
   */
  readonly addToDashboard?: boolean;
}

/**
 * A service level objective with multiwindow, multi-burn-rate alerts (The Site
 * Reliability Workbook, "Alerting on SLOs"): one metric-math alarm per window, whose
 * value is the burn rate (error ratio / error budget), ANDed in pairs and ORed per tier
 * by one composite alarm per tier, which alone carries actions.
 *
 * Why no fewer alarms: a metric alarm evaluates all its metrics at one period, so each
 * window is its own alarm; only a composite can require two windows at once.
 */
export class ServiceLevelObjective extends Construct {
  /**
   * The workbook's page tiers (2% and 5% of a 30-day budget) and a ticket tier of 3x
   * over 1 day (10% of a 30-day budget, as the workbook's 1x over 3 days) whose windows
   * divide a 28-day window and stay within the one-day evaluation span of sub-hour alarms.
   */
  public static readonly DEFAULT_ALERTS: BurnRateAlert[] = [
    { severity: BurnRateSeverity.PAGE, burnRate: 14.4, longWindow: Duration.hours(1), shortWindow: Duration.minutes(5) },
    { severity: BurnRateSeverity.PAGE, burnRate: 6, longWindow: Duration.hours(6), shortWindow: Duration.minutes(30) },
    { severity: BurnRateSeverity.TICKET, burnRate: 3, longWindow: Duration.days(1), shortWindow: Duration.hours(2) },
  ];

  /**
   * The default alerts for a target: DEFAULT_ALERTS, with each burn rate lowered (to two
   * decimals) where it would need more than 90% of events to be bad. A 90% target's
   * budget is 10%, so 14.4x (144% errors) could never fire; it pages at 9x instead.
   */
  public static defaultAlerts(target: number): BurnRateAlert[] {
    const budget = round((100 - validateTarget('ServiceLevelObjective.defaultAlerts', target)) / 100);
    const highest = Math.floor((MAX_DEFAULT_ERROR_RATIO / budget) * 100) / 100;
    return ServiceLevelObjective.DEFAULT_ALERTS.map((a) => ({ ...a, burnRate: Math.min(a.burnRate, highest) }));
  }

  /** Percent of events that must be good, e.g. 99.9. */
  public readonly target: number;
  /** Share of events that may be bad over the window, e.g. 0.001 for 99.9%. */
  public readonly errorBudget: number;
  /** The window the objective is measured over. */
  public readonly window: Duration;
  /** The burn-rate alerts in force. */
  public readonly burnRateAlerts: BurnRateAlert[];
  /** Composite alarm that pages: any page-tier pair burning. */
  public readonly pageAlarm: cloudwatch.CompositeAlarm;
  /** Composite alarm for slower burns, if any alert is a ticket. */
  public readonly ticketAlarm?: cloudwatch.CompositeAlarm;
  /** The metric-math alarms, one per distinct window and burn rate; they take the policy's INFO actions and page no one. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** Error budget remaining and SLI over the window, burn rates, and the alert states. */
  public readonly widgets: cloudwatch.IWidget[];

  private readonly indicator: SloIndicator;
  private readonly serviceName: string;
  private readonly objectiveName: string;

  constructor(scope: Construct, id: string, props: ServiceLevelObjectiveProps) {
    super(scope, id);
    this.serviceName = ownershipName(this, 'serviceName', props.serviceName);
    this.objectiveName = matchingString(this, 'name', props.name ?? props.indicator.kind, /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
      '1-64 letters, digits, - or _, starting with a letter or digit');
    this.indicator = props.indicator;
    this.target = validateTarget(this, props.target);
    this.errorBudget = round((100 - this.target) / 100);
    this.burnRateAlerts = props.burnRateAlerts ?? ServiceLevelObjective.defaultAlerts(this.target);
    this.validateAlerts();
    for (const prop of ['pageActions', 'ticketActions'] as const) {
      checkActionCount(this, prop, props[prop]?.length ?? 0, prop);
    }
    this.window = props.window ?? Duration.days(28);
    this.validateWindow();

    const hub = OperationsHub.of(this);
    const policy = AlarmPolicy.of(this);
    const signal = `slo-${this.objectiveName}`;
    const windowAlarm = this.createWindowAlarms(signal);

    const tier = (severity: BurnRateSeverity): cloudwatch.CompositeAlarm | undefined => {
      const alerts = this.burnRateAlerts.filter((a) => a.severity === severity);
      if (alerts.length === 0) return undefined;
      const rule = cloudwatch.AlarmRule.anyOf(...alerts.map((a) => cloudwatch.AlarmRule.allOf(
        cloudwatch.AlarmRule.fromAlarm(windowAlarm(a, a.longWindow), cloudwatch.AlarmState.ALARM),
        cloudwatch.AlarmRule.fromAlarm(windowAlarm(a, a.shortWindow), cloudwatch.AlarmState.ALARM),
      )));
      const alarmSeverity = severity === BurnRateSeverity.PAGE ? AlarmSeverity.CRITICAL : AlarmSeverity.WARNING;
      const actions = severity === BurnRateSeverity.PAGE ? props.pageActions : props.ticketActions;
      const alarm = createCompositeAlarm(this, {
        id: severity === BurnRateSeverity.PAGE ? 'PageAlarm' : 'TicketAlarm',
        serviceName: this.serviceName,
        signal,
        severity: alarmSeverity,
        description: this.tierDescription(severity, alerts),
        nameProp: 'name',
        actions,
      }, rule);
      if (!actions) {
        if (alarmSeverity === AlarmSeverity.CRITICAL && policy.pages(alarmSeverity)) {
          respondToPage(this, 'OnPage', alarm, {
            title: `${this.serviceName} is burning its ${this.objectiveName} error budget`,
            description: this.tierDescription(severity, alerts),
            dedupString: `cdk-opex:${this.serviceName}:${signal}`,
          });
        }
      }
      return alarm;
    };
    this.pageAlarm = tier(BurnRateSeverity.PAGE)!;
    this.ticketAlarm = tier(BurnRateSeverity.TICKET);

    hub.registerObjective(this.serviceName, {
      target: this.target, windowDays: this.window.toDays(), alerts: this.describeAlerts(), pageAlarm: this.pageAlarm,
    });

    this.widgets = this.createWidgets();
    // The page alarm joins the dashboard's service-health summary: it is what pages.
    if (props.addToDashboard ?? true) hub.addDashboardSection(this.widgets, [this.pageAlarm], this);
  }

  /** The alerts in words, e.g. `page: 14.4x over 1h and 5m, or 6x over 6h and 30m; ticket: 3x over 1d and 2h`. */
  public describeAlerts(): string {
    return [BurnRateSeverity.PAGE, BurnRateSeverity.TICKET]
      .map((severity) => [severity, this.burnRateAlerts.filter((a) => a.severity === severity)] as const)
      .filter(([, alerts]) => alerts.length)
      .map(([severity, alerts]) => `${severity}: ${alerts
        .map((a) => `${a.burnRate}x over ${shortLabel(a.longWindow)} and ${shortLabel(a.shortWindow)}`).join(', or ')}`)
      .join('; ');
  }

  /** The burn rate (error ratio / error budget) over windows of `window`; 1 spends the budget exactly by the window's end. */
  public burnRate(window: Duration): cloudwatch.MathExpression {
    if (literalMillis(this, 'window', window) % 60_000 !== 0 || window.toSeconds() <= 0) {
      invalidProp(this, 'window', `a burn-rate window must be a whole number of minutes (got ${window.toSeconds()} s)`);
    }
    return new cloudwatch.MathExpression({
      expression: `errorRatio_${shortLabel(window)} / ${formatNumber(this.errorBudget)}`,
      usingMetrics: { [`errorRatio_${shortLabel(window)}`]: this.indicator._errorRatio(window) },
      period: window,
      label: `burn rate over ${words(window)}`,
    });
  }

  /** Makes one alarm per distinct (window, burn rate); returns the lookup. */
  private createWindowAlarms(signal: string): (alert: BurnRateAlert, window: Duration) => cloudwatch.Alarm {
    const made = new Map<string, cloudwatch.Alarm>();
    const keyOf = (a: BurnRateAlert, w: Duration) => `${w.toSeconds()}@${a.burnRate}`;
    const pairs = this.burnRateAlerts.flatMap((a) => [{ a, w: a.longWindow, long: true }, { a, w: a.shortWindow, long: false }]);
    const distinct = pairs.filter((p, i) => pairs.findIndex((q) => keyOf(q.a, q.w) === keyOf(p.a, p.w)) === i);
    for (const { a, w, long } of distinct) {
      const label = shortLabel(w);
      // A window used at two burn rates needs the rate in its name to stay unique.
      const shared = distinct.some((q) => q.w.toSeconds() === w.toSeconds() && q.a.burnRate !== a.burnRate);
      const suffix = shared ? `-${a.burnRate}x` : '';
      const alarm = createMetricAlarm(this, {
        id: `Burn${label}${suffix.replace('.', '_')}`,
        serviceName: this.serviceName,
        signal: `${signal}-${label}${suffix}`,
        severity: AlarmSeverity.INFO,
        description: this.windowDescription(a, w, long),
        nameProp: 'name',
      }, {
        metric: this.burnRate(w),
        threshold: a.burnRate,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // One datapoint whose period is the whole window: the ratio over the window, not N sub-windows.
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      made.set(keyOf(a, w), alarm);
      this.alarms.push(alarm);
    }
    return (a, w) => made.get(keyOf(a, w))!;
  }

  private createWidgets(): cloudwatch.IWidget[] {
    const title = `${this.serviceName} ${this.objectiveName} SLO`;
    const overWindow = this.indicator._errorRatio(this.window);
    const budget = new cloudwatch.SingleValueWidget({
      title: `${title}: ${this.target}% over the last ${words(this.window)}`,
      metrics: [
        new cloudwatch.MathExpression({
          expression: '100 * (1 - errorRatio)',
          usingMetrics: { errorRatio: overWindow },
          period: this.window,
          label: `SLI % (${this.indicator.goodEvents}; target ${this.target})`,
        }),
        new cloudwatch.MathExpression({
          expression: `100 * (1 - errorRatio / ${formatNumber(this.errorBudget)})`,
          usingMetrics: { errorRatio: overWindow },
          period: this.window,
          label: 'Error budget remaining %',
        }),
      ],
      setPeriodToTimeRange: true,
      start: `-${isoDuration(this.window)}`,
      width: 8,
      height: 6,
    });
    const longWindows = this.burnRateAlerts.map((a) => a.longWindow)
      .filter((w, i, all) => all.findIndex((x) => x.toSeconds() === w.toSeconds()) === i);
    const burn = new cloudwatch.GraphWidget({
      title: `${title}: burn rate (1 = budget lasts the window)`,
      left: longWindows.map((w) => this.burnRate(w)),
      leftAnnotations: this.burnRateAlerts.map((a) => ({
        value: a.burnRate,
        label: `${a.severity} at ${a.burnRate}x over ${shortLabel(a.longWindow)}`,
      })),
      leftYAxis: { min: 0 },
      start: '-P7D',
      width: 8,
      height: 6,
    });
    const states = new cloudwatch.AlarmStatusWidget({
      title: `${title}: alerts`,
      alarms: [this.pageAlarm, ...(this.ticketAlarm ? [this.ticketAlarm] : [])],
      width: 8,
      height: 6,
    });
    return [budget, burn, states];
  }

  private validateAlerts(): void {
    const alerts = this.burnRateAlerts;
    if (alerts.length === 0 || !alerts.some((a) => a.severity === BurnRateSeverity.PAGE)) {
      invalidProp(this, 'burnRateAlerts', 'needs at least one alert of severity PAGE');
    }
    alerts.forEach((a, i) => {
      const at = `burnRateAlerts[${i}]`;
      positiveNumber(this, `${at}.burnRate`, a.burnRate, 'x the sustainable burn');
      const errorRatio = a.burnRate * this.errorBudget;
      if (errorRatio >= 1) {
        invalidProp(this, `${at}.burnRate`,
          `a burn rate of ${a.burnRate}x on a ${percent(this.errorBudget)} error budget needs an error ratio of ${percent(errorRatio)}, `
          + `so the alert could never fire; lower the burn rate below ${formatNumber(round(1 / this.errorBudget))} or raise the target`);
      }
      const long = validateAlarmWindow(this, `${at}.longWindow`, a.longWindow);
      const short = validateAlarmWindow(this, `${at}.shortWindow`, a.shortWindow);
      if (short >= long) {
        invalidProp(this, `${at}.shortWindow`, `must be shorter than longWindow (${words(a.shortWindow)} is not shorter than ${words(a.longWindow)})`);
      }
    });
  }

  private validateWindow(): void {
    const ms = literalMillis(this, 'window', this.window);
    const days = ms / Duration.days(1).toMilliseconds();
    if (!Number.isInteger(days) || days < MIN_WINDOW_DAYS || days > MAX_WINDOW_DAYS) {
      invalidProp(this, 'window', `must be a whole number of days from ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS} (got ${words(this.window)})`);
    }
    for (const w of this.burnRateAlerts.flatMap((a) => [a.longWindow, a.shortWindow])) {
      if (ms % w.toMilliseconds() !== 0) {
        invalidProp(this, 'window', `must be a multiple of every alert window; ${words(this.window)} is not a multiple of ${words(w)}`);
      }
    }
  }

  private get objective(): string {
    return `${this.serviceName} ${this.objectiveName} SLO (${this.target}% of ${this.indicator.goodEvents} over ${words(this.window)})`;
  }

  /** How long the whole budget lasts at `burnRate`, in words. */
  private exhaustion(burnRate: number): string {
    const hours = this.window.toHours() / burnRate;
    return hours < 48 ? `${round1(hours)} hours` : `${round1(hours / 24)} days`;
  }

  private windowDescription(a: BurnRateAlert, w: Duration, long: boolean): string {
    const partner = long ? a.shortWindow : a.longWindow;
    const spent = (a.burnRate * a.longWindow.toSeconds()) / this.window.toSeconds();
    return `${this.objective}: the error budget burned at ${a.burnRate}x or more over the last ${words(w)} `
      + `(error ratio at least ${percent(a.burnRate * this.errorBudget)}). `
      + `At ${a.burnRate}x the budget is gone within ${this.exhaustion(a.burnRate)}`
      + (long ? `; ${percent(spent)} of it is spent in ${words(w)}. ` : '. ')
      + `No action of its own: the ${a.severity} alarm fires when this alarm and the one over ${words(partner)} are both in ALARM.`;
  }

  private tierDescription(severity: BurnRateSeverity, alerts: BurnRateAlert[]): string {
    const pairs = alerts.map((a) => `${a.burnRate}x over ${words(a.longWindow)} (still over the last ${words(a.shortWindow)})`).join(', or ');
    const fastest = Math.max(...alerts.map((a) => a.burnRate));
    const impact = `At ${fastest}x the ${adjective(this.window)} error budget is gone within ${this.exhaustion(fastest)}.`;
    return severity === BurnRateSeverity.PAGE
      ? `${this.objective} is burning its error budget fast: ${pairs}. ${impact} `
        + 'Act now: check recent deployments, configuration changes and dependencies; roll back or shed the failing traffic. '
        + 'The error-budget widgets on the operations dashboard show the burn.'
      : `${this.objective} is burning its error budget faster than the window allows: ${pairs}. ${impact} `
        + 'Not urgent, but before the budget runs out: find the cause (a slow regression, a flaky dependency, '
        + 'a capacity limit) in working hours and fix it or slow releases down.';
  }
}
