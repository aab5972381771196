import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import { Limits, OperationalFunction } from '../src';
import { analyzeAssembly } from '../src/report';
import { expandMetrics } from './support/dashboard-rows';
import { dashboardBody, plainFunction, strictStack } from './support/stacks';
import { renderHtml, renderMarkdown } from '../src/report/render';

// Issue 15: a canary is judged by its own traffic. One stack, synthesized once: a default
// service, and one with its own threshold and minimum invocation count.
const stack = strictStack();
const fn = plainFunction(stack, 'CheckoutFn');
const checkout = new OperationalFunction(stack, 'Checkout', { lambdaFunction: fn });
const quiet = new OperationalFunction(stack, 'Quiet', {
  lambdaFunction: plainFunction(stack, 'QuietFn'), errorRateThreshold: 2, canaryMinimumInvocations: 10,
});
const t = Template.fromStack(stack);
const resources = t.toJSON().Resources as Record<string, any>;
const idOf = (c: any) => stack.getLogicalId(c.node.defaultChild);
const alarm = (service: OperationalFunction, signal: string) => resources[idOf(service.alarms.find((a) =>
  a.node.id === `${signal.charAt(0).toUpperCase()}${signal.slice(1)}Alarm`))].Properties;
const expressionOf = (props: any): string => props.Metrics.find((m: any) => m.Expression).Expression;
const ref = (value: unknown) => Stack.of(fn).resolve(value);

// ---- A tiny evaluator for the subset of CloudWatch metric math the alarms use ----------
// Numbers, metric ids, + - * /, comparisons, IF(c, a, b), FILL(m, v), MAX([a, b, ...]),
// evaluated on one period's datapoints; a metric with no datapoint is `undefined`.
type Value = number | undefined | Value[];
type Datapoints = Record<string, number | undefined>;
const FUNCTIONS = ['IF', 'FILL', 'MAX'];

function evaluate(expression: string, points: Datapoints): number | undefined {
  const tokens = expression.match(/\d+(\.\d+)?|[A-Za-z_][A-Za-z0-9_]*|>=|<=|==|!=|[-+*/(),[\]<>]/g)!;
  expect(tokens.join('')).toBe(expression.replace(/\s+/g, '')); // every character was understood
  let i = 0;
  const peek = () => tokens[i];
  const take = (want?: string) => {
    const token = tokens[i++];
    if (want !== undefined && token !== want) throw new Error(`expected ${want} at token ${i} of ${expression}, got ${token}`);
    return token;
  };
  const num = (v: Value): number | undefined => {
    if (Array.isArray(v)) throw new Error('an array where a time series is needed');
    return v;
  };
  const binary = (a: Value, b: Value, op: (x: number, y: number) => number) => {
    const [x, y] = [num(a), num(b)];
    return x === undefined || y === undefined ? undefined : op(x, y);
  };
  const COMPARE: Record<string, (x: number, y: number) => number> = {
    '>': (x, y) => Number(x > y),
    '>=': (x, y) => Number(x >= y),
    '<': (x, y) => Number(x < y),
    '<=': (x, y) => Number(x <= y),
    '==': (x, y) => Number(x === y),
    '!=': (x, y) => Number(x !== y),
  };
  function comparison(): Value {
    const left = additive();
    const op = peek();
    if (op in COMPARE) { take(); return binary(left, additive(), COMPARE[op]); }
    return left;
  }
  function additive(): Value {
    let v = multiplicative();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      v = binary(v, multiplicative(), op === '+' ? (x, y) => x + y : (x, y) => x - y);
    }
    return v;
  }
  function multiplicative(): Value {
    let v = primary();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      v = binary(v, primary(), op === '*' ? (x, y) => x * y : (x, y) => {
        if (y === 0) throw new Error(`division by zero in ${expression}`);
        return x / y;
      });
    }
    return v;
  }
  function list(close: string): Value[] {
    const items: Value[] = [comparison()];
    while (peek() === ',') { take(); items.push(comparison()); }
    take(close);
    return items;
  }
  function primary(): Value {
    const token = take();
    if (/^\d/.test(token)) return Number(token);
    if (token === '(') { const v = comparison(); take(')'); return v; }
    if (token === '[') return list(']');
    if (peek() === '(') {
      if (!FUNCTIONS.includes(token)) throw new Error(`${token} is outside the evaluated subset`);
      take('(');
      const args = list(')');
      if (token === 'FILL') return num(args[0]) ?? num(args[1]);
      if (token === 'IF') {
        const c = num(args[0]);
        return c === undefined ? undefined : c !== 0 ? args[1] : args[2];
      }
      const values = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args).map(num).filter((v) => v !== undefined);
      return values.length ? Math.max(...values) : undefined;
    }
    if (!/^[a-z]/.test(token)) throw new Error(`metric ids start with a lowercase letter: ${token}`);
    return points[token];
  }
  const result = comparison();
  expect(i).toBe(tokens.length);
  return num(result);
}

