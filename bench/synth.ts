/**
 * Synth benchmark: for each cdk-opex pattern, one stack of N services (the user's resources
 * wrapped in the pattern) against the same stack without cdk-opex. Measures only; no
 * thresholds. See bench/README.md.
 *
 *   npm run bench                 # every pattern, N = 1, 10, 50
 *   npm run bench -- 1 10 50 150  # other N
 *   BENCH_N="1 10 50 150" BENCH_PATTERNS="function" npm run bench
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { BenchPattern, PATTERNS, Variant } from './patterns';
import { Limits } from '../src';
import { parseDashboardBody } from '../src/core/cfn-values';

const STACK_NAME = 'Bench';
const DEFAULT_COUNTS = [1, 10, 50];
const OUT_DIR = path.join(__dirname, '..', 'bench.out');
const LIFTED = 'synth failed at the resource limit; numbers are from a re-synth with the limit lifted';

/** One synthesis; `limitError` is CDK's error at the 500-resource limit when the numbers come from a re-synth without it. */
type Measurement = ReturnType<typeof synthesize> & { readonly limitError?: string };

const ms = (from: bigint, to: bigint): number => Math.round(Number(to - from) / 1e5) / 10;

/**
 * constructMs: App, Stack and constructs; synthMs: app.synth() and reading the template; cpuMs: CPU time of both;
 * heapMb: heap in use after synth, before any collection; widgets: per dashboard.
 */
function synthesize(pattern: BenchPattern, n: number, variant: Variant, liftLimit = false) {
  global.gc?.();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const app = new App({
    context: {
      '@aws-cdk/core:strictCfnValidateErrors': true,
      ...(liftLimit ? { '@aws-cdk/core:stackResourceLimit': 0 } : {}),
    },
  });
  const stack = new Stack(app, STACK_NAME, { env: { account: '123456789012', region: 'us-east-1' } });
  if (liftLimit) Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::F0007', reason: 'benchmark measures past the limit' });
  for (let i = 0; i < n; i++) pattern.build(stack, i, variant);
  const built = process.hrtime.bigint();
  const template = app.synth().getStackByName(STACK_NAME).template;
  const done = process.hrtime.bigint();
  const used = process.cpuUsage(cpu);
  const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
  const resources = Object.values<any>(template.Resources ?? {});
  return {
    n,
    resources: resources.length,
    bytes: Buffer.byteLength(JSON.stringify(template)),
    widgets: resources.filter((r) => r.Type === 'AWS::CloudWatch::Dashboard').map((r) => countWidgets(r.Properties.DashboardBody)),
    constructMs: ms(start, built),
    synthMs: ms(built, done),
    cpuMs: Math.round((used.user + used.system) / 100) / 10,
    heapMb,
  };
}

/** Synthesizes; past the resource limit, records CDK's error and measures again without the limit. */
function measure(pattern: BenchPattern, n: number, variant: Variant): Measurement {
  try {
    return synthesize(pattern, n, variant);
  } catch (e: any) {
    if (e?.name !== 'TooManyResourcesInStack') throw e;
    return { ...synthesize(pattern, n, variant, true), limitError: String(e.message) };
  }
}

interface Trio { readonly opex: Measurement; readonly plain: Measurement; readonly peer: Measurement }

/** cdk-opex beside the peer at N: what each adds per service over the user's resources alone, and the ratios. */
function sideBySide(n: number, now: Trio, before: Trio) {
  const added = (m: (x: Measurement) => number, of: 'opex' | 'peer'): number =>
    perService(m(now[of]) - m(now.plain), m(before[of]) - m(before.plain), n, before.opex.n);
  const figure = (m: (x: Measurement) => number) => {
    const opex = added(m, 'opex');
    const peer = added(m, 'peer');
    return { opex, peer, ratio: peer > 0 ? Math.round((opex / peer) * 100) / 100 : null };
  };
  return {
    resourcesPerService: figure((x) => x.resources),
    bytesPerService: figure((x) => x.bytes),
    cpuMsPerService: figure((x) => x.cpuMs),
    peerTotal: { resources: now.peer.resources, bytes: now.peer.bytes, cpuMs: now.peer.cpuMs, heapMb: now.peer.heapMb },
  };
}

/** Widgets in a DashboardBody. */
function countWidgets(body: unknown): number {
  return parseDashboardBody(body)?.widgets?.length ?? 0;
}

const perService = (a: number, b: number, na: number, nb: number): number => Math.round(((a - b) / (na - nb)) * 10) / 10;
const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
/** Services a stack holds before `total` reaches `limit`, growing `slope` per service. */
const servicesAtLimit = (limit: number, total: number, n: number, slope: number): number =>
  (slope > 0 ? Math.floor(n + (limit - total) / slope) : Infinity);

