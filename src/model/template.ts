/** CloudFormation template JSON, read without aws-cdk-lib: the stack model's input. */

import { cfnText, literalString, referencedId, referencedIds } from '../core/cfn-values';

// The model reads values through the one shared reader.
export { cfnText, literalString, referencedId, referencedIds };

/** A template's `Resources`, by logical id. */
export type Resources = Record<string, CfnResourceJson>;

/** One resource of a template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: any;
  readonly Metadata?: any;
  readonly UpdatePolicy?: any;
}

const byType = new WeakMap<Resources, Map<string, Array<[string, CfnResourceJson]>>>();

/** The resources of one type, in template order; indexed once per template, so scans per service stay cheap. */
export function resourcesOfType(resources: Resources, type: string): Array<[string, CfnResourceJson]> {
  let index = byType.get(resources);
  if (!index) {
    index = new Map();
    for (const entry of Object.entries(resources)) {
      const ofType = index.get(entry[1].Type);
      if (ofType) ofType.push(entry);
      else index.set(entry[1].Type, [entry]);
    }
    byType.set(resources, index);
  }
  return index.get(type) ?? [];
}

/** Tags of a resource, whether a list of `{ Key, Value }` or a map; a value that is not literal reads `set`. */
export function tagsOf(resource: CfnResourceJson | undefined): Record<string, string> {
  const tags = resource?.Properties?.Tags;
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) {
    for (const t of tags) if (t && typeof t.Key === 'string') out[t.Key] = typeof t.Value === 'string' ? t.Value : 'set';
  } else if (isObject(tags)) {
    for (const [k, v] of Object.entries(tags)) out[k] = typeof v === 'string' ? v : 'set';
  }
  return out;
}

/** Construct path of a resource without the trailing `/Resource`. */
export function constructPath(resource: CfnResourceJson | undefined): string | undefined {
  const p = resource?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? p.replace(/\/(Resource|Default)$/, '') : undefined;
}

/** `value` as a list (CloudFormation lists may resolve to a single value or nothing). */
export function asList(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON or object property (event patterns, document content) as an object, if it parses. */
export function asJsonObject(value: unknown): Record<string, any> | undefined {
  if (isObject(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `value` identifies the resource `id`: references it anywhere, or equals its literal name. */
export function identifies(value: unknown, id: string, literalName?: string): boolean {
  return referencedIds(value).has(id) || (literalName !== undefined && value === literalName);
}