/** Whether an alarm's expression breaches its threshold (>=) in a period with these datapoints. */
function breaches(props: any, points: Datapoints): boolean {
  expect(props.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
  const value = evaluate(expressionOf(props), points);
  return value !== undefined && value >= props.Threshold;
}

/**
 * One period of a canary step: the old version serves `100 - canaryPercent`% of `invocations`
 * and fails `oldFailPercent`% of them; the new version serves the rest and fails `newErrors`.
 */
function canaryPeriod(invocations: number, canaryPercent: number, newErrors: number, oldFailPercent = 0): Datapoints {
  const versionInvocations = invocations * canaryPercent / 100;
  const oldErrors = (invocations - versionInvocations) * oldFailPercent / 100;
  return { invocations, errors: oldErrors + newErrors, versionInvocations, versionErrors: newErrors };
}

/** The version the alias is deployed to: the checkout function's current version. */
const [versionId] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Lambda::Version'
  && JSON.stringify(r.Properties.FunctionName) === JSON.stringify(ref(fn.functionName)))!;
const version = { 'Fn::GetAtt': [versionId, 'Version'] };

describe('rollback alarms judge the version being deployed on its own', () => {
  const aliasResource = { 'Fn::Join': ['', [ref(fn.functionName), ':live']] };

  test.each(['errors', 'latency'])('%s: metrics of the alias, and of the current version through the alias (ExecutedVersion)', (signal) => {
    const props = alarm(checkout, signal);
    // The version judged is the one the alias is deployed to: the function's current version.
    expect(resources[idOf(checkout.alias)].Properties.FunctionVersion).toEqual(version);
    const stats = props.Metrics.filter((m: any) => m.MetricStat);
    const byVersion = stats.filter((m: any) => m.MetricStat.Metric.Dimensions.some((d: any) => d.Name === 'ExecutedVersion'));
    const byAlias = stats.filter((m: any) => !byVersion.includes(m));
    expect(byAlias.length).toBeGreaterThan(0);
    expect(byVersion.length).toBeGreaterThan(0);
    for (const m of stats) {
      expect(m.MetricStat.Metric.Namespace).toBe('AWS/Lambda');
      expect(m.MetricStat.Period).toBe(60);
      expect(m.ReturnData).toBe(false);
    }
    for (const m of byAlias) {
      expect(m.MetricStat.Metric.Dimensions).toEqual([{ Name: 'FunctionName', Value: ref(fn.functionName) }, { Name: 'Resource', Value: aliasResource }]);
    }
    for (const m of byVersion) {
      expect(m.MetricStat.Metric.Dimensions).toEqual([
        { Name: 'ExecutedVersion', Value: version },
        { Name: 'FunctionName', Value: ref(fn.functionName) },
        { Name: 'Resource', Value: aliasResource },
      ]);
    }
    // One expression returns the alarm's value, within CloudWatch's metric limit for math alarms.
    expect(props.Metrics.filter((m: any) => m.ReturnData !== false)).toHaveLength(1);
    expect(stats.length).toBeLessThanOrEqual(Limits.ALARM_MATH_METRICS);
  });

  test('the metric math: worse of the alias and the new version; the version gated by its invocations', () => {
    const ids = (signal: string) => alarm(checkout, signal).Metrics.filter((m: any) => m.MetricStat)
      .map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Stat]);
    expect(ids('errors')).toEqual([['errors', 'Errors', 'Sum'], ['invocations', 'Invocations', 'Sum'],
      ['versionErrors', 'Errors', 'Sum'], ['versionInvocations', 'Invocations', 'Sum']]);
    expect(ids('latency')).toEqual([['latency', 'Duration', 'p99'], ['versionLatency', 'Duration', 'p99'],
      ['versionInvocations', 'Invocations', 'Sum']]);
    expect(expressionOf(alarm(checkout, 'errors'))).toBe('MAX([IF(invocations > 0, 100 * FILL(errors, 0) / invocations, 0), '
      + '100 * FILL(versionErrors, 0) / IF(FILL(versionInvocations, 0) >= 50, versionInvocations, 50)])');
    expect(expressionOf(alarm(checkout, 'latency'))).toBe('IF(FILL(versionInvocations, 0) >= 50, MAX([latency, versionLatency]), latency)');
    // The prop reaches the expressions; the threshold stays the alarm's.
    expect(expressionOf(alarm(quiet, 'errors'))).toContain('IF(FILL(versionInvocations, 0) >= 10, versionInvocations, 10)');
    expect(expressionOf(alarm(quiet, 'latency'))).toContain('IF(FILL(versionInvocations, 0) >= 10,');
    expect(alarm(quiet, 'errors').Threshold).toBe(2);
    expect(alarm(checkout, 'errors').AlarmDescription).toMatch(/or of the version being deployed alone, is at or above 5%.*count against 50/);
  });

  test('the deployment group rolls back on the three signal alarms, which the health alarm also reads', () => {
    const group = resources[idOf(checkout.deploymentGroup)].Properties;
    const signalIds = checkout.alarms.map(idOf);
    expect(group.AlarmConfiguration).toEqual({ Enabled: true, Alarms: signalIds.map((id) => ({ Name: { Ref: id } })) });
    expect(group.AutoRollbackConfiguration.Events).toContain('DEPLOYMENT_STOP_ON_ALARM');
    // The health alarm pages for the whole alias: the same alarms, whose math keeps the alias's own rate.
    const rule = JSON.stringify(resources[idOf(checkout.healthAlarm)].Properties.AlarmRule);
    for (const id of signalIds) expect(rule).toContain(`"Fn::GetAtt":["${id}","Arn"]`);
    // Throttles are the alias's alone: a throttled request never reaches a version.
    expect(alarm(checkout, 'throttles').Dimensions.map((d: any) => d.Name)).toEqual(['FunctionName', 'Resource']);
  });
});

