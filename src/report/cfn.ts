/** Reading CloudFormation template JSON: references, text and tags. */

import { cfnText, literalString, referencedIds } from '../core/cfn-values';

// The report reads values through the one shared reader.
export { cfnText, literalString, referencedIds };

export type Resources = Record<string, CfnResourceJson>;

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: any;
  readonly Metadata?: any;
  readonly UpdatePolicy?: any;
}

/** Tags of a resource, whether a list of {Key, Value} or a map. */
export function tagsOf(resource: CfnResourceJson | undefined): Record<string, string> {
  const tags = resource?.Properties?.Tags;
  const out: Record<string, string> = {};
  if (Array.isArray(tags)) {
    for (const t of tags) if (t && typeof t.Key === 'string' && typeof t.Value === 'string') out[t.Key] = t.Value;
  } else if (tags && typeof tags === 'object') {
    for (const [k, v] of Object.entries(tags)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Construct path of a resource without the trailing `/Resource`. */
export function constructPath(resource: CfnResourceJson | undefined): string | undefined {
  const p = resource?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? p.replace(/\/(Resource|Default)$/, '') : undefined;
}

/** Logical ids of the resources of one or more types, in template order. */
export function idsOfType(resources: Resources, ...types: string[]): string[] {
  return Object.keys(resources).filter((id) => types.includes(resources[id].Type));
}
