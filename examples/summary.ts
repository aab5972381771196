/**
 * Prints what cdk-opex generated in a synthesized cloud assembly, per service: read from
 * the readiness report (`reportFromAssembly`, the same reader as `cdk-opex report`), so the
 * summary and the report cannot disagree. Then the Control Tower and cdk-nag results.
 *
 *   ts-node examples/summary.ts [assembly dir, default demo.out]
 */
import * as fs from 'fs';
import * as path from 'path';
import { Limits, ReadinessService, ReadinessStack, reportFromAssembly } from '../src';

function fail(message: string): never {
  console.error(`summary: ${message}`);
  process.exit(1);
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

const usd = (x: number): string => `$${x.toFixed(2)}`;

function printService(s: ReadinessService): void {
  const owner = s.owner.team ? `team ${s.owner.team}` : 'no team';
  const members = s.members.length > 1 ? ` (with ${s.members.filter((m) => m !== s.logicalId).join(', ')})` : '';
  console.log(`\n${s.name} (${s.kind}, ${owner}): ${s.resourceType} ${s.logicalId}${members}`);
  for (const a of s.alarms.items) {
    const detection = a.detectionSeconds !== undefined ? `, outage in ${a.detectionSeconds} s` : '';
    console.log(`  alarm            ${(a.alarmName ?? a.logicalId).padEnd(40)} ${a.alarmType}${detection}${a.pages ? `, pages: ${a.actions.join(' + ')}` : ''}`);
  }
  console.log(`  total outage     ${s.detection.seconds !== undefined ? `pages within ${s.detection.seconds} s (${s.detection.alarm})` : 'pages no one'}`);
  for (const o of s.objectives) console.log(`  SLO              ${o.target}% over ${o.windowDays} days; ${o.alerts}`);
  const d = s.deployment;
  if (d.applicable) {
    const rollback = [d.rollbackOnAlarm ? `rolls back on ${d.rollbackAlarms.length} alarms` : 'no rollback on alarm',
      ...(d.circuitBreaker ? ['circuit breaker on'] : [])].join(', ');
    console.log(`  rollout          ${d.strategy ?? d.rolloutType}; ${rollback}${d.deploymentGroupName ? ` (${d.deploymentGroupName})` : ''}`);
  }
  for (const r of s.runbooks) {
    console.log(`  runbook          ${r.documentName}`);
    console.log(wrap(`started by ${r.trigger}${r.automatic ? '' : ' (by hand)'}`, '                   '));
  }
  // The report's game-day row says whether game days are met, with what and how they start.
  const gameDays = s.wellArchitected.find((w) => w.id === 'REL12-BP05');
  if (gameDays && gameDays.status !== 'not applicable') console.log(wrap(`${gameDays.status}: ${gameDays.reason}`, '                   ').replace(/^ {19}/, '  game days        '));
  const met = s.wellArchitected.filter((w) => w.status === 'met').length;
  const rows = s.wellArchitected.filter((w) => w.status !== 'not applicable').length;
  console.log(`  Well-Architected ${met} of ${rows} best practices met${s.findings.length ? `; not met: ${s.findings.join(', ')}` : ''}`);
  console.log(`  cost             ${usd(s.cost.monthlyUsd)}/month (${s.cost.lines.map((l) => `${l.quantity} ${l.item}`).join(', ') || 'nothing charged'})`);
}

function printStack(st: ReadinessStack, bytes: number): void {
  console.log(`\n== Stack ${st.stackName}: ${st.services.length} services`);
  for (const service of st.services) printService(service);
  console.log(`\nShared: ${usd(st.sharedCost.monthlyUsd)}/month (${st.sharedCost.lines.map((l) => `${l.quantity} ${l.item}`).join(', ')})`);
  if (st.responses) {
    console.log(`Undelivered responses go to ${st.responses.deadLetterQueue}${st.responses.alarm ? `, alarmed by ${st.responses.alarm}` : ''}`);
  }
  const percent = (part: number, whole: number): string => `${(100 * part / whole).toFixed(0)}%`;
  console.log(`Stack total: ${st.resources} of ${Limits.CFN_RESOURCES_PER_STACK} resources (${percent(st.resources, Limits.CFN_RESOURCES_PER_STACK)}), `
    + `template ${bytes.toLocaleString('en-US')} of ${Limits.CFN_TEMPLATE_BYTES.toLocaleString('en-US')} bytes (${percent(bytes, Limits.CFN_TEMPLATE_BYTES)})`);
}

type Metadata = Record<string, { type: string; data: any }[]>;

/** The construct metadata of every stack in the assembly (construct path -> entries). */
function readMetadata(dir: string): Metadata {
  const all: Metadata = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.metadata.json'))) {
    Object.assign(all, JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  }
  return all;
}

/**
 * Construct paths of what cdk-opex made, from the report: its services (the parents of their health
 * alarms; a service's `constructPath` is its primary resource, often the app's own function), each
 * stack's hub (the parent of the response dead-letter queue) and its game days (the parents of their experiments).
 */
function cdkOpexRoots(report: ReturnType<typeof reportFromAssembly>, metadata: Metadata): string[] {
  const pathOf = new Map<string, string>();
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const e of entries.filter((x) => x.type === 'aws:cdk:logicalId')) pathOf.set(`${constructPath.split('/')[1]}/${e.data}`, constructPath);
  }
  const parent = (p: string | undefined): string | undefined => p?.replace(/\/Resource$/, '').replace(/\/[^/]+$/, '');
  const roots: string[] = [];
  for (const st of report.stacks) {
    const resource = (logicalId: string) => pathOf.get(`${st.stackName}/${logicalId}`);
    const ids = [
      ...st.services.map((s) => s.detection.alarm),
      st.responses?.deadLetterQueue,
      ...st.services.flatMap((s) => s.gameDays),
    ];
    roots.push(...ids.map((id) => id && parent(resource(id))).filter((p): p is string => !!p));
  }
  return [...new Set(roots)];
}