function main(): void {
  const given = process.argv.length > 2 ? process.argv.slice(2) : (process.env.BENCH_N ?? '').split(/[\s,]+/).filter(Boolean);
  const args = given.map(Number);
  if (args.some((x) => !Number.isInteger(x) || x < 1)) {
    console.error(`usage: npm run bench -- [N ...], or BENCH_N="N ..."  (positive whole numbers; got '${given.join(' ')}')`);
    process.exitCode = 2;
    return;
  }
  const counts = [...new Set(args.length ? args : DEFAULT_COUNTS)].sort((a, b) => a - b);
  const wanted = (process.env.BENCH_PATTERNS ?? '').split(/[\s,]+/).filter(Boolean);
  const unknown = wanted.filter((w) => !PATTERNS.some((p) => p.name === w));
  if (unknown.length) {
    console.error(`unknown pattern(s) ${unknown.join(', ')}; BENCH_PATTERNS takes: ${PATTERNS.map((p) => p.name).join(' ')}`);
    process.exitCode = 2;
    return;
  }
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const pattern of PATTERNS.filter((p) => !wanted.length || wanted.includes(p.name))) benchPattern(pattern, counts);
}

/** Measures one pattern at each N, prints its tables and writes bench.out/<pattern>.json. */
function benchPattern(pattern: BenchPattern, counts: number[]): void {
  synthesize(pattern, 10, 'opex'); // warm-up: module loading and JIT, discarded
  if (pattern.peer) synthesize(pattern, 10, 'peer');
  const refN = counts[0] === 1 ? 2 : 1; // the first N's per-service numbers are taken against this synth
  let prev = { opex: measure(pattern, refN, 'opex'), plain: measure(pattern, refN, 'plain'), peer: pattern.peer ? measure(pattern, refN, 'peer') : undefined };

  const rows = [];
  for (const n of counts) {
    let opex: Measurement; let plain: Measurement; let peer: Measurement | undefined;
    try {
      // Alternating, so load on the machine falls on all three alike.
      opex = measure(pattern, n, 'opex');
      plain = measure(pattern, n, 'plain');
      peer = pattern.peer ? measure(pattern, n, 'peer') : undefined;
    } catch (e: any) {
      rows.push({ n, error: `${e?.name ?? 'Error'}: ${e?.message ?? e}` });
      continue;
    }
    const growth = (value: (m: Measurement) => number, added = false): number =>
      perService(value(opex) - (added ? value(plain) : 0), value(prev.opex) - (added ? value(prev.plain) : 0), n, prev.opex.n);
    const size = (value: (m: Measurement) => number) => ({
      total: value(opex),
      plain: value(plain),
      added: value(opex) - value(plain),
      addedPerService: growth(value, true),
      totalPerService: growth(value),
    });
    const resources = size((m) => m.resources);
    const templateBytes = size((m) => m.bytes);
    const widgetsPerService = growth((m) => sum(m.widgets));
    rows.push({
      n,
      comparedWithN: prev.opex.n,
      resources,
      templateBytes,
      dashboards: { count: opex.widgets.length, widgets: opex.widgets, maxWidgets: Math.max(0, ...opex.widgets), widgetsPerService },
      timeMs: { construct: opex.constructMs, synth: opex.synthMs, plainConstruct: plain.constructMs, plainSynth: plain.synthMs },
      cpuMs: { opex: opex.cpuMs, plain: plain.cpuMs, addedPerService: growth((m) => m.cpuMs, true) },
      heapMb: { opex: opex.heapMb, plain: plain.heapMb },
      peer: peer && prev.peer ? sideBySide(n, { opex, plain, peer }, { opex: prev.opex, plain: prev.plain, peer: prev.peer }) : undefined,
      headroom: {
        resourcesUsed: opex.resources / Limits.CFN_RESOURCES_PER_STACK,
        servicesAtResourceLimit: servicesAtLimit(Limits.CFN_RESOURCES_PER_STACK, opex.resources, n, resources.totalPerService),
        bytesUsed: opex.bytes / Limits.CFN_TEMPLATE_BYTES,
        servicesAtByteLimit: servicesAtLimit(Limits.CFN_TEMPLATE_BYTES, opex.bytes, n, templateBytes.totalPerService),
        widgetsUsed: Math.max(0, ...opex.widgets) / Limits.DASHBOARD_WIDGETS,
        servicesPerDashboard: widgetsPerService > 0 ? Math.floor(Limits.DASHBOARD_WIDGETS / widgetsPerService) : null,
      },
      limitErrors: { opex: opex.limitError, plain: plain.limitError },
    });
    prev = { opex, plain, peer };
  }
  print(pattern, rows);
  const outFile = path.join(OUT_DIR, `${pattern.name}.json`);
  fs.writeFileSync(outFile, JSON.stringify({
    pattern: pattern.name,
    service: pattern.description,
    generated: new Date().toISOString(),
    node: process.version,
    definitions: {
      perService: '(value(N) - value(P)) / (N - P); P = previous N, or the warm-up synth (N=1, or N=2 when the first N is 1)',
      added: 'stack with the pattern minus the same stack with the user\'s resources only',
      templateBytes: 'bytes of JSON.stringify(template), no indentation',
      timeMs: 'construct: new App/Stack/constructs; synth: app.synth() with strict CloudFormation validation',
      cpuMs: 'process CPU time (user + system) of construct and synth',
      heapMb: 'V8 heap in use right after synth (after a collection before the build, when node runs with --expose-gc)',
      peer: 'the same user resources monitored by the peer (bench/patterns.ts says how); ratio = cdk-opex / peer, per service added',
      limitErrors: LIFTED,
    },
    limits: { resources: Limits.CFN_RESOURCES_PER_STACK, templateBytes: Limits.CFN_TEMPLATE_BYTES, dashboardWidgets: Limits.DASHBOARD_WIDGETS },
    rows,
  }, (_k, v) => (v === Infinity ? null : v), 2) + '\n');
  console.log(`\nwritten: ${path.relative(process.cwd(), outFile)}\n`);
}

