import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { integerInRange, invalidProp, wholeDuration } from '../core/validate';

/** Longest maintenance window cdk-opex accepts, in minutes (a week: longer is not maintenance, it is an outage plan). */
const MAX_WINDOW_MINUTES = 7 * 24 * 60;

/** Properties of a {@link MaintenanceWindow}. */
export interface MaintenanceWindowProps {
  /** The paging alarms to mute (e.g. a service's `healthAlarm`): they keep evaluating, their actions do not run. */
  readonly alarms: cloudwatch.IAlarm[];
  /**
   * When a recurring window opens (e.g. `ScheduleExpression.cron({ minute: '0', hour: '2', weekDay: 'SUN' })`);
   * give it with `duration`, or give `startsAt` and `endsAt` for a one-off window.
   * @default - a one-off window
   */
  readonly recurrence?: cloudwatch.ScheduleExpression;
  /**
   * How long a recurring window stays open: whole minutes, up to a week.
   * @default - required with `recurrence`
   */
  readonly duration?: Duration;
  /**
   * Start of a one-off window (UTC).
   * @default - a recurring window
   */
  readonly startsAt?: cloudwatch.CalendarDateTime;
  /**
   * End of a one-off window (UTC), after its start and at most a week later.
   * @default - a recurring window
   */
  readonly endsAt?: cloudwatch.CalendarDateTime;
  /**
   * What the window is for, shown with the mute rule.
   * @default - says which alarms it mutes
   */
  readonly description?: string;
}

/**
 * A planned maintenance window: CloudWatch's alarm mute rule keeps the given paging
 * alarms from acting (nobody is paged) while it is open; they keep evaluating, so the
 * dashboards and the operations log still show what happened.
 */
export class MaintenanceWindow extends Construct {
  /** The mute rule. */
  public readonly muteRule: cloudwatch.AlarmMuteRule;
  /** How long the window stays open, in minutes. */
  public readonly durationMinutes: number;

  constructor(scope: Construct, id: string, props: MaintenanceWindowProps) {
    super(scope, id);
    if (props.alarms.length === 0) invalidProp(this, 'alarms', 'name at least one alarm to mute');
    const oneOff = props.startsAt !== undefined || props.endsAt !== undefined;
    if (oneOff === (props.recurrence !== undefined)) {
      invalidProp(this, 'recurrence', 'give either recurrence with duration (a recurring window) or startsAt and endsAt (a one-off window)');
    }
    let schedule: cloudwatch.ScheduleExpression;
    if (oneOff) {
      if (!props.startsAt || !props.endsAt) invalidProp(this, props.startsAt ? 'endsAt' : 'startsAt', 'a one-off window needs both startsAt and endsAt');
      if (props.duration !== undefined) invalidProp(this, 'duration', 'a one-off window lasts from startsAt to endsAt; give no duration');
      const minutes = (utcMillis(this, 'endsAt', props.endsAt) - utcMillis(this, 'startsAt', props.startsAt)) / 60_000;
      if (minutes <= 0) invalidProp(this, 'endsAt', 'must be after startsAt');
      this.durationMinutes = integerInRange(this, 'endsAt', minutes, 1, MAX_WINDOW_MINUTES, 'minutes after startsAt');
      schedule = cloudwatch.ScheduleExpression.at(props.startsAt);
    } else {
      if (props.duration === undefined) invalidProp(this, 'duration', 'a recurring window needs a duration');
      this.durationMinutes = wholeDuration(this, 'duration', props.duration, 'minutes', 1, MAX_WINDOW_MINUTES);
      schedule = props.recurrence!;
    }
    this.muteRule = new cloudwatch.AlarmMuteRule(this, 'MuteRule', {
      description: props.description ?? `cdk-opex maintenance window: mutes ${props.alarms.length} paging alarm(s) while open`,
      schedule,
      duration: Duration.minutes(this.durationMinutes),
      alarms: props.alarms,
    });
  }
}

/** A calendar date-time (UTC) in milliseconds, its fields checked. */
function utcMillis(scope: Construct, prop: string, t: cloudwatch.CalendarDateTime): number {
  integerInRange(scope, prop, t.year, 2000, 9999, 'years');
  integerInRange(scope, prop, t.month, 1, 12, 'months');
  integerInRange(scope, prop, t.day, 1, 31, 'days');
  integerInRange(scope, prop, t.hour, 0, 23, 'hours');
  integerInRange(scope, prop, t.minute, 0, 59, 'minutes');
  const ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  if (new Date(ms).getUTCDate() !== t.day) invalidProp(scope, prop, `${t.year}-${t.month}-${t.day} is not a date`);
  return ms;
}
