/**
 * Prints what cdk-opex generated in a synthesized cloud assembly, per service, read
 * from the catalog in each template's Metadata and from the resources themselves.
 *
 *   ts-node examples/summary.ts [assembly dir, default demo.out]
 */
import * as fs from 'fs';
import * as path from 'path';
import { CATALOG_METADATA_KEY, Limits } from '../src';
import { cfnText } from '../src/core/cfn-values';

interface Catalog {
  readonly version: number;
  readonly shared: { path: string; resources: number };
  readonly services: ServiceEntry[];
  readonly kpis?: { service: string; name: string; alarm: string }[];
}

interface ServiceEntry {
  readonly name: string;
  readonly kind: string;
  readonly team?: string;
  readonly path: string;
  readonly resources: number;
  readonly detectionSeconds: number;
  readonly healthAlarm: string;
  readonly signalAlarms: Record<string, string>;
  readonly rollout: { type: string; percentage?: number; intervalMinutes?: number; deploymentGroup: string; rollbackAlarms: string[] };
  readonly responses: { runbook: string; automatic: boolean; trigger: string }[];
  readonly objectives?: { target: number; windowDays: number; alerts: string; pageAlarm: string }[];
}

type Resources = Record<string, { Type: string; Properties?: any; Metadata?: any }>;

const COMPARISONS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanOrEqualToThreshold: '<=',
  LessThanThreshold: '<',
};

function fail(message: string): never {
  console.error(`summary: ${message}`);
  process.exit(1);
}


/** Period of the metric or expression an alarm evaluates, in seconds. */
function alarmPeriod(props: any): number | undefined {
  if (props.Period !== undefined) return props.Period;
  const periods = (props.Metrics ?? []).map((m: any) => m.Period ?? m.MetricStat?.Period).filter((p: unknown) => p !== undefined);
  return periods.length ? Math.max(...periods) : undefined;
}

/** What an alarm evaluates, e.g. `p99 Duration` or an expression's label. */
function alarmMetric(props: any): string {
  if (props.MetricName) return `${props.ExtendedStatistic ?? props.Statistic} ${props.MetricName}`;
  const evaluated = (props.Metrics ?? []).find((m: any) => m.ReturnData !== false) ?? {};
  return evaluated.MetricStat ? `${evaluated.MetricStat.Stat} ${evaluated.MetricStat.Metric.MetricName}` : evaluated.Label ?? evaluated.Expression;
}

function describeAlarm(resources: Resources, logicalId: string): string {
  const props = resources[logicalId]?.Properties;
  if (!props) return `${logicalId} (not in this template)`;
  const comparison = COMPARISONS[props.ComparisonOperator] ?? props.ComparisonOperator;
  const datapoints = props.DatapointsToAlarm ?? props.EvaluationPeriods;
  return `${cfnText(props.AlarmName).padEnd(38)} ${alarmMetric(props)} ${comparison} ${props.Threshold}, `
    + `${alarmPeriod(props)} s period, ${datapoints} of ${props.EvaluationPeriods}`;
}

function describeActions(resources: Resources, actions: unknown[] | undefined): string {
  const names = (actions ?? []).map((action: any) => {
    if (action?.Ref && resources[action.Ref]?.Type === 'AWS::SNS::Topic') return 'SNS topic';
    const opsItem = /:opsitem:(\d+)/.exec(cfnText(action));
    return opsItem ? `OpsItem (severity ${opsItem[1]})` : cfnText(action);
  });
  return names.length ? names.join(' + ') : 'nothing';
}

/** Wraps `words` to lines of at most `width` characters, each after `indent`. */
function wrap(words: string, indent: string, width = 100): string {
  const lines: string[] = [];
  for (const word of words.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + word.length < width - indent.length) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.map((l) => indent + l).join('\n');
}

function runbookSteps(resources: Resources, logicalId: string): string {
  const content = resources[logicalId]?.Properties?.Content;
  const steps: any[] = (typeof content === 'string' ? JSON.parse(content) : content)?.mainSteps ?? [];
  return steps.map((s) => s.name).join(' > ');
}

function firstSentence(resources: Resources, logicalId: string): string {
  const content = resources[logicalId]?.Properties?.Content;
  const description: string = (typeof content === 'string' ? JSON.parse(content) : content)?.description ?? '';
  return description.split(/(?<=\.)\s/)[0];
}

function printService(resources: Resources, s: ServiceEntry): void {
  console.log(`\n${s.name} (${s.kind}, team ${s.team ?? '-'}): ${s.resources} resources under ${s.path}`);
  for (const [signal, id] of Object.entries(s.signalAlarms)) {
    console.log(`  alarm ${signal.padEnd(10)} ${describeAlarm(resources, id)}`);
  }
  const health = resources[s.healthAlarm]?.Properties ?? {};
  console.log(`  health alarm     ${cfnText(health.AlarmName ?? s.healthAlarm)} (composite), notifies ${describeActions(resources, health.AlarmActions)}`);
  console.log(`  total outage     detected (health alarm fires) within ${s.detectionSeconds} s`);
  for (const o of s.objectives ?? []) {
    console.log(`  SLO              ${o.target}% of requests succeed over ${o.windowDays} days; ${o.alerts}`);
  }

  const group = resources[s.rollout.deploymentGroup]?.Properties;
  const rollback = group?.AutoRollbackConfiguration;
  const watched = group?.AlarmConfiguration?.Enabled ? group.AlarmConfiguration.Alarms?.length ?? 0 : 0;
  const shape = s.rollout.type === 'all-at-once' ? 'all at once'
    : `${s.rollout.type}: ${s.rollout.percentage}% ${s.rollout.type === 'canary' ? 'first, the rest after' : 'every'} ${s.rollout.intervalMinutes} min`;
  console.log(`  rollout          ${shape}, watching ${watched} alarms (${cfnText(group?.DeploymentConfigName ?? '?')})`);
  console.log(`  auto-rollback    ${rollback?.Enabled ? (rollback.Events ?? []).join(', ') : 'OFF'}`);
  for (const r of s.responses) {
    console.log(`  runbook          ${r.runbook}`);
    console.log(`                   started by ${r.trigger}${r.automatic ? '' : ' (by hand)'}`);
  }
}

