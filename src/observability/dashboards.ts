import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CompactWidget } from './compact-widget';
import { Limits } from '../core/limits';
import { invalidProp } from '../core/validate';

/** Widgets each dashboard spends on its summary row: a header and the health of its services. */
export const SUMMARY_WIDGETS = 2;

/** The alarms of the services on one dashboard, listed when the dashboard is rendered. */
class HealthSummaryWidget extends cloudwatch.ConcreteWidget {
  public readonly alarms: cloudwatch.IAlarm[] = [];

  constructor(private readonly title: string) {
    super(24, 3);
  }

  public toJson(): any[] {
    const common = { width: this.width, height: this.height, x: this.x, y: this.y };
    if (this.alarms.length === 0) {
      return [{ ...common, type: 'text', properties: { markdown: 'No service alarms on this dashboard yet.' } }];
    }
    return [{ ...common, type: 'alarm', properties: { title: this.title, alarms: this.alarms.map((a) => a.alarmArn) } }];
  }
}

interface Page {
  readonly dashboard: cloudwatch.Dashboard;
  /** What the dashboard is a child of: the hub, or a nested stack of placed services. */
  readonly container: Construct;
  readonly summary: HealthSummaryWidget;
  widgets: number;
}

/**
 * A row built when its dashboard is rendered, from what the stack holds by then (e.g. the
 * operations-health row, whose lines are the stack's services): empty, it takes no room
 * and renders nothing, so a dashboard without it is unchanged.
 */
class DeferredRow implements cloudwatch.IWidget {
  private built?: cloudwatch.IWidget;

  constructor(private readonly rows: OperationsDashboards) {}

  public get width(): number {
    return this.content()?.width ?? 0;
  }

  public get height(): number {
    return this.content()?.height ?? 0;
  }

  public position(x: number, y: number): void {
    this.content()?.position(x, y);
  }

  public toJson(): any[] {
    return this.content()?.toJson() ?? [];
  }

  private content(): cloudwatch.IWidget | undefined {
    const build = this.rows.operationsRow;
    if (!build) return undefined;
    this.built ??= new CompactWidget(new cloudwatch.Column(...build.build()));
    return this.built;
  }
}

/** What builds the row after every dashboard's summary. */
export interface OperationsRowSource {
  /** Widgets the row holds, at most this many. */
  readonly widgetCount: number;
  /** The row's widgets, built when the dashboard is rendered. */
  build(): cloudwatch.IWidget[];
}

/**
 * The stack's operations dashboards: each starts with a summary row (the health of
 * every service on it), then a section per service. A section that would pass
 * CloudWatch's widget limit, or the summary's alarm limit, starts the next dashboard,
 * so no dashboard CloudWatch would reject is ever emitted.
 */
export class OperationsDashboards {
  private readonly pages: Page[] = [];
  private readonly pinned: cloudwatch.IAlarm[] = [];
  private _operationsRow?: OperationsRowSource;

  constructor(private readonly scope: Construct, private readonly name: string) {}

  /** The dashboards, in order. */
  public get dashboards(): cloudwatch.Dashboard[] {
    return this.pages.map((p) => p.dashboard);
  }

  /** Adds a section; `summaryAlarms` (e.g. the service's health alarm) join its dashboard's summary row. */
  public addSection(widgets: cloudwatch.IWidget[], summaryAlarms: cloudwatch.IAlarm[], container: Construct = this.scope): cloudwatch.Dashboard {
    if (widgets.length > Limits.DASHBOARD_WIDGETS - SUMMARY_WIDGETS) {
      invalidProp(this.scope, 'widgets', `a section of ${widgets.length} widgets cannot fit on one dashboard `
        + `(limit ${Limits.DASHBOARD_WIDGETS}, ${SUMMARY_WIDGETS} of them for the summary row)`);
    }
    if (summaryAlarms.length > Limits.ALARM_STATUS_WIDGET_ALARMS) {
      invalidProp(this.scope, 'summaryAlarms', `at most ${Limits.ALARM_STATUS_WIDGET_ALARMS} alarms fit a dashboard's summary`);
    }
    // A section goes on the last dashboard of its container: a dashboard lives in the stack of the services it shows.
    let page = [...this.pages].reverse().find((p) => p.container === container);
    if (!page || page.widgets + widgets.length > Limits.DASHBOARD_WIDGETS
      || page.summary.alarms.length + summaryAlarms.length > Limits.ALARM_STATUS_WIDGET_ALARMS) {
      page = this.newPage(container);
    }
    page.dashboard.addWidgets(...widgets.map((w) => new CompactWidget(w)));
    page.widgets += widgets.length;
    page.summary.alarms.push(...summaryAlarms);
    return page.dashboard;
  }

