import {
  OperationalReadiness, ReadinessCost, ReadinessMaintenanceWindow, ReadinessResponses, ReadinessService, ReadinessStack, WellArchitectedRow,
} from './model';
import { NOT_MET } from './well-architected';

/** The report as JSON; absent values are written `null`. */
export function renderJson(report: OperationalReadiness): string {
  return `${JSON.stringify(report, (_key, value) => (value === undefined ? null : value), 2)}\n`;
}

const STATUS_ORDER: Record<string, number> = { 'not met': 0, 'met': 1, 'not applicable': 2 };

/** Rows with the failing ones first, the report's order otherwise. */
export function failingFirst(rows: WellArchitectedRow[]): WellArchitectedRow[] {
  return rows.map((row, i) => ({ row, i }))
    .sort((a, b) => (STATUS_ORDER[a.row.status] ?? 3) - (STATUS_ORDER[b.row.status] ?? 3) || a.i - b.i)
    .map((x) => x.row);
}

/** Services with the most findings first. */
function byFindings(services: ReadinessService[]): ReadinessService[] {
  return services.map((s, i) => ({ s, i })).sort((a, b) => b.s.findings.length - a.s.findings.length || a.i - b.i).map((x) => x.s);
}

export function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

function detectionText(s: ReadinessService): string {
  return s.detection.seconds === undefined || s.detection.seconds === null ? 'never (nothing pages)' : `${s.detection.seconds} s`;
}

function deploymentText(s: ReadinessService): string {
  if (!s.deployment.applicable) return 'n/a';
  return s.deployment.strategy ?? 'unknown';
}

function rollbackText(s: ReadinessService): string {
  if (!s.deployment.applicable) return 'n/a';
  if (!s.deployment.rollbackOnAlarm) return 'no';
  const judged = s.deployment.rollbackJudgesNewVersion ? ', judging the new version' : '';
  return `yes (${s.deployment.rollbackAlarms.length} alarms${judged})`;
}

/** What the rollback watches, how soon it fires and what canary failure it catches, in words; empty when nothing rolls back. */
function rollbackDetail(s: ReadinessService): string {
  const d = s.deployment;
  if (!d.applicable || !d.rollbackOnAlarm || d.rollbackWatches === undefined || d.rollbackWatches === null) return '';
  const soon = typeof d.rollbackSeconds === 'number' ? `, fires within ${d.rollbackSeconds} s` : '';
  const share = d.canaryFailurePercentRolledBack;
  const caught = typeof share !== 'number' ? ''
    : share > 100 ? '; no canary failure rolls it back (its error rate is diluted by the old version\'s traffic)'
      : `; rolls back a new version failing ${share}% of its requests or more`;
  return `rollback watches ${d.rollbackWatches}${soon}${caught}`;
}

function ownerText(s: ReadinessService): string {
  return s.owner.team ? `team ${s.owner.team}` : 'none';
}

function alarmText(s: ReadinessService): string {
  return `${s.alarms.count} (${s.alarms.paging} page)`;
}

function costLineText(cost: ReadinessCost): string[] {
  return cost.lines.map((l) => `${l.item}: ${l.quantity} x ${usd(l.unitUsd)} = ${usd(l.monthlyUsd)}`);
}

