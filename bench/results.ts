/**
 * From measurements to results: the median of each variant's repetitions at each N, what
 * cdk-opex (and the peer) add over the user's resources, and those figures per service.
 */
import { Measurement, overLimits, TemplateSize } from './measure';

/** One variant at one N: sizes (the same in every repetition) and the median of the times. */
export interface Figures {
  readonly resources: number;
  readonly bytes: number;
  readonly maxResources: number;
  readonly maxBytes: number;
  readonly templates: TemplateSize[];
  /** Templates at or past CloudFormation's limits. */
  readonly overLimits: string[];
  readonly constructs: number;
  readonly cpuMs: number;
  readonly heapMb: number;
  readonly liveMb: number;
  readonly checksMs?: number;
  readonly checksFindings?: number;
  readonly reportMs?: number;
  readonly reportServices?: number;
  /** Every repetition's CPU time, in the order run. */
  readonly cpuMsRuns: number[];
}

/** The figures that grow with N, for per-service arithmetic. */
export interface Growth {
  readonly resources: number;
  readonly bytes: number;
  readonly cpuMs: number;
  readonly heapMb: number;
  readonly liveMb: number;
}

/** The peer beside cdk-opex at one N: each one's growth over the user's resources, and cdk-opex / peer. */
export interface SideBySide {
  readonly opex: Growth & { readonly cpuMsWithoutReport: number };
  readonly peer: Growth;
  readonly ratio: {
    readonly resources: number | null; readonly bytes: number | null; readonly cpuMs: number | null; readonly cpuMsWithoutReport: number | null;
  };
}

export interface Row {
  readonly n: number;
  readonly reps: number;
  readonly opex: Figures;
  readonly plain: Figures;
  readonly peer?: Figures;
  /** cdk-opex minus plain at N. */
  readonly added: Growth;
  /** (added(N) − added(first N)) / (N − first N); absent at the first N. */
  readonly perExtraService?: Growth;
  /** added(N) / N. */
  readonly perService: Growth;
  /** Checks and report CPU time divided by N, and their growth from the first N. */
  readonly checksMsPerService: number;
  readonly reportMsPerService: number;
  readonly checksMsPerExtraService?: number;
  readonly reportMsPerExtraService?: number;
  /** Per extra service, then per service (total ÷ N), beside the peer. */
  readonly peerPerExtraService?: SideBySide;
  readonly peerPerService?: SideBySide;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const round = (x: number, places = 1): number => Math.round(x * 10 ** places) / 10 ** places;
const optionalMedian = (xs: Array<number | undefined>): number | undefined =>
  (xs.every((x) => x !== undefined) && xs.length ? round(median(xs as number[])) : undefined);

/** One variant's repetitions at one N, summarized. */
export function figures(runs: Measurement[]): Figures {
  const first = runs[0];
  return {
    resources: first.resources,
    bytes: first.bytes,
    maxResources: first.maxResources,
    maxBytes: first.maxBytes,
    templates: first.templates,
    overLimits: overLimits(first.templates),
    constructs: first.constructs,
    cpuMs: round(median(runs.map((r) => r.cpuMs))),
    heapMb: round(median(runs.map((r) => r.heapMb))),
    liveMb: round(median(runs.map((r) => r.liveMb))),
    checksMs: optionalMedian(runs.map((r) => r.checksMs)),
    checksFindings: first.checksFindings,
    reportMs: optionalMedian(runs.map((r) => r.reportMs)),
    reportServices: first.reportServices,
    cpuMsRuns: runs.map((r) => round(r.cpuMs)),
  };
}

const growth = (f: Figures): Growth => ({ resources: f.resources, bytes: f.bytes, cpuMs: f.cpuMs, heapMb: f.heapMb, liveMb: f.liveMb });
const minus = (a: Growth, b: Growth): Growth => ({
  resources: a.resources - b.resources, bytes: a.bytes - b.bytes, cpuMs: a.cpuMs - b.cpuMs, heapMb: a.heapMb - b.heapMb, liveMb: a.liveMb - b.liveMb,
});
const divided = (a: Growth, by: number): Growth => ({
  resources: round(a.resources / by, 2),
  bytes: round(a.bytes / by, 0),
  cpuMs: round(a.cpuMs / by, 2),
  heapMb: round(a.heapMb / by, 3),
  liveMb: round(a.liveMb / by, 3),
});
const ratio = (a: number, b: number): number | null => (b > 0 ? round(a / b, 2) : null);

function side(opex: Growth, opexWithoutReport: number, peer: Growth): SideBySide {
  return {
    opex: { ...opex, cpuMsWithoutReport: opexWithoutReport },
    peer,
    ratio: {
      resources: ratio(opex.resources, peer.resources),
      bytes: ratio(opex.bytes, peer.bytes),
      cpuMs: ratio(opex.cpuMs, peer.cpuMs),
      cpuMsWithoutReport: ratio(opexWithoutReport, peer.cpuMs),
    },
  };
}

/** The measured points of one pattern, in increasing N, as result rows. */
export function rows(points: Array<{ n: number; reps: number; opex: Figures; plain: Figures; peer?: Figures }>): Row[] {
  const addedOf = (p: typeof points[number]) => minus(growth(p.opex), growth(p.plain));
  const peerAddedOf = (p: typeof points[number]) => (p.peer ? minus(growth(p.peer), growth(p.plain)) : undefined);
  const withoutReport = (p: typeof points[number]) => p.opex.cpuMs - (p.opex.reportMs ?? 0) - p.plain.cpuMs;
  const base = points[0];
  return points.map((p) => {
    const added = addedOf(p);
    const extra = p.n - base.n;
    const perExtraService = extra > 0 ? divided(minus(added, addedOf(base)), extra) : undefined;
    const perService = divided(added, p.n);
    const peerAdded = peerAddedOf(p);
    const basePeer = peerAddedOf(base);
    return {
      n: p.n,
      reps: p.reps,
      opex: p.opex,
      plain: p.plain,
      peer: p.peer,
      added,
      perExtraService,
      perService,
      checksMsPerService: round((p.opex.checksMs ?? 0) / p.n, 2),
      reportMsPerService: round((p.opex.reportMs ?? 0) / p.n, 2),
      checksMsPerExtraService: extra > 0 ? round(((p.opex.checksMs ?? 0) - (base.opex.checksMs ?? 0)) / extra, 2) : undefined,
      reportMsPerExtraService: extra > 0 ? round(((p.opex.reportMs ?? 0) - (base.opex.reportMs ?? 0)) / extra, 2) : undefined,
      peerPerExtraService: perExtraService && peerAdded && basePeer
        ? side(perExtraService, round((withoutReport(p) - withoutReport(base)) / extra, 2), divided(minus(peerAdded, basePeer), extra))
        : undefined,
      peerPerService: peerAdded ? side(perService, round(withoutReport(p) / p.n, 2), divided(peerAdded, p.n)) : undefined,
    };
  });
}
