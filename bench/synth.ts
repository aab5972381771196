/**
 * Synth benchmark: for each cdk-opex pattern, one stack of N services (the user's resources
 * wrapped in the pattern) against the same stack without cdk-opex and, where there is one,
 * beside the peer. Measures only; no thresholds. See bench/README.md.
 *
 *   npm run bench                            # every pattern, N = 1, 10, 50, 150
 *   npm run bench -- 1 10 50                 # other N
 *   BENCH_N=1,10 BENCH_PATTERNS=function BENCH_REPS=5 npm run bench
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { measure, Measurement, SYNTH_SETTINGS } from './measure';
import { BenchPattern, PATTERNS, Variant } from './patterns';
import { figures, Row, rows } from './results';
import { patternTable, peerTables } from './table';
import { Limits } from '../src';

const DEFAULT_COUNTS = [1, 10, 50, 150];
const OUT_DIR = path.join(__dirname, '..', 'bench.out');

interface Options {
  readonly counts: number[];
  readonly patterns: BenchPattern[];
  /** Repetitions at N; BENCH_REPS sets one number for every N. */
  readonly reps: (n: number) => number;
}

const words = (value: string | undefined): string[] => (value ?? '').split(/[\s,]+/).filter(Boolean);
const isCount = (x: number): boolean => Number.isInteger(x) && x >= 1;

/** Options from the arguments and the environment, or the usage error. */
function options(): Options | string {
  const given = process.argv.length > 2 ? process.argv.slice(2) : words(process.env.BENCH_N);
  const counts = given.map(Number);
  if (!counts.every(isCount)) return `N must be positive whole numbers (npm run bench -- 1 10, or BENCH_N=1,10); got '${given.join(' ')}'`;
  const wanted = words(process.env.BENCH_PATTERNS);
  const unknown = wanted.filter((w) => !PATTERNS.some((p) => p.name === w));
  if (unknown.length) return `unknown pattern(s) ${unknown.join(', ')}; BENCH_PATTERNS takes: ${PATTERNS.map((p) => p.name).join(' ')}`;
  const reps = process.env.BENCH_REPS === undefined ? undefined : Number(process.env.BENCH_REPS);
  if (reps !== undefined && !isCount(reps)) return `BENCH_REPS must be a positive whole number; got '${process.env.BENCH_REPS}'`;
  return {
    counts: [...new Set(counts.length ? counts : DEFAULT_COUNTS)].sort((a, b) => a - b),
    patterns: PATTERNS.filter((p) => !wanted.length || wanted.includes(p.name)),
    reps: (n) => reps ?? (n <= 50 ? 3 : 1),
  };
}

/** Measures one pattern at each N: per repetition cdk-opex, the peer and plain in turn, so load on the machine falls on all alike. */
function benchPattern(pattern: BenchPattern, opts: Options): Row[] {
  const variants: Variant[] = pattern.peer ? ['opex', 'peer', 'plain'] : ['opex', 'plain'];
  for (const v of variants) measure(pattern, 10, v); // warm-up: module loading and JIT, discarded
  const points = opts.counts.map((n) => {
    const runs: Record<Variant, Measurement[]> = { opex: [], peer: [], plain: [] };
    for (let r = 0; r < opts.reps(n); r++) for (const v of variants) runs[v].push(measure(pattern, n, v));
    return { n, reps: opts.reps(n), opex: figures(runs.opex), plain: figures(runs.plain), peer: pattern.peer ? figures(runs.peer) : undefined };
  });
  return rows(points);
}

const DEFINITIONS = {
  settings: SYNTH_SETTINGS,
  resources: 'resources summed over every template of the cloud assembly (the stack and its nested stacks); max: the largest template',
  bytes: 'bytes of each template as minified JSON (JSON.stringify), summed; max: the largest template',
  cpuMs: 'median CPU time (process.cpuUsage, user + system) of building the constructs and app.synth(); for cdk-opex it includes '
    + 'the readiness report, which the hub runs at every synth',
  heapMb: 'peak V8 heap in use during build and synth above the heap before (from GC statistics); live: heap still in use after '
    + 'synth and a full collection, with the app reachable',
  checksMs: 'cdk-opex only: median CPU time of new OperationalExcellenceChecks().validateScope(app) after synth',
  reportMs: 'cdk-opex only: median CPU time of reportFromAssembly(outdir) and writeReport (the work the report plugin does in synth)',
  added: 'cdk-opex (or the peer) minus plain at the same N: the user\'s own resources subtracted',
  perExtraService: '(added(N) - added(first N)) / (N - first N)',
  perService: 'added(N) / N',
  ratio: 'cdk-opex / peer, of what each adds per service',
  limits: `a template at or past ${Limits.CFN_RESOURCES_PER_STACK} resources or ${Limits.CFN_TEMPLATE_BYTES} bytes, or a dashboard of more than `
    + `${Limits.DASHBOARD_WIDGETS} widgets, is flagged, not failed`,
};

function main(): void {
  const opts = options();
  if (typeof opts === 'string') {
    console.error(`bench: ${opts}`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const machine = `node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at start`;
  console.log(`# cdk-opex synth benchmark\n\n${SYNTH_SETTINGS}.\n${machine}. N = ${opts.counts.join(', ')}; `
    + `repetitions ${opts.counts.map(opts.reps).join(', ')} (median), after a discarded warm-up at N=10.\n`);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const pattern of opts.patterns) {
    const patternStart = Date.now();
    const result = benchPattern(pattern, opts);
    const seconds = Math.round((Date.now() - patternStart) / 1000);
    console.log([...patternTable(pattern, result), ...peerTables(pattern, result), `(${pattern.name}: ${seconds} s)`, ''].join('\n'));
    const outFile = path.join(OUT_DIR, `${pattern.name}.json`);
    fs.writeFileSync(outFile, JSON.stringify({
      pattern: pattern.name,
      service: pattern.description,
      peer: pattern.peerName,
      generated: new Date().toISOString(),
      machine,
      seconds,
      definitions: DEFINITIONS,
      limits: { resources: Limits.CFN_RESOURCES_PER_STACK, templateBytes: Limits.CFN_TEMPLATE_BYTES, dashboardWidgets: Limits.DASHBOARD_WIDGETS },
      rows: result,
    }, undefined, 2) + '\n');
  }
  const total = Math.round((Date.now() - started) / 1000);
  console.log(`Total: ${Math.floor(total / 60)} min ${total % 60} s; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at the end. `
    + `JSON in ${path.relative(process.cwd(), OUT_DIR)}/<pattern>.json`);
}

try {
  main();
} catch (e: any) {
  console.error(`bench failed: ${e?.name ?? 'Error'}: ${e?.message ?? e}`);
  process.exitCode = 1;
}