describe('worked example: a 10% canary, 5% error-rate threshold, 50 invocations minimum', () => {
  const errors = () => alarm(checkout, 'errors');
  const latency = () => alarm(checkout, 'latency');
  // The alias-only rate the alarm read before (and the dashboard's alias line still shows).
  const aliasOnly = 'IF(invocations > 0, 100 * FILL(errors, 0) / invocations, 0)';

  test('a new version failing 20% of its requests trips the rollback; the alias-only rate would not', () => {
    const config = resources[idOf(checkout.deploymentGroup)].Properties.DeploymentConfigName;
    const canaryPercent = Number(/^CodeDeployDefault\.LambdaCanary(\d+)Percent/.exec(config)![1]);
    expect(canaryPercent).toBe(10);
    const period = canaryPeriod(1000, canaryPercent, 20); // 100 to the canary, 20 of them fail; the old 900 succeed
    expect(evaluate(aliasOnly, period)).toBe(2);
    expect(2).toBeLessThan(errors().Threshold);
    expect(evaluate(expressionOf(errors()), period)).toBe(20);
    expect(breaches(errors(), period)).toBe(true);
  });

  test('a version with two invocations and one error does not roll back; one failing every request of a few does', () => {
    expect(evaluate(expressionOf(errors()), { invocations: 40, errors: 1, versionInvocations: 2, versionErrors: 1 })).toBe(2.5);
    expect(breaches(errors(), { invocations: 40, errors: 1, versionInvocations: 2, versionErrors: 1 })).toBe(false);
    // Below the minimum, errors count against 50: 5 failed of 5 reads 10%, not promoted blind.
    expect(evaluate(expressionOf(errors()), { invocations: 50, errors: 5, versionInvocations: 5, versionErrors: 5 })).toBe(10);
    expect(breaches(errors(), { invocations: 50, errors: 5, versionInvocations: 5, versionErrors: 5 })).toBe(true);
  });

  test('a healthy canary passes, the old version failing still trips (health pages), no traffic is no datapoint', () => {
    expect(breaches(errors(), canaryPeriod(1000, 10, 2))).toBe(false); // the new version at 2%
    expect(breaches(errors(), canaryPeriod(1000, 10, 0, 10))).toBe(true); // the old version at 10%: alias 9%
    expect(evaluate(expressionOf(errors()), { versionInvocations: undefined })).toBe(0);
    expect(breaches(errors(), {})).toBe(false);
  });

  test('latency: the new version\'s p99 counts once it has 50 invocations in the period', () => {
    expect(latency().Threshold).toBe(8000);
    expect(breaches(latency(), { latency: 3000, versionLatency: 9000, versionInvocations: 100 })).toBe(true);
    expect(breaches(latency(), { latency: 3000, versionLatency: 9000, versionInvocations: 10 })).toBe(false);
    expect(breaches(latency(), { latency: 9000, versionLatency: 100, versionInvocations: 100 })).toBe(true);
    expect(breaches(latency(), { latency: 9000, versionLatency: undefined, versionInvocations: undefined })).toBe(true);
    expect(evaluate(expressionOf(latency()), {})).toBeUndefined();
  });
});

