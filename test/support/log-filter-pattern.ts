/**
 * Evaluates the subset of CloudWatch Logs JSON filter-pattern syntax cdk-opex writes,
 * against one log event's message: `{ <expr> }` where an expression is a comparison
 * `$.a.b[0] = "text"` or `!=` (strings, `*` as a wildcard; numbers), joined with `&&`
 * and `||` (`&&` binds tighter) and grouped with parentheses. Anything else throws, so a
 * test never passes by not understanding a pattern. A message that is not JSON matches
 * no JSON pattern, as in CloudWatch Logs.
 */
export function filterMatches(pattern: string, message: string): boolean {
  const ast = parseFilterPattern(pattern);
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return false;
  }
  return evaluate(ast, event);
}

/** A JSON selector's value in an event, `undefined` where a step is missing: also what a metric filter's dimension reads. */
export function selectField(selector: string, event: unknown): unknown {
  const steps = parseSelector(selector);
  return steps.reduce<any>((value, step) => (value === null || typeof value !== 'object' ? undefined : value[step]), event);
}

type Node =
  | { readonly kind: 'and' | 'or'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'compare'; readonly selector: string; readonly op: '=' | '!='; readonly value: string | number };

const TOKEN = /\s*(\(|\)|&&|\|\||!=|=|"(?:[^"\\]|\\.)*"|\$(?:\.[A-Za-z0-9_-]+|\[\d+\])+|-?\d+(?:\.\d+)?|[A-Za-z_*][A-Za-z0-9_.*:-]*)/y;

/** Parses `{ ... }` into a tree; throws naming the position of anything unsupported. */
export function parseFilterPattern(pattern: string): Node {
  const trimmed = pattern.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) throw new Error(`not a JSON filter pattern: ${pattern}`);
  const body = trimmed.slice(1, -1);
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    if (/^\s*$/.test(body.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(body);
    if (!match) throw new Error(`unsupported filter-pattern syntax at ${at}: '${body.slice(at, at + 20)}' in ${pattern}`);
    tokens.push(match[1]);
  }
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const next = (): string => {
    if (i >= tokens.length) throw new Error(`filter pattern ends too early: ${pattern}`);
    return tokens[i++];
  };
  const or = (): Node => {
    let left = and();
    while (peek() === '||') { next(); left = { kind: 'or', left, right: and() }; }
    return left;
  };
  const and = (): Node => {
    let left = unary();
    while (peek() === '&&') { next(); left = { kind: 'and', left, right: unary() }; }
    return left;
  };
  const unary = (): Node => {
    const token = next();
    if (token === '(') {
      const inner = or();
      if (next() !== ')') throw new Error(`missing ')' in ${pattern}`);
      return inner;
    }
    if (!token.startsWith('$')) throw new Error(`expected a selector, got '${token}' in ${pattern}`);
    const op = next();
    if (op !== '=' && op !== '!=') throw new Error(`unsupported operator '${op}' in ${pattern}`);
    const raw = next();
    const value = raw.startsWith('"') ? JSON.parse(raw) as string : /^-?\d/.test(raw) ? Number(raw) : raw;
    return { kind: 'compare', selector: token, op, value };
  };
  const tree = or();
  if (i !== tokens.length) throw new Error(`unexpected '${tokens[i]}' in ${pattern}`);
  return tree;
}

function evaluate(node: Node, event: unknown): boolean {
  switch (node.kind) {
    case 'and': return evaluate(node.left, event) && evaluate(node.right, event);
    case 'or': return evaluate(node.left, event) || evaluate(node.right, event);
    case 'compare': {
      const value = selectField(node.selector, event);
      if (value === undefined || value === null || typeof value === 'object') return false;
      const equal = typeof node.value === 'number' ? Number(value) === node.value : wildcard(node.value).test(String(value));
      return node.op === '=' ? equal : !equal;
    }
  }
}

function wildcard(text: string): RegExp {
  return new RegExp(`^${text.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function parseSelector(selector: string): Array<string | number> {
  if (!/^\$(?:\.[A-Za-z0-9_-]+|\[\d+\])+$/.test(selector)) throw new Error(`unsupported selector ${selector}`);
  return [...selector.slice(1).matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
}