/** One-screen summary, as the CLI prints it. */
export function renderSummary(report: OperationalReadiness): string {
  const lines: string[] = [];
  const s = report.summary;
  lines.push(`cdk-opex readiness: ${s.stacks} stack(s), ${s.services} service(s), ${s.findings} finding(s), `
    + `${usd(s.monthlyUsd)}/month at list prices (${usd(s.monthlyUsdBeyondFreeTier)} if the 3 free dashboards are unused)`);
  for (const stack of report.stacks) {
    lines.push('', `${stack.stackName}: ${stack.services.length} service(s), ${stack.findings} finding(s), ${usd(stack.cost.monthlyUsd)}/month`
      + `${stack.catalog ? ' (cdk-opex catalog)' : ''}`);
    for (const svc of byFindings(stack.services)) {
      lines.push(`  ${svc.name} (${svc.kind}, ${ownerText(svc)}): alarms ${alarmText(svc)}, outage detected ${detectionText(svc)}, `
        + `deploy ${deploymentText(svc)}, rollback on alarm ${rollbackText(svc)}, runbooks ${svc.runbooks.length}, `
        + `game days ${svc.gameDays.length || 'none'}, ${usd(svc.cost.monthlyUsd)}/month`);
      lines.push(`    ${svc.findings.length ? `not met: ${svc.findings.join(', ')}` : 'every best practice met'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function mdCell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function mdTable(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ];
}

const MD_STATUS: Record<string, string> = { 'not met': '❌ not met', 'met': '✅ met', 'not applicable': '➖ n/a' };

/** The report in Markdown: findings first, then per stack and per service. */
export function renderMarkdown(report: OperationalReadiness): string {
  const out: string[] = ['# Operational readiness', ''];
  const s = report.summary;
  out.push(`${s.stacks} stack(s), ${s.services} service(s), **${s.findings} finding(s)**. Operational resources cost about `
    + `**${usd(s.monthlyUsd)}/month** at list prices (${usd(s.monthlyUsdBeyondFreeTier)} if the account's 3 free dashboards are unused).`, '');

  const findings = allFindings(report);
  out.push('## Findings', '');
  if (findings.length === 0) out.push('None: every service meets every best practice the report checks.', '');
  else out.push(...mdTable(['Stack', 'Service', 'Best practice', 'Why'], findings.map((f) => [f.stack, f.service, `${f.row.id} ${f.row.title}`, f.row.reason])), '');

  for (const stack of report.stacks) {
    out.push(`## Stack ${stack.stackName}`, '');
    out.push(`${stack.services.length} service(s), ${stack.findings} finding(s), ${stack.resources} resources, `
      + `${usd(stack.cost.monthlyUsd)}/month${stack.catalog ? '; cdk-opex catalog present' : ''}.`, '');
    if (stack.responses) out.push(responsesLine(stack.responses), '');
    if (stack.maintenanceWindows) out.push(maintenanceLine(stack.maintenanceWindows), '');
    out.push(...mdTable(
      ['Service', 'Kind', 'Owner', 'Alarms (paging)', 'Outage detected', 'Deployment', 'Rollback on alarm', 'Runbooks', 'Game days', 'Findings', 'Cost/month'],
      byFindings(stack.services).map((svc) => [svc.name, svc.kind, ownerText(svc), alarmText(svc), detectionText(svc), deploymentText(svc),
        rollbackText(svc), String(svc.runbooks.length), svc.gameDays.length ? String(svc.gameDays.length) : 'none', String(svc.findings.length), usd(svc.cost.monthlyUsd)]),
    ), '');
    if (stack.cost.lines.length) {
      out.push('Cost of the stack\'s operational resources:', '');
      out.push(...mdTable(['Item', 'Quantity', 'Unit', 'Per month'], stack.cost.lines.map((l) => [l.item, String(l.quantity), usd(l.unitUsd), usd(l.monthlyUsd)])), '');
    }
    for (const svc of byFindings(stack.services)) out.push(...markdownService(svc));
  }
  return `${out.join('\n')}\n`;
}

function markdownService(svc: ReadinessService): string[] {
  const out = [`### ${svc.name} (${svc.kind})`, ''];
  out.push(`- Resource: \`${svc.logicalId}\` (${svc.resourceType})${svc.constructPath ? ` at \`${svc.constructPath}\`` : ''}; found from the ${svc.source}`);
  out.push(`- Owner: ${svc.owner.team ? `team ${svc.owner.team}` : 'no team tag'}${svc.owner.service ? `, service tag ${svc.owner.service}` : ''}`);
  out.push(`- Alarms: ${svc.alarms.count}, ${svc.alarms.paging} page${svc.alarms.items.length ? ':' : ''}`);
  for (const a of svc.alarms.items) {
    const name = a.alarmName ? (a.consoleUrl ? `[${a.alarmName}](${a.consoleUrl}) ` : `${a.alarmName} `) : '';
    out.push(`  - ${name}\`${a.logicalId}\` (${a.alarmType}${a.pages ? `, pages: ${a.actions.join(', ')}` : a.actions.length ? `, actions: ${a.actions.join(', ')}` : ', no action'})`);
  }
  out.push(`- Total outage detected: ${detectionText(svc)} (${svc.detection.basis})`);
  out.push(`- Deployment: ${deploymentText(svc)}${svc.deployment.deploymentGroup ? ` via \`${svc.deployment.deploymentGroup}\`` : ''}; rollback on alarm: ${rollbackText(svc)}`);
  if (rollbackDetail(svc)) out.push(`- Rollback: ${rollbackDetail(svc)}`);
  out.push(`- Runbooks: ${svc.runbooks.length ? '' : 'none'}`);
  for (const r of svc.runbooks) {
    const name = r.documentName === r.document ? '' : r.consoleUrl ? `[${r.documentName}](${r.consoleUrl}) ` : `${r.documentName} `;
    out.push(`  - ${name}\`${r.document}\`, started by ${r.trigger}`);
  }
  out.push(`- Game days: ${svc.gameDays.length ? svc.gameDays.map((g) => `\`${g}\``).join(', ') : 'none yet'}`);
  out.push(`- SLOs: ${svc.objectives.length ? svc.objectives.map((o) => `${o.target}% over ${o.windowDays} days (${o.alerts})`).join('; ') : 'none'}`);
  out.push(`- Cost: ${usd(svc.cost.monthlyUsd)}/month${svc.cost.lines.length ? ` (${costLineText(svc.cost).join('; ')})` : ''}`, '');
  out.push(...mdTable(['Status', 'Best practice', 'Evidence', 'Why'], failingFirst(svc.wellArchitected).map((row) => [
    MD_STATUS[row.status] ?? row.status, `${row.id} ${row.title}`, row.evidence.map((e) => `\`${e}\``).join(', '), row.reason,
  ])), '');
  return out;
}

