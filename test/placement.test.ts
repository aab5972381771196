import * as fs from 'fs';
import * as path from 'path';
import { AspectPriority, Aspects, CfnResource, CfnWaitConditionHandle, Stack, Tags, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct, IConstruct } from 'constructs';
import * as fc from 'fast-check';
import {
  AlarmPolicy, GameDay, GameDayFault, Limits, OperationalFunction, OperationalQueueWorker, OperationsHub, OperationsLog, PlacementMode,
  ServiceDependency, ServicePlacement,
} from '../src';
import { OperationalReadiness } from '../src/report';
import { stackIn, strictAppInTempDir } from './report/support';
import { invalidPropError, runs } from './support/arbitraries';
import { complianceReport, findingLines, Whose } from './support/compliance';
import { plainFunction, strictStack } from './support/stacks';
import { modelOf } from '../src/checks/graph';
import { parseDashboardBody } from '../src/core/cfn-values';
import { reportFromAssembly } from '../src/report/write';

/** Every template of a synthesized assembly, by file name. */
function templatesOf(outdir: string): Map<string, { body: string; json: any }> {
  const out = new Map<string, { body: string; json: any }>();
  for (const f of fs.readdirSync(outdir).filter((n) => n.endsWith('.template.json'))) {
    const body = fs.readFileSync(path.join(outdir, f), 'utf8');
    out.set(f, { body, json: JSON.parse(body) });
  }
  return out;
}

const ofType = (t: any, type: string) => Object.entries<any>(t.Resources ?? {}).filter(([, r]) => r.Type === type);

/** `count` cheap resources of the user's own: room a stack's own resources take. */
function userResources(scope: Construct, count: number, prefix = 'Own'): void {
  for (let i = 0; i < count; i++) new CfnWaitConditionHandle(scope, `${prefix}${i}`);
}