describe('canaryMinimumInvocations and the thresholds are checked at synth', () => {
  const build = (props: Record<string, unknown>) => {
    const s = strictStack();
    return new OperationalFunction(s, 'Svc', { lambdaFunction: plainFunction(s, 'Fn'), ...props });
  };

  test.each([
    ['canaryMinimumInvocations', 0], ['canaryMinimumInvocations', 2.5],
    ['errorRateThreshold', 0], ['errorRateThreshold', -1], ['latencyThreshold', Duration.millis(0)],
  ])('%s = %p throws naming the prop', (prop, value) => {
    expect(() => build({ [prop]: value })).toThrow(new RegExp(`^Shop/Svc: invalid \`${prop}\``));
  });

  test('any whole number from 1 builds; anything else throws naming canaryMinimumInvocations (random values)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), (n) => {
      expect(build({ canaryMinimumInvocations: n }).alarms).toHaveLength(3);
    }), { numRuns: 5 });
    const invalid = fc.oneof(fc.integer({ max: 0 }), fc.double({ min: 0, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)));
    fc.assert(fc.property(invalid, (n) => {
      expect(() => build({ canaryMinimumInvocations: n })).toThrow(/invalid `canaryMinimumInvocations`: must be a whole number of invocations per alarm period of at least 1/);
    }), { numRuns: 5 });
  });
});

describe('what operators see', () => {
  test('the dashboard shows the new version\'s error rate and p99 beside the alias\'s', () => {
    const dashboard = Object.values(resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    const body = dashboardBody(dashboard);
    const widget = (title: string) => body.widgets.find((w: any) => w.properties.title === `Checkout: ${title}`).properties;
    const labels = (w: any) => w.metrics.map((m: any[]) => m[m.length - 1].label).filter(Boolean);
    expect(labels(widget('errors'))).toEqual(expect.arrayContaining(['error rate (%)', 'new version error rate (%)']));
    expect(labels(widget('latency (ms)'))).toEqual(['p50', 'p90', 'p99', 'p99 (new version)']);
    // Read as CloudWatch does ("." written out): the new version's own p99 of Duration, on the alias.
    const versionLine = expandMetrics(widget('latency (ms)')).find((m: any[]) => m[m.length - 1].label === 'p99 (new version)')!;
    expect(versionLine.slice(0, 2)).toEqual(['AWS/Lambda', 'Duration']);
    expect(versionLine).toContain('ExecutedVersion');
    expect(versionLine).toContain('Resource');
    expect(versionLine[versionLine.length - 1]).toMatchObject({ stat: 'p99', period: 60 });
    expect(JSON.stringify(dashboard.Properties.DashboardBody)).toContain(JSON.stringify(version));
    const text = body.widgets.find((w: any) => w.type === 'text' && /Checkout/.test(w.properties.markdown) && /rollout/.test(w.properties.markdown));
    expect(text.properties.markdown).toMatch(/rolled back when the alias or the new version alone breaches/);
  });

  test('the readiness report says what the rollback watches and what canary failure it catches', () => {
    const report = analyzeAssembly([{ stackName: 'Shop', template: t.toJSON() }]);
    const service = report.stacks[0].services.find((s) => s.name === 'Checkout')!;
    expect(service.deployment).toMatchObject({
      rollbackOnAlarm: true,
      rollbackJudgesNewVersion: true,
      rollbackWatches: 'the version being deployed on its own (ExecutedVersion), and the alias',
      rollbackSeconds: 180,
      canaryFailurePercentRolledBack: 5,
    });
    expect(report.stacks[0].services.find((s) => s.name === 'Quiet')!.deployment.canaryFailurePercentRolledBack).toBe(2);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('rollback on alarm: yes (3 alarms, judging the new version)');
    expect(markdown).toContain('- Rollback: rollback watches the version being deployed on its own (ExecutedVersion), and the alias, '
      + 'fires within 180 s; rolls back a new version failing 5% of its requests or more');
    expect(renderHtml(report)).toContain('<dt>Rollback</dt><dd>rollback watches the version being deployed on its own');
  });

  test('the same report on alias-only alarms (as before) shows the canary hidden in the mix', () => {
    const aliasOnly = JSON.parse(JSON.stringify(t.toJSON()));
    for (const r of Object.values(aliasOnly.Resources) as any[]) {
      if (r.Type !== 'AWS::CloudWatch::Alarm' || !r.Properties.Metrics) continue;
      r.Properties.Metrics = r.Properties.Metrics.filter((m: any) => !m.MetricStat?.Metric.Dimensions.some((d: any) => d.Name === 'ExecutedVersion'));
    }
    const report = analyzeAssembly([{ stackName: 'Shop', template: aliasOnly }]);
    const service = report.stacks[0].services.find((s) => s.name === 'Checkout')!;
    expect(service.deployment).toMatchObject({ rollbackJudgesNewVersion: false, rollbackWatches: 'the alias only: old and new versions mixed' });
    // 5% of the alias at a 10% step: the canary must fail half its requests.
    expect(service.deployment.canaryFailurePercentRolledBack).toBe(50);
    expect(renderMarkdown(report)).toContain('rolls back a new version failing 50% of its requests or more');
  });
});
