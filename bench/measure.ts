/**
 * One measured synthesis: a stack of N services of one pattern and variant, synthesized into
 * a fresh cloud assembly, with every template of it counted (nested stacks included).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, Stack } from 'aws-cdk-lib';
import { BenchPattern, Variant } from './patterns';
import { Limits, OperationalExcellenceChecks, reportFromAssembly, writeReport } from '../src';
import { parseDashboardBody } from '../src/core/cfn-values';

export const STACK_NAME = 'Bench';

/** How the bench synthesizes, printed with the results. */
export const SYNTH_SETTINGS = 'CloudFormation validation off (App builtinCloudFormationValidation: false); '
  + 'CDK\'s 500-resource check lifted (@aws-cdk/core:stackResourceLimit: 0), so a stack past a limit is measured and flagged';

/** One template of the assembly. */
export interface TemplateSize {
  /** File name in the assembly directory. */
  readonly file: string;
  readonly resources: number;
  /** Bytes of the template as minified JSON. */
  readonly bytes: number;
  /** Widgets of each dashboard in the template. */
  readonly dashboardWidgets: number[];
}

export interface Measurement {
  readonly n: number;
  readonly variant: Variant;
  /** Every template of the assembly: the stack and its nested stacks. */
  readonly templates: TemplateSize[];
  /** Sums over all templates. */
  readonly resources: number;
  readonly bytes: number;
  /** The largest single template. */
  readonly maxResources: number;
  readonly maxBytes: number;
  /** CPU time (user + system) of building the constructs and `app.synth()`. */
  readonly cpuMs: number;
  /** Peak V8 heap in use while building and synthesizing, above the heap in use before. */
  readonly heapMb: number;
  /** V8 heap still in use after synth, after a collection, with the app reachable: what the app holds. */
  readonly liveMb: number;
  /** Constructs in the app's tree. */
  readonly constructs: number;
  /** cdk-opex only: CPU time of OperationalExcellenceChecks on the synthesized app. */
  readonly checksMs?: number;
  /** cdk-opex only: findings of those checks (all resources). */
  readonly checksFindings?: number;
  /** cdk-opex only: CPU time of the readiness report of the assembly (read, analyze, render, write). */
  readonly reportMs?: number;
  /** cdk-opex only: services the report lists. */
  readonly reportServices?: number;
}

/** Node's collector, made callable without `--expose-gc` on the command line. */
const collect: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
})();

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** Runs `work` and returns its result with the CPU time it took. */
function timed<T>(work: () => T): [T, number] {
  const start = process.cpuUsage();
  const result = work();
  return [result, cpuMs(start)];
}

/** Every `*.template.json` under the assembly directory: stacks, nested stacks (`*.nested.template.json`) and stages' assemblies. */
export function assemblyTemplates(dir: string): TemplateSize[] {
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.template.json')).sort();
  return files.map((file) => {
    const template = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const resources = Object.values<any>(template.Resources ?? {});
    const dashboardWidgets = resources.filter((r) => r?.Type === 'AWS::CloudWatch::Dashboard')
      .map((r) => parseDashboardBody(r.Properties?.DashboardBody)?.widgets?.length ?? 0);
    return { file, resources: resources.length, bytes: Buffer.byteLength(JSON.stringify(template)), dashboardWidgets };
  });
}

const int = (x: number): string => x.toLocaleString('en-US');

/** Templates at or past CloudFormation's limits, and dashboards past CloudWatch's, as `file: what` lines. */
export function overLimits(templates: TemplateSize[]): string[] {
  return templates.flatMap((t) => [
    ...(t.resources >= Limits.CFN_RESOURCES_PER_STACK ? [`${t.file}: ${t.resources} resources (limit ${Limits.CFN_RESOURCES_PER_STACK})`] : []),
    ...(t.bytes >= Limits.CFN_TEMPLATE_BYTES ? [`${t.file}: ${int(t.bytes)} bytes (limit ${int(Limits.CFN_TEMPLATE_BYTES)})`] : []),
    ...t.dashboardWidgets.filter((w) => w > Limits.DASHBOARD_WIDGETS).map((w) => `${t.file}: a dashboard of ${w} widgets (limit ${Limits.DASHBOARD_WIDGETS})`),
  ]);
}

/**
 * Builds and synthesizes N services; for cdk-opex, also runs the checks and the report on the result.
 * The report also runs inside `app.synth()` (the hub registers it on every synth), so `cpuMs` includes it.
 */
export function measure(pattern: BenchPattern, n: number, variant: Variant): Measurement {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'opex-bench-'));
  try {
    collect();
    const heapBefore = process.memoryUsage().heapUsed;
    const profiler = new v8.GCProfiler();
    profiler.start();
    const [app, synthMs] = timed(() => {
      const a = new App({ outdir, builtinCloudFormationValidation: false, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
      const stack = new Stack(a, STACK_NAME, { env: { account: '123456789012', region: 'us-east-1' } });
      for (let i = 0; i < n; i++) pattern.build(stack, i, variant);
      a.synth();
      return a;
    });
    const heapAfter = process.memoryUsage().heapUsed;
    const gcs = profiler.stop()?.statistics ?? [];
    const peak = Math.max(heapAfter, ...gcs.map((g) => g.beforeGC.heapStatistics.usedHeapSize));
    collect();
    const live = process.memoryUsage().heapUsed; // the app is still reachable: what its constructs and assembly hold
    const templates = assemblyTemplates(outdir);
    const base = {
      n,
      variant,
      templates,
      resources: templates.reduce((s, t) => s + t.resources, 0),
      bytes: templates.reduce((s, t) => s + t.bytes, 0),
      maxResources: Math.max(0, ...templates.map((t) => t.resources)),
      maxBytes: Math.max(0, ...templates.map((t) => t.bytes)),
      cpuMs: synthMs,
      heapMb: (peak - heapBefore) / 2 ** 20,
      liveMb: (live - heapBefore) / 2 ** 20,
      constructs: app.node.findAll().length,
    };
    if (variant !== 'opex') return base;
    const [findings, checksMs] = timed(() => new OperationalExcellenceChecks().validateScope(app).violations
      .reduce((s, v) => s + v.violatingResources.length, 0));
    const [services, reportMs] = timed(() => {
      const report = reportFromAssembly(outdir);
      writeReport(outdir, report);
      return report.summary.services;
    });
    return { ...base, checksMs, checksFindings: findings, reportMs, reportServices: services };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
