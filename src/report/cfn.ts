/** Reading CloudFormation template JSON: references, text and tags. */

export type Resources = Record<string, CfnResourceJson>;

export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: any;
  readonly Metadata?: any;
  readonly UpdatePolicy?: any;
}

/** Logical ids a value references through Ref, Fn::GetAtt or Fn::Sub, at any depth. */
export function referencedIds(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencedIds(v, into);
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (key === 'Ref' && typeof v === 'string') {
        if (!v.startsWith('AWS::')) into.add(v);
      } else if (key === 'Fn::GetAtt') {
        const target = Array.isArray(v) ? v[0] : typeof v === 'string' ? v.split('.')[0] : undefined;
        if (typeof target === 'string') into.add(target);
      } else if (key === 'Fn::Sub') {
        const text = Array.isArray(v) ? v[0] : v;
        if (typeof text === 'string') {
          for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}/g)) into.add(m[1]);
        }
        if (Array.isArray(v)) referencedIds(v[1], into);
      } else {
        referencedIds(v, into);
      }
    }
  }
  return into;
}

/** A value as text: joins joined, references written `<LogicalId>` or `<LogicalId.Attr>`. */
export function flatText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const node = (value ?? {}) as Record<string, any>;
  if (typeof node.Ref === 'string') return `<${node.Ref}>`;
  if (node['Fn::GetAtt']) {
    const att = node['Fn::GetAtt'];
    return `<${Array.isArray(att) ? att.join('.') : att}>`;
  }
  if (Array.isArray(node['Fn::Join'])) return (node['Fn::Join'][1] as unknown[]).map(flatText).join(node['Fn::Join'][0]);
  if (node['Fn::Sub'] !== undefined) {
    const text = Array.isArray(node['Fn::Sub']) ? node['Fn::Sub'][0] : node['Fn::Sub'];
    return String(text).replace(/\$\{([^}]+)\}/g, '<$1>');
  }
  return JSON.stringify(value);
}

/** The literal string, or undefined when the value is a token. */
export function literal(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
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
