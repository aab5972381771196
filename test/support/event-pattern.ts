/**
 * Decides whether an EventBridge event pattern matches an event, for the pattern
 * features cdk-opex emits: value lists, nested fields, prefix, anything-but and
 * exists. Unknown operators throw, so a test never passes by not understanding.
 */
export function matches(pattern: Record<string, any>, event: Record<string, any>): boolean {
  return Object.entries(pattern).every(([key, rule]) => matchField(rule, event?.[key], key in (event ?? {})));
}

function matchField(rule: any, value: any, present: boolean): boolean {
  if (Array.isArray(rule)) {
    const values = Array.isArray(value) ? value : [value];
    return rule.some((r) => values.some((v) => matchValue(r, v, present)));
  }
  if (rule && typeof rule === 'object') {
    return value !== null && typeof value === 'object' && matches(rule, value);
  }
  throw new Error(`pattern leaf must be a list, got ${JSON.stringify(rule)}`);
}

function matchValue(rule: any, value: any, present: boolean): boolean {
  if (rule === null || typeof rule !== 'object') return present && rule === value;
  if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
  if ('exists' in rule) return rule.exists === present;
  if ('anything-but' in rule) {
    const excluded = Array.isArray(rule['anything-but']) ? rule['anything-but'] : [rule['anything-but']];
    return present && !excluded.includes(value);
  }
  throw new Error(`unsupported pattern operator ${JSON.stringify(rule)}`);
}

/**
 * Replaces CloudFormation references in a synthesized pattern with the values a
 * deployed stack would have, given as { logicalId: value } (Ref or GetAtt Arn).
 */
export function resolveRefs(value: any, refs: Record<string, string>): any {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, refs));
  if (value && typeof value === 'object') {
    if ('Ref' in value) return lookup(refs, value.Ref);
    if ('Fn::GetAtt' in value) return lookup(refs, value['Fn::GetAtt'][0]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, refs)]));
  }
  return value;
}

function lookup(refs: Record<string, string>, id: string): string {
  if (!(id in refs)) throw new Error(`no value given for reference ${id}`);
  return refs[id];
}