/** Control Tower and cdk-nag results: findings from the CLI's validation report, acknowledgements from stack metadata. */
function printNagResult(dir: string, cdkOpexPaths: string[]): void {
  const reportFile = ['validation-report.json', 'policy-validation-report.json']
    .map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  const plugins: any[] = reportFile ? JSON.parse(fs.readFileSync(reportFile, 'utf8')).pluginReports ?? [] : [];
  const nag = plugins.filter((p) => p.pluginName !== 'CloudFormation Validate' && p.pluginName !== 'Construct Annotations');
  const findings = nag.flatMap((p) => p.violations ?? []);
  const failed = nag.some((p) => p.conclusion === 'failure');

  let acknowledged = 0;
  let byCdkOpex = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.metadata.json'))) {
    const metadata: Record<string, { type: string; data: Record<string, string> }[]> = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    for (const [constructPath, entries] of Object.entries(metadata)) {
      for (const entry of entries.filter((e) => e.type === 'aws:cdk:acknowledged-rules')) {
        const ids = Object.entries(entry.data);
        const unexplained = ids.filter(([, reason]) => !reason?.trim());
        if (unexplained.length) fail(`${constructPath} acknowledges ${unexplained.map(([id]) => id).join(', ')} without a reason`);
        acknowledged += ids.length;
        if (cdkOpexPaths.some((p) => `${constructPath}/`.startsWith(`/${p}/`))) byCdkOpex += ids.length;
      }
    }
  }
  const source = reportFile ? path.basename(reportFile) : 'no validation report; synth would have failed on a finding';
  console.log('\nControl Tower (cfn-guard), cdk-nag AwsSolutions, NIST 800-53 R5, HIPAA, PCI DSS 3.2.1, Serverless and OperationalExcellence: '
    + `${findings.length} finding${findings.length === 1 ? '' : 's'} (${source}); `
    + `${acknowledged} acknowledged with a reason (${byCdkOpex} by cdk-opex, ${acknowledged - byCdkOpex} in the app)`);
  if (failed || findings.length) {
    for (const v of findings) console.log(`  ${v.ruleName}: ${v.violatingConstructs?.map((c: any) => c.constructPath).join(', ')}`);
    fail('Control Tower or cdk-nag reported findings');
  }
}

function percent(part: number, whole: number): string {
  return `${(100 * part / whole).toFixed(0)}%`;
}

function main(): void {
  const dir = process.argv[2] ?? 'demo.out';
  if (!fs.existsSync(dir)) fail(`no cloud assembly at ${dir}; run \`npm run demo\``);
  const templates = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort();
  const cdkOpexPaths: string[] = [];
  console.log(`cdk-opex summary of ${dir}`);

  for (const file of templates) {
    const body = fs.readFileSync(path.join(dir, file), 'utf8');
    const template = JSON.parse(body);
    const catalog: Catalog | undefined = template.Metadata?.[CATALOG_METADATA_KEY];
    const resources: Resources = template.Resources ?? {};
    const stack = file.replace(/\.template\.json$/, '');
    if (!catalog) {
      console.log(`\n${stack}: no cdk-opex services`);
      continue;
    }
    console.log(`\n== Stack ${stack}: ${catalog.services.length} services`);
    for (const service of catalog.services) printService(resources, service);

    for (const k of catalog.kpis ?? []) {
      console.log(`\nKPI ${k.name} (${k.service}): ${cfnText(resources[k.alarm]?.Properties?.AlarmDescription ?? k.alarm).split('. ')[0]}`);
    }
    const runbooks = [...new Set(catalog.services.flatMap((s) => s.responses.map((r) => r.runbook)))];
    console.log(`\nShared (${catalog.shared.path}): ${catalog.shared.resources} resources, ${runbooks.length} runbook document(s)`);
    for (const id of runbooks) {
      console.log(`  runbook ${id}: ${runbookSteps(resources, id)}`);
      console.log(wrap(firstSentence(resources, id), '    '));
    }
    const count = Object.keys(resources).length;
    const bytes = Buffer.byteLength(body);
    console.log(`Stack total: ${count} of ${Limits.CFN_RESOURCES_PER_STACK} resources (${percent(count, Limits.CFN_RESOURCES_PER_STACK)}), `
      + `template ${bytes.toLocaleString('en-US')} of ${Limits.CFN_TEMPLATE_BYTES.toLocaleString('en-US')} bytes (${percent(bytes, Limits.CFN_TEMPLATE_BYTES)})`);
    cdkOpexPaths.push(catalog.shared.path, ...catalog.services.map((s) => s.path));
  }

  if (cdkOpexPaths.length === 0) {
    fail(`no template in ${dir} has a '${CATALOG_METADATA_KEY}' catalog in its Metadata: does the app use an OperationalFunction?`);
  }
  printNagResult(dir, cdkOpexPaths);
}

main();