/** Control Tower and cdk-nag results: findings from the CLI's validation report, acknowledgements from stack metadata. */
function printNagResult(dir: string, metadata: Metadata, cdkOpexPaths: string[]): void {
  const reportFile = ['validation-report.json', 'policy-validation-report.json']
    .map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  const plugins: any[] = reportFile ? JSON.parse(fs.readFileSync(reportFile, 'utf8')).pluginReports ?? [] : [];
  const nag = plugins.filter((p) => p.pluginName !== 'CloudFormation Validate' && p.pluginName !== 'Construct Annotations');
  const findings = nag.flatMap((p) => p.violations ?? []);
  const failed = nag.some((p) => p.conclusion === 'failure');

  let acknowledged = 0;
  let byCdkOpex = 0;
  let byCdk = 0;
  const defects: string[] = [];
  for (const [constructPath, entries] of Object.entries(metadata)) {
    for (const entry of entries.filter((e) => e.type === 'aws:cdk:acknowledged-rules')) {
      const ids: [string, string][] = Object.entries(entry.data);
      const unexplained = ids.filter(([, reason]) => !reason?.trim());
      if (unexplained.length) fail(`${constructPath} acknowledges ${unexplained.map(([id]) => id).join(', ')} without a reason`);
      acknowledged += ids.length;
      // Acknowledged by the app on cdk-opex's resources, waiting for a fix in cdk-opex.
      defects.push(...ids.filter(([, reason]) => reason.startsWith('TODO(cdk-opex defect)')).map(([id]) => `${id} on ${constructPath}`));
      // CloudFormation-Validate ids are CDK's own, about the template it writes (e.g. literal AZs).
      byCdk += ids.filter(([id]) => id.startsWith('CloudFormation-Validate::')).length;
      if (cdkOpexPaths.some((p) => `${constructPath}/`.startsWith(`${p}/`))) byCdkOpex += ids.length;
    }
  }
  const source = reportFile ? path.basename(reportFile) : 'no validation report; synth would have failed on a finding';
  console.log('\nControl Tower (cfn-guard), cdk-nag AwsSolutions, NIST 800-53 R5, HIPAA, PCI DSS 3.2.1, Serverless and OperationalExcellence: '
    + `${findings.length} finding${findings.length === 1 ? '' : 's'} (${source}); `
    + `${acknowledged} acknowledged with a reason (${byCdkOpex} on cdk-opex's constructs, ${acknowledged - byCdkOpex - byCdk} on the app's, `
    + `${byCdk} by CDK on its template)`);
  if (defects.length) console.log(`  ${defects.length} of them wait for a cdk-opex fix (TODO(cdk-opex defect)):\n${defects.map((d) => `    ${d}`).join('\n')}`);
  if (failed || findings.length) {
    for (const v of findings) console.log(`  ${v.ruleName}: ${v.violatingConstructs?.map((c: any) => c.constructPath).join(', ')}`);
    fail('Control Tower or cdk-nag reported findings');
  }
}

function main(): void {
  const dir = process.argv[2] ?? 'demo.out';
  if (!fs.existsSync(dir)) fail(`no cloud assembly at ${dir}; run \`npm run demo\``);
  const report = reportFromAssembly(dir);
  console.log(`cdk-opex summary of ${dir}: ${report.summary.services} services, ${report.summary.findings} Well-Architected findings, `
    + `about ${usd(report.summary.monthlyUsd)}/month`);
  let services = 0;
  for (const st of report.stacks) {
    if (!st.catalog) {
      console.log(`\n${st.stackName}: no cdk-opex services`);
      continue;
    }
    const bytes = st.templateFile ? fs.statSync(path.join(dir, st.templateFile)).size : 0;
    printStack(st, bytes);
    services += st.services.length;
  }
  if (services === 0) fail(`no stack in ${dir} has cdk-opex services: does the app use an Operational* pattern?`);
  const metadata = readMetadata(dir);
  printNagResult(dir, metadata, cdkOpexRoots(report, metadata));
}

main();
