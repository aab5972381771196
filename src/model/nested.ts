/**
 * Nested stacks read as part of their parent: a parent template and its nested templates
 * become one template, so the stack model (and the checks and report that read it) sees
 * one stack. Pure JSON in and out.
 */
import { isObject } from './template';
import { CATALOG_METADATA_KEY } from '../core/catalog';

/**
 * The nested stacks read as part of a template: those its cdk-opex catalog lists (where the
 * hub placed services), by logical id, with their template files relative to the parent
 * template's directory. A nested stack of the user's own stays a stack of its own.
 */
export function nestedTemplateFiles(template: any): Map<string, string> {
  const files = new Map<string, string>();
  const placed = template?.Metadata?.[CATALOG_METADATA_KEY]?.nestedStacks;
  for (const n of Array.isArray(placed) ? placed : []) {
    if (typeof n?.logicalId === 'string' && typeof n?.templateFile === 'string') files.set(n.logicalId, n.templateFile);
  }
  return files;
}

/** What flattening found: the one template, and each nested stack's own size. */
export interface FlattenedTemplate {
  readonly template: any;
  readonly nested: Array<{ readonly logicalId: string; readonly templateFile: string; readonly resources: number }>;
}

/**
 * `template` with the resources of every nested stack whose template `read` returns merged
 * in (deeper nesting too): a nested template's parameters are replaced by the values its
 * parent passes, the parent's `Fn::GetAtt [stack, Outputs.X]` by the output's value, and a
 * nested logical id that the parent already uses is prefixed with the nested stack's.
 */
export function flattenNestedStacks(template: any, read: (file: string) => any | undefined): FlattenedTemplate {
  let resources: Record<string, any> = { ...(template?.Resources ?? {}) };
  const outputs = new Map<string, unknown>();
  const nested: FlattenedTemplate['nested'] = [];
  for (const [stackId, file] of nestedTemplateFiles(template)) {
    const child = read(file);
    if (!isObject(child)) continue;
    const inner = flattenNestedStacks(child, (f) => read(joinPath(dirOf(file), f))).template;
    nested.push({ logicalId: stackId, templateFile: file, resources: Object.keys(child.Resources ?? {}).length });
    mergeNestedStack(resources, outputs, stackId, inner);
  }
  resources = resolveNestedOutputs(resources, outputs);
  return { template: { ...template, Resources: resources }, nested };
}

/**
 * Merges the nested stack `stackId`'s template into `resources` (its parent's): its
 * parameters become the values the parent passes, and a logical id the parent already uses
 * is prefixed with `<stackId>.`. Its outputs are added to `outputs` as `<stackId>.Outputs.<name>`,
 * for the parent's `Fn::GetAtt`s to be replaced once every nested stack is merged.
 */
export function mergeNestedStack(resources: Record<string, any>, outputs: Map<string, unknown>, stackId: string, child: any): void {
  const innerResources: Record<string, any> = child?.Resources ?? {};
  const rename = new Map<string, string>();
  for (const id of Object.keys(innerResources)) rename.set(id, id in resources ? `${stackId}.${id}` : id);
  const passed: Record<string, unknown> = resources[stackId]?.Properties?.Parameters ?? {};
  const params = new Set(Object.keys(child?.Parameters ?? {}));
  const rewrite = (value: unknown): unknown => rewriteRefs(value, (ref) => {
    if (params.has(ref) && ref in passed) return passed[ref];
    const to = rename.get(ref);
    return to === undefined || to === ref ? undefined : { Ref: to };
  }, (id) => rename.get(id));
  for (const [id, r] of Object.entries(innerResources)) resources[rename.get(id)!] = rewrite(r);
  for (const [name, out] of Object.entries<any>(child?.Outputs ?? {})) outputs.set(`${stackId}.Outputs.${name}`, rewrite(out?.Value));
}

/** Replaces the parent's `Fn::GetAtt [stack, Outputs.X]` in `resources` by the merged outputs' values. */
export function resolveNestedOutputs(resources: Record<string, any>, outputs: Map<string, unknown>): Record<string, any> {
  return outputs.size ? rewriteGetAtts(resources, outputs) as Record<string, any> : resources;
}

/** `value` with `{ Ref }`s replaced where `ref` returns a value, and `Fn::GetAtt` targets renamed by `renameId`. */
function rewriteRefs(value: unknown, ref: (name: string) => unknown, renameId: (id: string) => string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, ref, renameId));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof value.Ref === 'string') return ref(value.Ref) ?? value;
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt' && Array.isArray(value['Fn::GetAtt'])) {
    const [id, ...rest] = value['Fn::GetAtt'];
    const to = typeof id === 'string' ? renameId(id) : undefined;
    return to && to !== id ? { 'Fn::GetAtt': [to, ...rest] } : value;
  }
  return Object.fromEntries(keys.map((k) => [k, rewriteRefs(value[k], ref, renameId)]));
}

/** `value` with `{ Fn::GetAtt: [stack, 'Outputs.X'] }` replaced by the nested output's value. */
function rewriteGetAtts(value: unknown, outputs: Map<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteGetAtts(v, outputs));
  if (!isObject(value)) return value;
  const att = value['Fn::GetAtt'];
  if (Object.keys(value).length === 1 && Array.isArray(att) && att.length === 2) {
    const found = outputs.get(`${att[0]}.${att[1]}`);
    if (found !== undefined) return found;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteGetAtts(v, outputs)]));
}

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function joinPath(dir: string, file: string): string {
  return dir ? `${dir}/${file}` : file;
}
