/** The bench's results as markdown tables, one per pattern (see bench/README.md for the columns). */
import { BenchPattern } from './patterns';
import { Figures, Growth, Row, SideBySide } from './results';
import { Limits } from '../src';

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const fixed = (x: number | undefined | null, places = 1): string => (x === undefined || x === null ? '-' : x.toFixed(places));
const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
/** Numbers right-aligned; a last column of limits left. */
const rule = (columns: number, limitsLast = true): string => line([...Array(columns - 1).fill('---:'), limitsLast ? ':---' : '---:']);

/** What is at or past a limit, shortly: `2 tpl ≥ 500 res, 1 tpl ≥ 1 MB, 1 dashboard > 500 widgets`. */
function limitsCell(f: Figures): string {
  const res = f.templates.filter((t) => t.resources >= Limits.CFN_RESOURCES_PER_STACK).length;
  const mb = f.templates.filter((t) => t.bytes >= Limits.CFN_TEMPLATE_BYTES).length;
  const dash = f.templates.flatMap((t) => t.dashboardWidgets).filter((w) => w > Limits.DASHBOARD_WIDGETS).length;
  return [res ? `${res} tpl ≥ 500 res` : '', mb ? `${mb} tpl ≥ 1 MB` : '', dash ? `${dash} dashboard > 500 widgets` : '']
    .filter(Boolean).join(', ') || 'ok';
}

function totals(label: string, f: Figures, checks: string, report: string): string {
  return line([label, `${int(f.resources)} / ${int(f.maxResources)}`, `${int(f.bytes)} / ${int(f.maxBytes)}`, int(f.cpuMs),
    `${fixed(f.heapMb, 0)} / ${fixed(f.liveMb, 0)}`, checks, report, String(f.templates.length), limitsCell(f)]);
}

function perService(label: string, g: Growth, checks?: number, report?: number): string {
  return line([label, fixed(g.resources, 2), int(g.bytes), fixed(g.cpuMs, 1), `${fixed(g.heapMb, 2)} / ${fixed(g.liveMb, 2)}`,
    fixed(checks, 2), fixed(report, 2), '', '']);
}

const HEAD = ['N', 'resources total / max', 'bytes total / max', 'cpu ms', 'heap MB peak / live', 'checks ms/svc', 'report ms/svc', 'templates', 'limits'];

/** The pattern's table: totals per N, the plain stack at the largest N, then what cdk-opex adds per service. */
export function patternTable(pattern: BenchPattern, rows: Row[]): string[] {
  const last = rows[rows.length - 1];
  const first = rows[0];
  const out = [
    `### ${pattern.name}: one stack of N services, each ${pattern.description}`,
    '',
    line(HEAD),
    rule(HEAD.length),
    ...rows.map((r) => totals(String(r.n), r.opex, fixed(r.checksMsPerService, 2), fixed(r.reportMsPerService, 2))),
    totals(`plain, ${last.n}`, last.plain, '', ''),
    ...rows.filter((r) => r.perExtraService).map((r) => perService(`+ per extra svc, ${first.n}→${r.n}`, r.perExtraService!,
      r.checksMsPerExtraService, r.reportMsPerExtraService)),
    perService(`+ per svc at ${last.n} (total ÷ N)`, last.perService, last.checksMsPerService, last.reportMsPerService),
  ];
  return [...out, '', ...notes(rows)];
}

/** Templates past a limit, and a report that does not list every service. */
function notes(rows: Row[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    for (const [variant, f] of [['cdk-opex', r.opex], ['plain', r.plain], ['peer', r.peer]] as const) {
      for (const l of f?.overLimits ?? []) out.push(`- N=${r.n} ${variant}: ${l}`);
    }
    const services = r.opex.reportServices ?? 0;
    if (services < r.n) out.push(`- N=${r.n}: the readiness report lists only ${services} of the ${r.n} services`);
  }
  const last = rows[rows.length - 1];
  if ((last.opex.reportServices ?? 0) > last.n || last.opex.checksFindings) {
    out.push(`- N=${last.n}: the readiness report lists ${last.opex.reportServices} services and OperationalExcellenceChecks `
      + `finds ${last.opex.checksFindings ?? 0} findings: they read every resource, and a user's resource that no cdk-opex pattern `
      + 'wraps is a service (and a finding) of its own');
  }
  return out.length ? ['At or past a limit (measured anyway), or worth a look:', '', ...out, ''] : [];
}

const pair = (a: number, b: number, format: (x: number) => string): string => `${format(a)} / ${format(b)}`;

function sideRow(label: string, s: SideBySide): string {
  return line([label,
    pair(s.opex.resources, s.peer.resources, (x) => fixed(x, 2)), fixed(s.ratio.resources, 2),
    pair(s.opex.bytes, s.peer.bytes, int), fixed(s.ratio.bytes, 2),
    pair(s.opex.cpuMs, s.peer.cpuMs, (x) => fixed(x, 1)), fixed(s.ratio.cpuMs, 2),
    fixed(s.opex.cpuMsWithoutReport, 1), fixed(s.ratio.cpuMsWithoutReport, 2),
    pair(s.opex.heapMb, s.peer.heapMb, (x) => fixed(x, 2))]);
}

const PEER_HEAD = ['N', 'resources total / max', 'bytes total / max', 'cpu ms', 'heap MB peak / live', 'templates', 'limits'];
const RATIO_HEAD = ['N', 'resources opex / peer', 'ratio', 'bytes opex / peer', 'ratio', 'cpu ms opex / peer', 'ratio',
  'cpu ms opex w/o report', 'ratio', 'heap MB opex / peer'];

/** The peer block: the peer's own totals, then each one's growth over the user's resources and the ratio cdk-opex / peer. */
export function peerTables(pattern: BenchPattern, rows: Row[]): string[] {
  const peered = rows.filter((r) => r.peer);
  if (!peered.length) return [];
  const first = rows[0];
  const last = peered[peered.length - 1];
  return [
    `#### ${pattern.name} beside the peer: ${pattern.peerName}`,
    '',
    'The same user resources monitored by the peer instead, synthesized in the same run, alternating cdk-opex, peer, plain.',
    '',
    line(PEER_HEAD),
    rule(PEER_HEAD.length),
    ...peered.map((r) => {
      const f = r.peer!;
      return line([String(r.n), `${int(f.resources)} / ${int(f.maxResources)}`, `${int(f.bytes)} / ${int(f.maxBytes)}`, int(f.cpuMs),
        `${fixed(f.heapMb, 0)} / ${fixed(f.liveMb, 0)}`, String(f.templates.length), limitsCell(f)]);
    }),
    '',
    'What each adds over the user\'s resources (the plain stack), per service; ratio = cdk-opex / peer:',
    '',
    line(RATIO_HEAD),
    rule(RATIO_HEAD.length, false),
    ...peered.filter((r) => r.peerPerExtraService).map((r) => sideRow(`per extra svc, ${first.n}→${r.n}`, r.peerPerExtraService!)),
    sideRow(`per svc at ${last.n} (total ÷ N)`, last.peerPerService!),
    '',
  ];
}
