import * as fs from 'fs';
import * as path from 'path';
import { analyzeAssembly, StackTemplateInput } from './analyze';
import { OperationalReadiness } from './model';
import { renderHtml, renderJson, renderMarkdown } from './render';
import { flattenNestedStacks } from '../model/nested';

/** Base name of the report files a cloud assembly gets. */
export const REPORT_BASENAME = 'opex-readiness';

/** Files `writeReport` writes, relative to its directory. */
export const REPORT_FILES = [`${REPORT_BASENAME}.json`, `${REPORT_BASENAME}.md`, `${REPORT_BASENAME}.html`];

/** Writes opex-readiness.json, .md and .html into `outdir`; returns their paths. */
export function writeReport(outdir: string, report: OperationalReadiness): string[] {
  fs.mkdirSync(outdir, { recursive: true });
  const files: Array<[string, string]> = [
    [REPORT_FILES[0], renderJson(report)],
    [REPORT_FILES[1], renderMarkdown(report)],
    [REPORT_FILES[2], renderHtml(report)],
  ];
  return files.map(([name, body]) => {
    const file = path.join(outdir, name);
    fs.writeFileSync(file, body);
    return file;
  });
}

/** Stack names by template file, from an assembly's manifest.json (when there is one). */
function stackNames(dir: string): Map<string, string> {
  const names = new Map<string, string>();
  const manifest = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifest)) return names;
  try {
    const artifacts: Record<string, any> = JSON.parse(fs.readFileSync(manifest, 'utf8')).artifacts ?? {};
    for (const [id, artifact] of Object.entries(artifacts)) {
      const file = artifact?.properties?.templateFile;
      if (artifact?.type === 'aws:cloudformation:stack' && typeof file === 'string') {
        names.set(file, artifact.properties.stackName ?? id);
      }
    }
  } catch {
    // A manifest we cannot read leaves the file names as stack names.
  }
  return names;
}

/** Templates of a directory: `*.template.json` and those of nested assemblies (`assembly-*` for stages). */
export function templatesIn(dir: string, root: string = dir): Array<{ file: string; stackName: string }> {
  const names = stackNames(dir);
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const found: Array<{ file: string; stackName: string }> = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith('.template.json')) {
      found.push({ file: full, stackName: names.get(entry.name) ?? entry.name.replace(/\.template\.json$/, '') });
    }
  }
  for (const entry of entries) {
    if (entry.isDirectory() && entry.name.startsWith('assembly-')) found.push(...templatesIn(path.join(dir, entry.name), root));
  }
  return found;
}

function readJson(file: string): any | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined; // a nested template that is not there is not read
  }
}

/** The readiness report of the templates at the given paths; `root` makes template paths relative. */
export function reportFromTemplates(files: Array<{ file: string; stackName: string }>, root: string): OperationalReadiness {
  const merged = new Set<string>();
  const read = files.map(({ file, stackName }) => {
    const dir = path.dirname(file);
    const { template, nested } = flattenNestedStacks(JSON.parse(fs.readFileSync(file, 'utf8')), (f) => readJson(path.join(dir, f)));
    nested.forEach((n) => merged.add(path.resolve(dir, n.templateFile)));
    return { file, input: { stackName, templateFile: path.relative(root, file).split(path.sep).join('/'), template, nestedStacks: nested } };
  });
  // A nested stack read as part of its parent is not a stack of its own too.
  const stacks: StackTemplateInput[] = read.filter(({ file }) => !merged.has(path.resolve(file))).map(({ input }) => input);
  return analyzeAssembly(stacks);
}

/**
 * The readiness report of a cloud assembly directory (`cdk.out`): every
 * `*.template.json`, including those of stages' nested assemblies.
 */
export function reportFromAssembly(dir: string): OperationalReadiness {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`no cloud assembly at ${dir}: run \`cdk synth\` first, or pass the directory it wrote (cdk.out)`);
  }
  const templates = templatesIn(dir);
  if (templates.length === 0) {
    throw new Error(`no *.template.json in ${dir}: is it a cloud assembly (the output of \`cdk synth\`)?`);
  }
  return reportFromTemplates(templates, dir);
}
