import * as fs from 'fs';
import * as path from 'path';
import { stackIn, strictAppInTempDir } from './support';
import { OperationalFunction } from '../../src';
import { failingFirst, renderHtml, renderJson, renderMarkdown } from '../../src/report/render';
import { BEST_PRACTICES } from '../../src/report/well-architected';
import { reportFromAssembly } from '../../src/report/write';
import { plainFunction } from '../support/stacks';

function mixedReport() {
  const { app, outdir } = strictAppInTempDir();
  const stack = stackIn(app, 'Shop');
  new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'CheckoutFn'), team: 'payments' });
  plainFunction(stack, 'Legacy');
  app.synth();
  return reportFromAssembly(outdir);
}

describe('rendering', () => {
  const report = mixedReport();
  const html = renderHtml(report);
  const markdown = renderMarkdown(report);

  test('the HTML page is self-contained: no scripts, no external assets; its only links open the AWS console', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/src\s*=\s*["']?https?:/i);
    const links = [...html.matchAll(/href\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).toMatch(/^https:\/\/([a-z0-9-]+\.)?console\.aws\.amazon\.com\//);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).toContain('<style>');
    expect(html).toContain('Content-Security-Policy');
  });

  test('the HTML page lists failing rows before passing ones, and the service with more findings first', () => {
    const sections = html.split('<section class="service');
    expect(sections).toHaveLength(3);
    expect(sections[1]).toContain('Legacy');
    // Legacy, a plain function, fails every row; Checkout fails some and passes the rest.
    expect(sections[2]).toMatch(/<tr class="fail">[\s\S]*<tr class="pass">/);
    for (const section of sections.slice(1)) {
      const statuses = [...section.matchAll(/<tr class="(fail|pass|na)">/g)].map((m) => m[1]);
      expect(statuses).toHaveLength(BEST_PRACTICES.length);
      const firstPass = statuses.findIndex((s) => s !== 'fail');
      if (firstPass >= 0) expect(statuses.slice(firstPass)).not.toContain('fail');
    }
    // The findings table comes before the stacks.
    expect(html.indexOf('id="findings"')).toBeLessThan(html.indexOf('id="stack-Shop"'));
    expect(html).toContain('$5.40'); // the Lambda errors and latency alarms read the new version too: 8 metrics
  });

  test('escapes what it shows', () => {
    const tricky = JSON.parse(renderJson(report));
    tricky.stacks[0].services[0].name = '<img src=x onerror=alert(1)>';
    expect(renderHtml(tricky)).not.toContain('<img');
  });

  test('Markdown holds the same data, failing rows first', () => {
    expect(markdown).toMatch(/^# Operational readiness/);
    expect(markdown).toContain('## Findings');
    expect(markdown).toContain('### Checkout (lambda)');
    expect(markdown).toContain('### Legacy (lambda)');
    const checkout = markdown.slice(markdown.indexOf('### Checkout'));
    const rows = checkout.split('\n').filter((l) => /^\| (❌|✅|➖)/.test(l)).slice(0, 11);
    expect(rows[0]).toMatch(/not met/);
    expect(rows.findIndex((l) => l.includes('✅'))).toBeGreaterThan(rows.findIndex((l) => l.includes('❌')));
  });

  test('JSON writes absent values as null and keeps every key camelCase', () => {
    const json = renderJson(report);
    const parsed = JSON.parse(json);
    const legacy = parsed.stacks[0].services.find((s: any) => s.name === 'Legacy');
    expect(legacy.detection).toEqual({ seconds: null, alarm: null, basis: expect.any(String) });
    const keys = new Set<string>();
    const walk = (v: any): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { keys.add(k); walk(x); }
    };
    walk(parsed);
    for (const k of keys) expect(k).toMatch(/^[a-z][A-Za-z0-9]*$/);
  });

  test('failingFirst keeps the order within a status', () => {
    const rows = [
      { id: 'A', title: '', status: 'met', evidence: [], reason: '' },
      { id: 'B', title: '', status: 'not applicable', evidence: [], reason: '' },
      { id: 'C', title: '', status: 'not met', evidence: [], reason: '' },
      { id: 'D', title: '', status: 'not met', evidence: [], reason: '' },
    ];
    expect(failingFirst(rows).map((r) => r.id)).toEqual(['C', 'D', 'A', 'B']);
  });

  test('the JSON matches report.schema.json', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'report.schema.json'), 'utf8'));
    const errors = validate(schema, JSON.parse(renderJson(report)), schema, '$');
    expect(errors).toEqual([]);
  });
});

/** A small JSON Schema checker for the keywords report.schema.json uses. */
function validate(schema: any, value: any, root: any, at: string): string[] {
  if (schema.$ref) return validate(root.$defs[schema.$ref.replace('#/$defs/', '')], value, root, at);
  const types: string[] = schema.type ? [].concat(schema.type) : [];
  const typeOf = (v: any) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  if (types.length && !types.some((t) => t === typeOf(value) || (t === 'number' && typeof value === 'number'))) {
    return [`${at}: expected ${types.join('|')}, got ${typeOf(value)}`];
  }
  const errors: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in ${schema.enum.join(', ')}`);
  if (schema.const !== undefined && value !== schema.const) errors.push(`${at}: expected ${schema.const}`);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of schema.required ?? []) if (!(k in value)) errors.push(`${at}: missing ${k}`);
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties?.[k]) errors.push(...validate(schema.properties[k], v, root, `${at}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected ${k}`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validate(schema.items, v, root, `${at}[${i}]`)));
  return errors;
}