  /** Shows `alarm` (e.g. the response dead-letter alarm) in the summary row of every dashboard, present and future. */
  public pinSummaryAlarm(alarm: cloudwatch.IAlarm): void {
    this.pinned.push(alarm);
    for (const page of this.pages) page.summary.alarms.unshift(alarm);
  }

  /** The row shown after every dashboard's summary (the operations-health row), once set. */
  public get operationsRow(): OperationsRowSource | undefined {
    return this._operationsRow;
  }

  /**
   * Shows `row` after the summary of every dashboard of the hub's own stack, present and
   * future. Dashboards of nested stacks do not show it: the row reads every service of the
   * stack, and a nested stack reading its siblings would make a cycle between them.
   */
  public setOperationsRow(row: OperationsRowSource): void {
    if (this._operationsRow) invalidProp(this.scope, 'operationsRow', 'the dashboards have an operations row already');
    for (const page of this.pages.filter((p) => p.container === this.scope)) {
      if (page.widgets + row.widgetCount > Limits.DASHBOARD_WIDGETS) {
        invalidProp(this.scope, 'operationsRow', `${page.dashboard.node.path} has no room for ${row.widgetCount} more widgets (limit ${Limits.DASHBOARD_WIDGETS})`);
      }
      page.widgets += row.widgetCount;
    }
    this._operationsRow = row;
    this.keepRowInStack();
  }

  /** With an operations row and only nested stacks' dashboards, the stack gets one dashboard of its own to show it. */
  private keepRowInStack(): void {
    if (this._operationsRow && this.pages.length > 0 && !this.pages.some((p) => p.container === this.scope)) this.newPage(this.scope);
  }

  private newPage(container: Construct): Page {
    const n = this.pages.length + 1;
    const name = n === 1 ? this.name : `${this.name}-${n}`;
    const id = n === 1 && container === this.scope ? 'Dashboard' : `Dashboard${n}`;
    const dashboard = new cloudwatch.Dashboard(container, id, { dashboardName: name });
    const summary = new HealthSummaryWidget(`${name}: service health`);
    dashboard.addWidgets(new cloudwatch.TextWidget({
      width: 24,
      height: 2,
      markdown: `# ${name}\nThe health of every service on this dashboard, then one section per service: `
        + 'traffic, errors, latency and saturation, with links to each service\'s runbook and deployments.',
    }), summary);
    summary.alarms.push(...this.pinned);
    const inStack = container === this.scope;
    if (inStack) dashboard.addWidgets(new DeferredRow(this));
    const page = { dashboard, container, summary, widgets: SUMMARY_WIDGETS + (inStack ? this._operationsRow?.widgetCount ?? 0 : 0) };
    this.pages.push(page);
    if (!inStack) this.keepRowInStack();
    return page;
  }
}

/** Links shown at the top of a service's dashboard section. */
export interface SectionLinks {
  readonly serviceName: string;
  readonly team?: string;
  readonly detectionSeconds: number;
  readonly rollout: string;
  readonly runbookUrl: string;
  readonly deploymentGroupUrl: string;
}

/** The top of a service's section. */
export interface SectionHeader {
  readonly serviceName: string;
  /** What the service is, in words, e.g. `SQS queue`. */
  readonly kindLabel: string;
  readonly team?: string;
  /** One line under the title: detection time, rollout, links. */
  readonly detail: string;
}

/** One graph of a section. */
export interface SectionGraph {
  readonly title: string;
  readonly left: cloudwatch.IMetric[];
  readonly right?: cloudwatch.IMetric[];
  readonly annotations?: cloudwatch.HorizontalAnnotation[];
}

/**
 * A service's dashboard section, the same shape for every kind: a header, its
 * graphs (three to a row) and the state of its alarms.
 */
export function serviceSection(header: SectionHeader, graphs: SectionGraph[], alarms: cloudwatch.IAlarm[]): cloudwatch.IWidget[] {
  const owner = header.team ? ` · team **${header.team}**` : '';
  return [
    new cloudwatch.TextWidget({ width: 24, height: 2, markdown: `## ${header.serviceName} (${header.kindLabel})${owner}\n${header.detail}` }),
    ...graphs.map((g) => new cloudwatch.GraphWidget({
      title: `${header.serviceName}: ${g.title}`,
      left: g.left,
      right: g.right ?? [],
      leftAnnotations: g.annotations ?? [],
      width: 8,
      height: 6,
    })),
    new cloudwatch.AlarmStatusWidget({ title: `${header.serviceName}: alarms`, alarms, width: 8, height: 6 }),
  ];
}