describe('150 default OperationalFunctions in one stack, placed in nested stacks', () => {
  const { app, outdir } = strictAppInTempDir();
  const stack = stackIn(app, 'Monorepo');
  const hub = new OperationsHub(stack, 'CdkOpexOperations', { placement: ServicePlacement.nestedStacks() });
  const services = Array.from({ length: 150 }, (_, i) =>
    new OperationalFunction(stack, `Svc${i}`, { lambdaFunction: plainFunction(stack, `Fn${i}`) }));
  app.synth();
  const templates = templatesOf(outdir);
  const parent = templates.get('Monorepo.template.json')!;
  const nested = [...templates].filter(([f]) => f.endsWith('.nested.template.json'));
  // The report every synth writes into the assembly (the ReadinessReport plugin).
  const report: OperationalReadiness = JSON.parse(fs.readFileSync(path.join(outdir, 'opex-readiness.json'), 'utf8'));

  test('every stack and nested stack is under 500 resources, 1 MB and 200 parameters and outputs', () => {
    expect(nested).toHaveLength(6); // 25 services each
    for (const [file, { body, json }] of templates) {
      const counts = {
        file,
        resources: Object.keys(json.Resources).length,
        bytes: JSON.stringify(json).length,
        parameters: Object.keys(json.Parameters ?? {}).length,
        outputs: Object.keys(json.Outputs ?? {}).length,
      };
      expect(counts.resources).toBeLessThan(Limits.CFN_RESOURCES_PER_STACK);
      expect(Buffer.byteLength(body)).toBeLessThan(Limits.CFN_TEMPLATE_BYTES);
      expect(counts.parameters).toBeLessThan(Limits.CFN_PARAMETERS_PER_STACK);
      expect(counts.outputs).toBeLessThan(Limits.CFN_OUTPUTS_PER_STACK);
    }
    // The user's 150 functions, roles and versions stay where they were written.
    expect(ofType(parent.json, 'AWS::Lambda::Function')).toHaveLength(150);
    expect(ofType(parent.json, 'AWS::CloudFormation::Stack')).toHaveLength(6);
    expect(ofType(parent.json, 'AWS::CloudWatch::CompositeAlarm')).toHaveLength(0);
  });

  test('what services share stays shared: one topic pair, one key, one copy of each runbook document, in the parent', () => {
    const all = [...templates.values()].map((t) => t.json);
    const count = (type: string) => all.reduce((n, t) => n + ofType(t, type).length, 0);
    expect(count('AWS::KMS::Key')).toBe(1);
    expect(count('AWS::SNS::Topic')).toBe(2);
    expect(count('AWS::SSM::Document')).toBe(ofType(parent.json, 'AWS::SSM::Document').length);
    expect(count('AWS::CodeDeploy::Application')).toBe(1);
    // The parent's shared roles do not grow per service: each nested stack holds one managed policy per shared role.
    expect(ofType(parent.json, 'AWS::IAM::ManagedPolicy')).toHaveLength(0);
    const sharedRoles = new Set(ofType(parent.json, 'AWS::IAM::Role').filter(([id]) => id.startsWith('CdkOpexOperations')).map(([id]) => id));
    for (const [, { json }] of nested) {
      const attached = ofType(json, 'AWS::IAM::ManagedPolicy').map(([, p]) => p.Properties.Roles);
      expect(attached.every((roles) => roles.length === 1)).toBe(true);
      expect(attached.length).toBeLessThanOrEqual(sharedRoles.size);
    }
    expect(hub.nestedStacks).toHaveLength(6);
  });

  test('each nested stack holds its 25 services: 7 resources each, alarms named after the parent stack', () => {
    for (const [, { json }] of nested) {
      expect(ofType(json, 'AWS::CloudWatch::CompositeAlarm')).toHaveLength(25);
      expect(ofType(json, 'AWS::Lambda::Alias')).toHaveLength(25);
      expect(ofType(json, 'AWS::CodeDeploy::DeploymentGroup')).toHaveLength(25);
      expect(ofType(json, 'AWS::Events::Rule')).toHaveLength(25);
      for (const [, alarm] of ofType(json, 'AWS::CloudWatch::CompositeAlarm')) {
        expect(alarm.Properties.AlarmName).toMatch(/^Monorepo-Svc\d+-health-critical$/);
      }
    }
    expect(services[149].node.path).toBe('Monorepo/CdkOpexServices6/Svc149');
    expect(services[149].serviceName).toBe('Svc149');
  });

  test('every dashboard is under 500 widgets, and each shows the services of its own stack', () => {
    const dashboards = [...templates.values()].flatMap(({ json }) => ofType(json, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards.length).toBeGreaterThanOrEqual(6);
    const names = new Set<string>();
    for (const [, d] of dashboards) {
      const body = parseDashboardBody(d.Properties.DashboardBody);
      expect(body?.widgets?.length).toBeLessThan(Limits.DASHBOARD_WIDGETS);
      names.add(d.Properties.DashboardName);
    }
    expect(names.size).toBe(dashboards.length);
    expect([...names].every((n) => n.startsWith('Monorepo-operations'))).toBe(true);
  });

  test('the readiness report reads the nested stacks as part of the stack and lists all 150 services', () => {
    expect(report.stacks).toHaveLength(1);
    const [st] = report.stacks;
    expect(st.services).toHaveLength(150);
    expect(st.nestedStacks).toHaveLength(6);
    expect(st.nestedStacks!.map((n) => n.resources).every((n) => n < Limits.CFN_RESOURCES_PER_STACK)).toBe(true);
    const last = st.services.find((s) => s.name === 'Svc149')!;
    // The service is its function in the parent, with its alarms, rollout and runbook found across the stacks.
    expect(last.resourceType).toBe('AWS::Lambda::Function');
    expect(last.logicalId).toMatch(/^Fn149/);
    expect(last.alarms.count).toBe(4);
    expect(last.alarms.paging).toBe(1);
    const first = st.services.find((s) => s.name === 'Svc0')!;
    expect(last.wellArchitected.map((r) => [r.id, r.status])).toEqual(first.wellArchitected.map((r) => [r.id, r.status]));
    expect(last.wellArchitected.find((r) => r.id === 'OPS06-BP04')?.status).toBe('met');
  });
});

describe('auto placement', () => {
  test('a stack that fits keeps every service in it', () => {
    const stack = strictStack();
    for (let i = 0; i < 3; i++) new OperationalFunction(stack, `Svc${i}`, { lambdaFunction: plainFunction(stack, `Fn${i}`) });
    expect(OperationsHub.of(stack).nestedStacks).toHaveLength(0);
    expect(stack.node.findAll().filter((c) => c instanceof Stack && c !== stack)).toHaveLength(0);
  });

  test('services that do not fit in the stack go into a nested stack; the stack stays under 500', () => {
    const { app, outdir } = strictAppInTempDir();
    const stack = stackIn(app, 'Busy');
    userResources(stack, 431);
    const fns = Array.from({ length: 5 }, (_, i) => plainFunction(stack, `Fn${i}`));
    const svc = fns.map((fn, i) => new OperationalFunction(stack, `Svc${i}`, { lambdaFunction: fn }));
    const hub = OperationsHub.of(stack);
    // 441 of the user's; the first service brings the hub's 29 and each its 7 and its function's version:
    // 478, 486, 494; the 4th would make 502, past 500, so it and the 5th go into a nested stack.
    expect(svc.map((s) => Stack.of(s) !== stack)).toEqual([false, false, false, true, true]);
    expect(hub.nestedStacks).toHaveLength(1);
    app.synth();
    for (const [, { json }] of templatesOf(outdir)) expect(Object.keys(json.Resources).length).toBeLessThan(Limits.CFN_RESOURCES_PER_STACK);
    expect(reportFromAssembly(outdir).stacks[0].services.map((s) => s.name).sort()).toEqual(['Svc0', 'Svc1', 'Svc2', 'Svc3', 'Svc4']);
  });

  test('a queue worker is never placed: its queue is read by the user\'s function, so it stays in the stack', () => {
    const stack = strictStack('Workers');
    new OperationsHub(stack, 'CdkOpexOperations', { placement: ServicePlacement.nestedStacks() });
    const worker = new OperationalQueueWorker(stack, 'Orders', { lambdaFunction: plainFunction(stack, 'OrdersFn') });
    const fn = new OperationalFunction(stack, 'Api', { lambdaFunction: plainFunction(stack, 'ApiFn') });
    expect(Stack.of(worker)).toBe(stack);
    expect(Stack.of(fn)).not.toBe(stack);
  });

  test('a stack whose own resources come after its services and pass 500 fails at synth, naming nestedStacks()', () => {
    const stack = strictStack('Late');
    for (let i = 0; i < 2; i++) new OperationalFunction(stack, `Svc${i}`, { lambdaFunction: plainFunction(stack, `Fn${i}`) });
    userResources(stack, 470);
    expect(() => (stack.node.root as any).synth()).toThrow(/Late has 5\d\d resources, past CloudFormation's 500; .*ServicePlacement\.nestedStacks\(\)/);
  });

  test('sameStack never nests: the same stack fails at synth rather than move a service', () => {
    const stack = strictStack('Same');
    new OperationsHub(stack, 'CdkOpexOperations', { placement: ServicePlacement.sameStack() });
    userResources(stack, 470);
    const svc = new OperationalFunction(stack, 'Svc', { lambdaFunction: plainFunction(stack, 'Fn') });
    expect(Stack.of(svc)).toBe(stack);
    expect(() => (stack.node.root as any).synth()).toThrow(/Same has 5\d\d resources, past CloudFormation's 500/);
  });
});

describe('a placed service behaves as if it were where it was written', () => {
  const stack = strictStack('Placed');
  new OperationsHub(stack, 'CdkOpexOperations', { placement: ServicePlacement.nestedStacks({ servicesPerStack: 2 }) });
  const team = new Construct(stack, 'Checkout');
  AlarmPolicy.set(team, new AlarmPolicy({ evaluationPeriods: 5, datapointsToAlarm: 4 }));
  OperationsLog.enable(stack, { createAccess: true });
  const table = new dynamodb.Table(stack, 'Orders', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  const api = new OperationalFunction(team, 'Api', {
    lambdaFunction: plainFunction(team, 'ApiFn'), serviceName: 'checkout-api', slo: { target: 99.9 }, dependencies: [ServiceDependency.dynamoDbTable(table)],
  });
  const worker = new OperationalFunction(team, 'Worker', { lambdaFunction: plainFunction(team, 'WorkerFn'), serviceName: 'checkout-worker' });
  const other = new OperationalFunction(stack, 'Api', { lambdaFunction: plainFunction(stack, 'OtherFn'), serviceName: 'other-api' });
  // Aspects on the scope it was written in, added after the services (aspects run at synth): a tag, and a read-only one.
  Tags.of(team).add('cost-center', 'payments');
  Validations.of(team).acknowledge({ id: 'AwsSolutions-SNS3', reason: 'the team acknowledges this for everything it owns' });
  const visits = new Map<IConstruct, number>();
  Aspects.of(team).add({ visit: (node) => visits.set(node, (visits.get(node) ?? 0) + 1) }, { priority: AspectPriority.READONLY });

  test('a service with game days stays in the stack, and a GameDay cannot be given to a placed service', () => {
    const drilled = new OperationalFunction(stack, 'Drilled', {
      lambdaFunction: plainFunction(stack, 'DrilledFn'),
      gameDays: { scenarios: [{ name: 'errors', fault: GameDayFault.LAMBDA_INVOCATION_ERROR, percentage: 5 }], installLambdaExtension: true },
    });
    expect(Stack.of(drilled)).toBe(stack);
    expect(() => new GameDay(stack, 'LateGameDay', { service: other, scenarios: [{ name: 'errors', fault: GameDayFault.LAMBDA_INVOCATION_ERROR }] }))
      .toThrow(/was placed in a nested stack \(ServicePlacement\); give it its game days with the pattern's `gameDays` option/);
  });

  test('its id keeps the path it was written at, so equal ids under different scopes stay apart', () => {
    expect(api.node.path).toBe('Placed/CdkOpexServices1/Checkout-Api');
    expect(worker.node.path).toBe('Placed/CdkOpexServices1/Checkout-Worker');
    expect(other.node.path).toBe('Placed/CdkOpexServices2/Api');
  });

  test('the operations row is on a dashboard of the stack itself, not on the nested stacks\' (each would read the others)', () => {
    const t = Template.fromStack(stack).toJSON();
    const bodies = ofType(t, 'AWS::CloudWatch::Dashboard').map(([, d]) => JSON.stringify(d.Properties.DashboardBody));
    expect(bodies.some((b) => b.includes('Operations health'))).toBe(true);
    for (const nested of OperationsHub.of(stack).nestedStacks) {
      const nestedBodies = ofType(Template.fromStack(nested).toJSON(), 'AWS::CloudWatch::Dashboard').map(([, d]) => JSON.stringify(d.Properties.DashboardBody));
      expect(nestedBodies.length).toBeGreaterThan(0);
      expect(nestedBodies.some((b) => b.includes('Operations health'))).toBe(false);
    }
  });

  test('the aspects of its scope reach it: a tag on the scope tags its alarms in the nested stack, and nothing outside the scope', () => {
    const nestedOf = (svc: OperationalFunction) => Template.fromStack(Stack.of(svc)).toJSON().Resources;
    const tags = (svc: OperationalFunction) =>
      nestedOf(svc)[Stack.of(svc).getLogicalId(svc.healthAlarm.node.defaultChild as CfnResource)].Properties.Tags;
    expect(Stack.of(api)).not.toBe(stack);
    expect(tags(api)).toEqual(expect.arrayContaining([{ Key: 'cost-center', Value: 'payments' }]));
    expect(tags(worker)).toEqual(expect.arrayContaining([{ Key: 'cost-center', Value: 'payments' }]));
    expect(tags(other)).not.toEqual(expect.arrayContaining([{ Key: 'cost-center', Value: 'payments' }]));
    // Visited once, as in place (not once per band); and never outside the scope.
    expect(visits.get(api.healthAlarm.node.defaultChild!)).toBe(1);
    expect(visits.get(api.alias)).toBe(1);
    expect(visits.has(other.healthAlarm.node.defaultChild!)).toBe(false);
  });

  test('the acknowledgements on its scope reach it: each is repeated on the placed service, which is not under the scope', () => {
    Template.fromStack(stack); // acknowledgements are forwarded when the tree is validated
    const acknowledged = (c: IConstruct) => c.node.metadata.filter((e) => e.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((e) => Object.entries(e.data as Record<string, string>)).filter(([id]) => id.includes('AwsSolutions-SNS3'));
    const own = acknowledged(team);
    expect(own).toHaveLength(1);
    expect(api.node.scopes).not.toContain(team);
    expect(acknowledged(api)).toEqual(own);
    expect(acknowledged(worker)).toEqual(own);
    expect(acknowledged(other)).toEqual([]);
  });

  test('the alarm policy set on its scope applies', () => {
    const cfn = api.alarms[0].node.defaultChild as any;
    expect(cfn.evaluationPeriods).toBe(5);
    const otherCfn = other.alarms[0].node.defaultChild as any;
    expect(otherCfn.evaluationPeriods).toBe(3);
  });

  test('its hub is the stack\'s: one hub for all, and the checks and Control Tower find nothing on cdk-opex\'s resources', () => {
    expect(api.hub).toBe(OperationsHub.of(stack));
    expect(other.hub).toBe(api.hub);
    const hub = OperationsHub.of(stack);
    const findings = complianceReport([stack, ...hub.nestedStacks]).flat();
    expect(findingLines(findings)).toEqual([]);
  });

  test('the OPEX checks read the nested stacks as part of the stack: the user\'s functions are alarmed, rolled out and answered', () => {
    const hub = OperationsHub.of(stack);
    const opexOnAll = complianceReport([stack], { whose: Whose.ALL }).flat().filter((f) => f.pack === 'OperationalExcellence');
    expect(findingLines(opexOnAll)).toEqual([]);
    // The same model the checks read: the parent's function, with the alarms, group and runbook of its nested stack.
    const model = modelOf(api.healthAlarm);
    const fnId = stack.resolve((api.alias.version.lambda.node.defaultChild as CfnResource).logicalId);
    expect(model.resource(fnId)?.Type).toBe('AWS::Lambda::Function');
    expect(model.alarmsOn(fnId).length).toBeGreaterThanOrEqual(3);
    expect(model.deploymentOf(fnId)).toMatchObject({ mechanism: 'codedeploy', rollbackOnAlarm: true });
    const healthId = hub.nestedStacks[0].resolve((api.healthAlarm.node.defaultChild as CfnResource).logicalId);
    expect(model.runbooksStartedBy(healthId).length).toBeGreaterThanOrEqual(1);
  });
});

describe('ServicePlacement props', () => {
  test('servicesPerStack takes a whole number of services from 1 to 100; anything else names the prop and its unit', () => {
    fc.assert(fc.property(fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: -5, max: 0 }), fc.integer({ min: 101, max: 500 }),
      fc.double({ min: 1.01, max: 99.9, noInteger: true })), (n) => {
      const build = () => new OperationsHub(strictStack(), 'CdkOpexOperations', { placement: ServicePlacement.nestedStacks({ servicesPerStack: n }) });
      if (Number.isInteger(n) && n >= 1 && n <= 100) {
        expect(build().nestedStacks).toHaveLength(0);
      } else {
        expect(build).toThrow(invalidPropError('placement.servicesPerStack'));
        expect(build).toThrow(/services/);
      }
    }), runs(60));
  });

  test('each factory says how it decides', () => {
    expect(ServicePlacement.auto().mode).toBe(PlacementMode.AUTO);
    expect(ServicePlacement.sameStack().mode).toBe(PlacementMode.SAME_STACK);
    expect(ServicePlacement.nestedStacks({ servicesPerStack: 10 })).toMatchObject({ mode: PlacementMode.NESTED_STACKS, servicesPerStack: 10 });
  });
});
