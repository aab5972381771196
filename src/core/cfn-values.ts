/**
 * Reading synthesized CloudFormation values: the one place the checks, the report,
 * cdk-nag acknowledgements, the demo and the tests turn intrinsics into text.
 */

/**
 * A resolved CloudFormation value as text: joins joined, `Ref` as `<Id>`,
 * `Fn::GetAtt` as `<Id.Attribute>`, `${X}` in `Fn::Sub` as `<X>`, literal strings as
 * they are. With `placeholder`, every intrinsic that is not a join reads as that text
 * instead (e.g. to parse a dashboard body as JSON).
 */
export function cfnText(value: unknown, placeholder?: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  const node = value as Record<string, any>;
  if (Array.isArray(node['Fn::Join'])) {
    const [delimiter, parts] = node['Fn::Join'];
    return (parts as unknown[]).map((p) => cfnText(p, placeholder)).join(delimiter);
  }
  if (placeholder !== undefined) return placeholder;
  if (node['Fn::Sub'] !== undefined) {
    const template = Array.isArray(node['Fn::Sub']) ? node['Fn::Sub'][0] : node['Fn::Sub'];
    return String(template).replace(/\$\{([^}]+)\}/g, '<$1>');
  }
  if (node['Fn::GetAtt'] !== undefined) {
    const att = node['Fn::GetAtt'];
    return `<${Array.isArray(att) ? att.map((a) => cfnText(a)).join('.') : att}>`;
  }
  if (node['Fn::ImportValue'] !== undefined) return cfnText(node['Fn::ImportValue']);
  if (node.Ref !== undefined) return `<${cfnText(node.Ref)}>`;
  return JSON.stringify(node);
}

/** The value when it is a literal string (not an intrinsic). */
export function literalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The logical id `value` references directly (`Ref` or `Fn::GetAtt`), if any. */
export function referencedId(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const node = value as Record<string, any>;
  if (typeof node.Ref === 'string') return node.Ref;
  const getAtt = node['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return getAtt[0];
  return typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
}

/** Every logical id `value` references anywhere inside it (refs, attributes, `${Id}` in subs); pseudo parameters left out. */
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

/**
 * A resolved value as cdk-nag prints it in a finding id (which acknowledgements must
 * match): as cfnText, with every `${` and `}` in the text rewritten as `<` and `>`.
 */
export function nagText(value: unknown): string {
  return cfnText(value).replace(/\$\{/g, '<').replace(/\}/g, '>');
}

/**
 * A dashboard's body parsed, references read as `0` (valid JSON both inside a string
 * and in place of a number); undefined when it is not JSON even so.
 */
export function parseDashboardBody(body: unknown): { widgets?: any[] } | undefined {
  try {
    const parsed = JSON.parse(cfnText(body, '0'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