function print(pattern: BenchPattern, rows: any[]): void {
  const pad = (cells: unknown[], widths: number[]): string => cells.map((c, i) => String(c).padStart(widths[i])).join(' ');
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  const main1 = [5, 6, 6, 6, 7, 9, 8, 8, 5, 8, 10, 9, 9];
  console.log(`cdk-opex synth benchmark [${pattern.name}]: one stack, N services, each ${pattern.description}`);
  console.log('"+" = added by cdk-opex (vs the same stack without it); "/svc" = per service, marginal vs the previous N\n');
  console.log(pad(['N', 'res', 'plain', '+res', '+res/svc', 'bytes', '+bytes', '+b/svc', 'dash', 'widgets', 'constr ms', 'synth ms', 'plain ms'], main1));
  for (const r of rows) {
    if (r.error) { console.log(pad([r.n, `error: ${r.error}`], [5, 0])); continue; }
    const mark = r.limitErrors.opex || r.limitErrors.plain ? '!' : '';
    console.log(pad([`${mark}${r.n}`, r.resources.total, r.resources.plain, r.resources.added, r.resources.addedPerService,
      r.templateBytes.total, r.templateBytes.added, Math.round(r.templateBytes.addedPerService), r.dashboards.count,
      `${r.dashboards.maxWidgets}/${Limits.DASHBOARD_WIDGETS}`, r.timeMs.construct, r.timeMs.synth, r.timeMs.plainSynth], main1));
  }
  const head = [5, 8, 9, 13, 10, 10, 10, 12, 12, 14];
  console.log('\nHeadroom of the whole stack (functions + cdk-opex); growth per service of the last interval, extrapolated linearly');
  console.log(pad(['N', 'res/svc', 'res used', `N at ${Limits.CFN_RESOURCES_PER_STACK} res`, 'bytes/svc', 'bytes used', 'N at 1 MB',
    'widgets/svc', 'widgets max', 'svc/dashboard'], head));
  for (const r of rows.filter((x) => !x.error)) {
    const h = r.headroom;
    console.log(pad([r.n, r.resources.totalPerService, pct(h.resourcesUsed), h.servicesAtResourceLimit, Math.round(r.templateBytes.totalPerService),
      pct(h.bytesUsed), h.servicesAtByteLimit, r.dashboards.widgetsPerService, pct(h.widgetsUsed), h.servicesPerDashboard ?? '-'], head));
  }
  const peered = rows.filter((r) => r.peer);
  if (peered.length) {
    const side = [5, 9, 9, 7, 10, 10, 7, 10, 10, 7, 8, 8];
    console.log(`\nSide by side with the peer (${pattern.peerName}): added per service over the user's resources alone; ratio = cdk-opex / peer`);
    console.log(pad(['N', 'res opex', 'res peer', 'ratio', 'bytes opex', 'bytes peer', 'ratio', 'cpu ms', 'cpu peer', 'ratio', 'heap MB', 'heap pr'], side));
    for (const r of peered) {
      const p = r.peer;
      console.log(pad([r.n, p.resourcesPerService.opex, p.resourcesPerService.peer, p.resourcesPerService.ratio ?? '-',
        Math.round(p.bytesPerService.opex), Math.round(p.bytesPerService.peer), p.bytesPerService.ratio ?? '-',
        p.cpuMsPerService.opex, p.cpuMsPerService.peer, p.cpuMsPerService.ratio ?? '-', r.heapMb.opex, p.peerTotal.heapMb], side));
    }
  }
  const notes = rows.flatMap((r) => Object.entries(r.limitErrors ?? {}).filter(([, m]) => m).map(([which, m]) => [r.n, which, m]));
  for (const [n, which, m] of notes) console.log(`\n! N=${n} (${which}): ${LIFTED}.\n  CDK said: ${String(m).split(': AWS::')[0]}`);
}

try {
  main();
} catch (e: any) {
  console.error(`bench failed: ${e?.name ?? 'Error'}: ${e?.message ?? e}`);
  process.exitCode = 1;
}
