import * as fs from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { row, stackIn, strictAppInTempDir } from './support';
import { OperationalFunction } from '../../src';
import { ReadinessReport } from '../../src/report';
import { renderMarkdown } from '../../src/report/render';
import { reportFromAssembly } from '../../src/report/write';
import { plainFunction } from '../support/stacks';

/** One OperationalFunction with its defaults, synthesized strictly into a cloud assembly. */
function synthesizeShop() {
  const { app, outdir } = strictAppInTempDir();
  const stack = stackIn(app, 'Shop');
  new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'CheckoutFn') });
  app.synth();
  return { outdir, report: reportFromAssembly(outdir) };
}

describe('readiness report of one OperationalFunction', () => {
  const { outdir, report } = synthesizeShop();
  const [stack] = report.stacks;
  const [service] = stack.services;

  test('finds one lambda service from the catalog, named and owned by its service tag', () => {
    expect(report.schemaVersion).toBe(2);
    expect(report.stacks).toHaveLength(1);
    expect(stack.stackName).toBe('Shop');
    expect(stack.catalog).toBe(true);
    expect(stack.services).toHaveLength(1);
    expect(service).toMatchObject({ name: 'Checkout', kind: 'lambda', source: 'catalog', resourceType: 'AWS::Lambda::Function' });
    expect(service.logicalId).toMatch(/^CheckoutFn/);
    expect(service.owner.service).toBe('Checkout');
  });

  test('counts 3 signal alarms and the composite health alarm; only the health alarm pages', () => {
    expect(service.alarms.count).toBe(4);
    expect(service.alarms.items.filter((a) => a.alarmType !== 'composite')).toHaveLength(3);
    expect(service.alarms.paging).toBe(1);
    const paging = service.alarms.items.filter((a) => a.pages);
    expect(paging).toHaveLength(1);
    expect(paging[0]).toMatchObject({ alarmType: 'composite', alarmName: 'Shop-Checkout-health-critical' });
    expect(paging[0].actions.some((a) => a.startsWith('SNS topic'))).toBe(true);
  });

  test('detects a total outage within 180 s: two 60 s periods plus a minute of publish delay', () => {
    expect(service.detection.seconds).toBe(180);
    expect(service.detection.alarm).toBe(service.alarms.items.find((a) => a.pages)!.logicalId);
    // The template-only computation agrees with the catalog: every signal alarm fires in 2 x 60 + 60 s.
    expect(service.alarms.items.map((a) => a.detectionSeconds)).toEqual([180, 180, 180, 180]);
  });

  test('rolls out as a canary with rollback wired to the three signal alarms', () => {
    expect(service.deployment.applicable).toBe(true);
    expect(service.deployment.strategy).toMatch(/^canary: 10% for 5 min/);
    expect(service.deployment.deploymentGroup).toMatch(/^CheckoutDeploymentGroup/);
    expect(service.deployment.rollbackOnAlarm).toBe(true);
    expect(service.deployment.rollbackAlarms).toHaveLength(3);
  });

  test('lists the diagnostics runbook, started by EventBridge when the health alarm enters ALARM', () => {
    const diagnostics = service.runbooks.find((r) => /Diagnostics/.test(r.document));
    expect(diagnostics).toBeDefined();
    expect(diagnostics!.automatic).toBe(true);
    expect(diagnostics!.trigger).toBe('EventBridge, when Shop-Checkout-health-critical enters ALARM');
    expect(diagnostics!.rule).toMatch(/^CheckoutOnUnhealthy/);
  });

  test('has no game day yet, which is a finding', () => {
    expect(service.gameDays).toEqual([]);
    expect(row(service, 'REL12-BP05').status).toBe('not met');
    expect(service.findings).toContain('REL12-BP05');
  });

  test('estimates the cost to the cent', () => {
    // errors alarm reads Errors and Invocations of the alias and of the new version: 4 metrics x $0.10 = $0.40
    // latency reads p99 Duration of both and the new version's Invocations: 3 x $0.10 = $0.30; throttles 1 x $0.10 = $0.10
    // health composite $0.50                     -> the service: $1.30
    // + the hub's response dead-letter alarm $0.10
    // + operations dashboard $3.00 + alarm topic KMS key $1.00 -> the stack: $5.40
    expect(service.cost.monthlyUsd).toBe(1.3);
    expect(service.cost.lines).toEqual([
      expect.objectContaining({ item: 'standard-alarm-metrics', quantity: 8, unitUsd: 0.1, monthlyUsd: 0.8 }),
      expect.objectContaining({ item: 'composite-alarms', quantity: 1, unitUsd: 0.5, monthlyUsd: 0.5 }),
    ]);
    expect(stack.cost.monthlyUsd).toBe(5.4);
    expect(stack.cost.lines.map((l) => [l.item, l.quantity, l.monthlyUsd])).toEqual([
      ['standard-alarm-metrics', 9, 0.9],
      ['composite-alarms', 1, 0.5],
      ['dashboards', 1, 3],
      ['kms-keys', 1, 1],
    ]);
    expect(report.summary.monthlyUsd).toBe(5.4);
    // Within the account's 3 free dashboards, only alarms and the key are charged.
    expect(report.summary.monthlyUsdBeyondFreeTier).toBe(2.4);
  });

  test('maps the Well-Architected best practices', () => {
    const statuses = Object.fromEntries(service.wellArchitected.map((r) => [r.id, r.status]));
    expect(statuses).toEqual({
      'OPS02-BP01': 'not met', // no team given: only the service tag
      'OPS04-BP02': 'met',
      'OPS04-BP05': statuses['OPS04-BP05'], // tracing depends on the pattern's defaults; asserted below
      'OPS06-BP03': 'met',
      'OPS06-BP04': 'met',
      'OPS07-BP03': 'met',
      'OPS07-BP04': 'met', // the diagnostics runbook starts on its own
      'OPS08-BP04': 'met',
      'OPS08-BP05': 'met',
      'OPS09-BP01': 'not met', // the operations log is opt-in: OperationsLog.enable
      'OPS10-BP02': 'met',
      'OPS10-BP07': 'met',
      'OPS11-BP02': 'not met', // no incident timeline without the operations log
      'REL12-BP05': 'not met',
    });
    const fnProps = JSON.parse(fs.readFileSync(path.join(outdir, 'Shop.template.json'), 'utf8')).Resources[service.logicalId].Properties;
    expect(row(service, 'OPS04-BP05').status).toBe(fnProps.TracingConfig?.Mode === 'Active' ? 'met' : 'not met');
    expect(row(service, 'OPS06-BP04').evidence).toContain(service.deployment.deploymentGroup);
    expect(row(service, 'OPS08-BP04').reason).toContain('180 s');
    expect(service.findings).toEqual(service.wellArchitected.filter((r) => r.status === 'not met').map((r) => r.id));
    expect(stack.findings).toBe(service.findings.length);
  });

  test('records where a response that did not start goes, and that its alarm pages; the queue is no service', () => {
    expect(stack.responses).toEqual({
      deadLetterQueue: expect.stringMatching(/^CdkOpexOperationsResponseDeadLetterQueue/),
      alarm: expect.stringMatching(/^CdkOpexOperationsResponseDeadLetterAlarm/),
      alarmPages: true,
    });
    expect(stack.services.map((s) => s.name)).toEqual(['Checkout']);
    expect(renderMarkdown(report)).toContain(`Responses: a runbook start that fails after its retries goes to dead-letter queue \`${stack.responses!.deadLetterQueue}\`; `
      + `alarm \`${stack.responses!.alarm}\` pages when a message arrives.`);
  });

  test('a team makes the service owned', () => {
    const { app, outdir: dir } = strictAppInTempDir();
    const s = stackIn(app, 'Shop');
    new OperationalFunction(s, 'Checkout', { lambdaFunction: plainFunction(s, 'CheckoutFn'), team: 'payments' });
    app.synth();
    const svc = reportFromAssembly(dir).stacks[0].services[0];
    expect(svc.owner).toEqual({ service: 'Checkout', team: 'payments' });
    expect(row(svc, 'OPS02-BP01')).toMatchObject({ status: 'met', evidence: [svc.logicalId] });
  });
});