function allFindings(report: OperationalReadiness): Array<{ stack: string; service: string; row: WellArchitectedRow }> {
  return report.stacks.flatMap((stack) => byFindings(stack.services).flatMap((svc) =>
    svc.wellArchitected.filter((row) => row.status === NOT_MET).map((row) => ({ stack: stack.stackName, service: svc.name, row }))));
}

function esc(value: unknown): string {
  return String(value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STATUS_CLASS: Record<string, string> = { 'not met': 'fail', 'met': 'pass', 'not applicable': 'na' };

function badge(status: string): string {
  return `<span class="badge ${STATUS_CLASS[status] ?? 'na'}">${esc(status)}</span>`;
}

function code(values: string[]): string {
  return values.map((v) => `<code>${esc(v)}</code>`).join(' ');
}

const CSS = `
:root { color-scheme: light; --fail: #b42318; --fail-bg: #fef3f2; --pass: #067647; --pass-bg: #ecfdf3; --na: #475467; --na-bg: #f2f4f7; --line: #d0d5dd; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #101828; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-top: 12px; border-top: 2px solid #101828; }
h3 { font-size: 16px; margin: 28px 0 6px; }
p.lead { margin: 0 0 16px; color: #344054; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0 8px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; }
.card b { display: block; font-size: 22px; }
.card.fail b { color: var(--fail); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f9fafb; font-weight: 600; white-space: nowrap; }
tr.fail td { background: var(--fail-bg); }
td.num, th.num { text-align: right; white-space: nowrap; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f2f4f7; padding: 1px 4px; border-radius: 4px; word-break: break-all; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.fail { color: var(--fail); background: var(--fail-bg); border: 1px solid var(--fail); }
.badge.pass { color: var(--pass); background: var(--pass-bg); border: 1px solid var(--pass); }
.badge.na { color: var(--na); background: var(--na-bg); border: 1px solid var(--line); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { font-weight: 600; color: #344054; }
dl.facts dd { margin: 0; }
.muted { color: #667085; }
section.service { border: 1px solid var(--line); border-radius: 8px; padding: 4px 16px 8px; margin: 16px 0; }
section.service.has-findings { border-left: 4px solid var(--fail); }
`;

/** The report as one self-contained HTML page: inline CSS, no scripts, no external assets. */
export function renderHtml(report: OperationalReadiness): string {
  const s = report.summary;
  const findings = allFindings(report);
  const body: string[] = [];
  body.push('<h1>Operational readiness</h1>');
  body.push(`<p class="lead">Computed from the synthesized CloudFormation templates by cdk-opex (report schema ${esc(report.schemaVersion)}). `
    + 'Failing rows come first.</p>');
  body.push('<div class="cards">'
    + `<div class="card"><b>${s.stacks}</b>stack(s)</div>`
    + `<div class="card"><b>${s.services}</b>service(s)</div>`
    + `<div class="card${s.findings ? ' fail' : ''}"><b>${s.findings}</b>finding(s)</div>`
    + `<div class="card"><b>${usd(s.monthlyUsd)}</b>per month at list prices</div>`
    + `<div class="card"><b>${usd(s.monthlyUsdBeyondFreeTier)}</b>if the 3 free dashboards are unused</div>`
    + '</div>');

  body.push('<h2 id="findings">Findings</h2>');
  if (findings.length === 0) {body.push('<p>None: every service meets every best practice the report checks.</p>');} else {
    body.push('<table><thead><tr><th>Status</th><th>Stack</th><th>Service</th><th>Best practice</th><th>Why</th></tr></thead><tbody>');
    for (const f of findings) {
      body.push(`<tr class="fail"><td>${badge(f.row.status)}</td><td>${esc(f.stack)}</td><td>${esc(f.service)}</td>`
        + `<td><b>${esc(f.row.id)}</b> ${esc(f.row.title)}</td><td>${esc(f.row.reason)}</td></tr>`);
    }
    body.push('</tbody></table>');
  }

  for (const stack of report.stacks) body.push(...htmlStack(stack));

  body.push(`<h2 id="prices">Prices used</h2><p class="muted">List prices, us-east-1, USD per month: standard alarm ${usd(report.prices.standardAlarmPerMetric)} per metric, `
    + `high-resolution ${usd(report.prices.highResolutionAlarmPerMetric)} per metric, anomaly detection ${report.prices.anomalyDetectionMetrics} metrics, `
    + `composite ${usd(report.prices.compositeAlarm)}, dashboard ${usd(report.prices.dashboard)} (first ${report.prices.freeDashboardsPerAccount} per account free), `
    + `KMS key ${usd(report.prices.kmsKey)}.</p>`);

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
    '<title>Operational readiness</title>',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function htmlStack(stack: ReadinessStack): string[] {
  const out: string[] = [];
  out.push(`<h2 id="stack-${esc(stack.stackName)}">Stack ${esc(stack.stackName)}</h2>`);
  out.push(`<p>${stack.services.length} service(s), <b>${stack.findings} finding(s)</b>, ${stack.resources} resources, `
    + `${usd(stack.cost.monthlyUsd)} per month${stack.catalog ? '; cdk-opex catalog present' : ''}.</p>`);
  if (stack.responses) out.push(`<p>${esc(responsesLine(stack.responses))}</p>`);
  if (stack.maintenanceWindows) out.push(`<p>${esc(maintenanceLine(stack.maintenanceWindows))}</p>`);
  out.push('<table><thead><tr><th>Service</th><th>Kind</th><th>Owner</th><th class="num">Alarms (paging)</th><th>Outage detected</th>'
    + '<th>Deployment</th><th>Rollback on alarm</th><th class="num">Runbooks</th><th>Game days</th><th class="num">Findings</th><th class="num">Cost/month</th></tr></thead><tbody>');
  for (const svc of byFindings(stack.services)) {
    out.push(`<tr${svc.findings.length ? ' class="fail"' : ''}><td>${esc(svc.name)}</td><td>${esc(svc.kind)}</td><td>${esc(ownerText(svc))}</td>`
      + `<td class="num">${esc(alarmText(svc))}</td><td>${esc(detectionText(svc))}</td><td>${esc(deploymentText(svc))}</td><td>${esc(rollbackText(svc))}</td>`
      + `<td class="num">${svc.runbooks.length}</td><td>${svc.gameDays.length || 'none'}</td><td class="num">${svc.findings.length}</td>`
      + `<td class="num">${usd(svc.cost.monthlyUsd)}</td></tr>`);
  }
  out.push('</tbody></table>');
  if (stack.cost.lines.length) {
    out.push('<table><thead><tr><th>Cost item</th><th class="num">Quantity</th><th class="num">Unit</th><th class="num">Per month</th><th>Resources</th></tr></thead><tbody>');
    for (const l of stack.cost.lines) {
      out.push(`<tr><td>${esc(l.item)}</td><td class="num">${l.quantity}</td><td class="num">${usd(l.unitUsd)}</td><td class="num">${usd(l.monthlyUsd)}</td>`
        + `<td>${l.resources.length} resource(s)</td></tr>`);
    }
    out.push(`<tr><th>Total</th><th></th><th></th><th class="num">${usd(stack.cost.monthlyUsd)}</th><th></th></tr>`);
    out.push('</tbody></table>');
  }
  for (const svc of byFindings(stack.services)) out.push(...htmlService(svc));
  return out;
}

function htmlService(svc: ReadinessService): string[] {
  const out: string[] = [];
  out.push(`<section class="service${svc.findings.length ? ' has-findings' : ''}">`);
  out.push(`<h3>${esc(svc.name)} <span class="muted">(${esc(svc.kind)}, ${svc.findings.length} finding(s))</span></h3>`);
  const link = (text: string, url?: string) => (url ? `<a href="${esc(url)}">${esc(text)}</a>` : esc(text));
  const alarms = svc.alarms.items.map((a) => `${a.alarmName ? `${link(a.alarmName, a.consoleUrl)} ` : ''}${code([a.logicalId])} <span class="muted">${a.alarmType}</span>`
    + `${a.pages ? ` — <b>pages</b>: ${esc(a.actions.join(', '))}` : ''}`).join('<br>');
  const runbooks = svc.runbooks.map((r) => `${r.documentName === r.document ? '' : `${link(r.documentName, r.consoleUrl)} `}${code([r.document])} — started by ${esc(r.trigger)}`).join('<br>');
  const facts: Array<[string, string]> = [
    ['Resource', `${code([svc.logicalId])} ${esc(svc.resourceType)}${svc.constructPath ? ` at ${code([svc.constructPath])}` : ''} (from the ${esc(svc.source)})`],
    ['Owner', svc.owner.team ? `team ${esc(svc.owner.team)}${svc.owner.service ? `, service ${esc(svc.owner.service)}` : ''}` : '<b>no team tag</b>'],
    ['Alarms', `${svc.alarms.count}, ${svc.alarms.paging} page${alarms ? `<br>${alarms}` : ''}`],
    ['Total outage detected', `${esc(detectionText(svc))} <span class="muted">(${esc(svc.detection.basis)})</span>`],
    ['Deployment', `${esc(deploymentText(svc))}${svc.deployment.deploymentGroup ? ` via ${code([svc.deployment.deploymentGroup])}` : ''}; rollback on alarm: ${esc(rollbackText(svc))}`],
    ...(rollbackDetail(svc) ? [['Rollback', esc(rollbackDetail(svc))] as [string, string]] : []),
    ['Runbooks', runbooks || 'none'],
    ['Game days', svc.gameDays.length ? code(svc.gameDays) : 'none yet'],
    ['SLOs', svc.objectives.length ? svc.objectives.map((o) => `${o.target}% over ${o.windowDays} days <span class="muted">(${esc(o.alerts)})</span>`).join('<br>') : 'none'],
    ['Cost', `${usd(svc.cost.monthlyUsd)} per month${svc.cost.lines.length ? ` <span class="muted">(${esc(costLineText(svc.cost).join('; '))})</span>` : ''}`],
  ];
  out.push(`<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`);
  out.push('<table><thead><tr><th>Status</th><th>Best practice</th><th>Evidence</th><th>Why</th></tr></thead><tbody>');
  for (const row of failingFirst(svc.wellArchitected)) {
    out.push(`<tr class="${STATUS_CLASS[row.status] ?? 'na'}"><td>${badge(row.status)}</td><td><b>${esc(row.id)}</b> ${esc(row.title)}</td>`
      + `<td>${code(row.evidence)}</td><td>${esc(row.reason)}</td></tr>`);
  }
  out.push('</tbody></table>', '</section>');
  return out;
}

/** The stack-level line on what catches a response that did not start. */
function responsesLine(r: ReadinessResponses): string {
  const alarm = r.alarm ? `; alarm \`${r.alarm}\` ${r.alarmPages ? 'pages' : 'notifies no one'} when a message arrives` : '; no alarm on it';
  return `Responses: a runbook start that fails after its retries goes to dead-letter queue \`${r.deadLetterQueue}\`${alarm}.`;
}

function maintenanceLine(windows: ReadinessMaintenanceWindow[]): string {
  return `Maintenance windows (paging alarms muted, still evaluating): ${windows.map((w) =>
    `\`${w.muteRule}\` ${w.schedule} for ${w.duration}, muting ${w.alarms.join(', ')}`).join('; ')}.`;
}
