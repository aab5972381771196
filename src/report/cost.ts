import { ReadinessCost, ReadinessCostLine, ReadinessPrices } from './model';
import { ListPrices } from '../core/limits';

const KMS_KEY_MONTHLY_USD = ListPrices.KMS_KEY;
const ANOMALY_DETECTION_METRICS = ListPrices.ANOMALY_DETECTION_METRICS;
const FREE_DASHBOARDS_PER_ACCOUNT = ListPrices.FREE_DASHBOARDS_PER_ACCOUNT;

/** Prices in integer cents, so sums are exact. */
const CENTS = {
  standard: Math.round(ListPrices.STANDARD_ALARM_PER_METRIC * 100),
  highResolution: Math.round(ListPrices.HIGH_RESOLUTION_ALARM_PER_METRIC * 100),
  composite: Math.round(ListPrices.COMPOSITE_ALARM * 100),
  dashboard: Math.round(ListPrices.DASHBOARD * 100),
  kmsKey: Math.round(KMS_KEY_MONTHLY_USD * 100),
};

export function prices(): ReadinessPrices {
  return {
    standardAlarmPerMetric: ListPrices.STANDARD_ALARM_PER_METRIC,
    highResolutionAlarmPerMetric: ListPrices.HIGH_RESOLUTION_ALARM_PER_METRIC,
    anomalyDetectionMetrics: ANOMALY_DETECTION_METRICS,
    compositeAlarm: ListPrices.COMPOSITE_ALARM,
    dashboard: ListPrices.DASHBOARD,
    freeDashboardsPerAccount: FREE_DASHBOARDS_PER_ACCOUNT,
    kmsKey: KMS_KEY_MONTHLY_USD,
  };
}

export function centsToUsd(cents: number): number {
  return Math.round(cents) / 100;
}

/** What a cost estimate is made of. */
export interface Charged {
  readonly alarms: Array<{ id: string; alarmType: string; chargedMetrics: number; highResolution: boolean }>;
  readonly dashboards: string[];
  readonly kmsKeys: string[];
}

/** A cost estimate with one line per kind of charge; empty lines are left out. */
export function estimate(charged: Charged): ReadinessCost {
  const lines: Array<{ item: string; quantity: number; unitCents: number; resources: string[] }> = [];
  const add = (item: string, unitCents: number, entries: Array<{ id: string; quantity: number }>): void => {
    if (entries.length === 0) return;
    lines.push({ item, unitCents, quantity: entries.reduce((s, e) => s + e.quantity, 0), resources: entries.map((e) => e.id) });
  };
  const metricAlarms = charged.alarms.filter((a) => a.alarmType !== 'composite' && a.alarmType !== 'anomaly');
  add('standard-alarm-metrics', CENTS.standard, metricAlarms.filter((a) => !a.highResolution).map((a) => ({ id: a.id, quantity: a.chargedMetrics })));
  add('high-resolution-alarm-metrics', CENTS.highResolution, metricAlarms.filter((a) => a.highResolution).map((a) => ({ id: a.id, quantity: a.chargedMetrics })));
  const anomaly = charged.alarms.filter((a) => a.alarmType === 'anomaly');
  add('anomaly-detection-alarm-metrics', CENTS.standard, anomaly.filter((a) => !a.highResolution).map((a) => ({ id: a.id, quantity: a.chargedMetrics })));
  add('high-resolution-anomaly-detection-alarm-metrics', CENTS.highResolution, anomaly.filter((a) => a.highResolution).map((a) => ({ id: a.id, quantity: a.chargedMetrics })));
  add('composite-alarms', CENTS.composite, charged.alarms.filter((a) => a.alarmType === 'composite').map((a) => ({ id: a.id, quantity: 1 })));
  add('dashboards', CENTS.dashboard, charged.dashboards.map((id) => ({ id, quantity: 1 })));
  add('kms-keys', CENTS.kmsKey, charged.kmsKeys.map((id) => ({ id, quantity: 1 })));
  const out: ReadinessCostLine[] = lines.map((l) => ({
    item: l.item,
    quantity: l.quantity,
    unitUsd: centsToUsd(l.unitCents),
    monthlyUsd: centsToUsd(l.quantity * l.unitCents),
    resources: l.resources,
  }));
  const cents = lines.reduce((s, l) => s + l.quantity * l.unitCents, 0);
  return { monthlyUsd: centsToUsd(cents), lines: out };
}

/** Cents of an estimate, for exact sums across stacks. */
export function costCents(cost: ReadinessCost): number {
  return Math.round(cost.monthlyUsd * 100);
}

/** Cents of the free dashboards an account gets, over `dashboards` dashboards. */
export function freeDashboardCents(dashboards: number): number {
  return Math.min(dashboards, FREE_DASHBOARDS_PER_ACCOUNT) * CENTS.dashboard;
}
