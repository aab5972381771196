import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');
/** A file past this many lines holds several responsibilities (DESIGN.md). */
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports of each source file, resolved to files. */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\b[^'";]*?from\s+'(\.[^']+)'/gm)].map((m) => {
      const base = path.resolve(path.dirname(file), m[1]);
      return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    }).filter((f): f is string => f !== undefined);
    graph.set(file, targets);
  }
  return graph;
}

/** Import cycles, each as the files on it (strongly connected components of more than one file, or a file importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.map((f) => path.relative(SRC, f)).sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('architecture of src/', () => {
  const files = sourceFiles(SRC);

  test('no import cycle', () => {
    expect(cycles(importGraph(files))).toEqual([]);
  });

  test('the cycle finder finds a cycle', () => {
    const a = path.join(SRC, 'a.ts');
    const b = path.join(SRC, 'b.ts');
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts']]);
  });

  test(`no file over ${MAX_LINES} lines`, () => {
    const long = files.map((f) => [path.relative(SRC, f), fs.readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > MAX_LINES);
    expect(long).toEqual([]);
  });

  test('the stack model and the report load no aws-cdk-lib construct module (they read JSON)', () => {
    const pure = files.filter((f) => /[\\/]src[\\/](model|report)[\\/]/.test(f) && !f.endsWith('plugin.ts') && !f.endsWith('index.ts'));
    expect(pure.length).toBeGreaterThan(5);
    for (const file of pure) expect([path.relative(SRC, file), fs.readFileSync(file, 'utf8')]).not.toEqual([path.relative(SRC, file), expect.stringMatching(/from 'aws-cdk-lib/)]);
  });
});