describe('ReadinessReport plugin', () => {
  test('an app that uses cdk-opex writes the report on every synth, with no plugin added by hand', () => {
    const { app, outdir } = strictAppInTempDir();
    const stack = stackIn(app, 'Shop');
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'CheckoutFn') });
    const other = stackIn(app, 'Orders'); // a second hub in the same app registers no second plugin
    new OperationalFunction(other, 'Orders', { lambdaFunction: plainFunction(other, 'OrdersFn') });
    app.synth();
    const written = JSON.parse(fs.readFileSync(path.join(outdir, 'opex-readiness.json'), 'utf8'));
    expect(written.stacks.map((s: any) => s.stackName).sort()).toEqual(['Orders', 'Shop']);
    expect((app as any)._validationPlugins.filter((p: unknown) => p instanceof ReadinessReport)).toHaveLength(1);
  });

  test('writes the report into the cloud assembly on synth, without findings of its own', () => {
    const { app, outdir } = strictAppInTempDir();
    Validations.of(app).addPlugins(new ReadinessReport());
    const stack = stackIn(app, 'Shop');
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'CheckoutFn') });
    app.synth();
    for (const ext of ['json', 'md', 'html']) expect(fs.existsSync(path.join(outdir, `opex-readiness.${ext}`))).toBe(true);
    const written = JSON.parse(fs.readFileSync(path.join(outdir, 'opex-readiness.json'), 'utf8'));
    expect(written.stacks[0].stackName).toBe('Shop');
    expect(written.stacks[0].services[0].detection.seconds).toBe(180);
    // The same numbers as reading the assembly afterwards.
    expect(written).toEqual(JSON.parse(JSON.stringify(reportFromAssembly(outdir), (_k, v) => (v === undefined ? null : v))));
  });
});
