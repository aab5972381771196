import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { CfnResource, IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyViolationBeta1, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';
import * as opex from '../../src';
import { OperationalExcellenceChecks } from '../../src';

/** One finding of a compliance rule on one resource. */
export interface Finding {
  /** `ControlTower`, `AwsSolutions`, `NIST.800.53.R5`, ... or `OPEX`. */
  readonly pack: string;
  /** The rule, e.g. `CT.KMS.PR.3` or `AwsSolutions-IAM5[Resource::*]`. */
  readonly rule: string;
  /** Construct path of the resource (its logical id when no construct is found). */
  readonly path: string;
  /** Whether cdk-opex created the resource (it sits under a cdk-opex construct). */
  readonly ours: boolean;
}

/** Which resources' findings to return. */
export enum Whose { OURS = 'ours', USERS = 'users', ALL = 'all' }

export interface ComplianceOptions {
  /** @default Whose.OURS */
  readonly whose?: Whose;
  /** Also run OperationalExcellenceChecks. @default true */
  readonly opex?: boolean;
}

/** The construct classes cdk-opex exports: a resource under one of them is cdk-opex's. */
const OUR_CONSTRUCTS = (Object.values(opex) as unknown[]).filter((v): v is new (...args: any[]) => Construct =>
  typeof v === 'function' && v.prototype instanceof Construct);

export function isOurs(c: IConstruct): boolean {
  return c.node.scopes.some((s) => OUR_CONSTRUCTS.some((k) => s instanceof k));
}

/** The packs every construct's defaults must pass. */
export function nagPacks(opexChecks = true): NagPack[] {
  return [
    new AwsSolutionsChecks(), new NIST80053R5Checks(), new HIPAASecurityChecks(), new PCIDSS321Checks(), new ServerlessChecks(),
    ...(opexChecks ? [new OperationalExcellenceChecks()] : []),
  ];
}

/** Namespace CDK gives the guard plugin's rule ids: acknowledge `cdk-validator-cfnguard::CT.KMS.PR.3`. */
export const CONTROL_TOWER_NAMESPACE = 'cdk-validator-cfnguard';

/** The Control Tower rule files bundled with the validator, with the resource types each one checks. */
const CONTROL_TOWER_RULES = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');
let ruleTypes: Map<string, string[]> | undefined;

function controlTowerRuleTypes(): Map<string, string[]> {
  if (!ruleTypes) {
    const files = (fs.readdirSync(CONTROL_TOWER_RULES, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.guard')).map((f) => path.join(CONTROL_TOWER_RULES, f));
    ruleTypes = new Map(files.map((f) => [f, [...new Set(fs.readFileSync(f, 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? [])]]));
  }
  return ruleTypes;
}

/**
 * A validator with the Control Tower rules that can apply to `types`: a rule selects the
 * resources it checks by type, so leaving out rules for absent types changes no result and
 * saves most of cfn-guard's time (it evaluates every rule against every resource).
 */
function guardFor(types: Set<string>): IPolicyValidationPluginBeta1 {
  const rules = [...controlTowerRuleTypes()].filter(([, checked]) => checked.length === 0 || checked.some((t) => types.has(t))).map(([f]) => f);
  return new CfnGuardValidator({ controlTowerRulesEnabled: false, rules });
}

/**
 * Runs the Control Tower proactive controls (cfn-guard, one run for all `stacks`) and
 * the five cdk-nag packs (plus OperationalExcellenceChecks) on each stack after a full
 * synth, and returns each stack's unacknowledged findings on cdk-opex's resources (or
 * the user's, or all), in the order of `stacks`.
 */
export function complianceReport(stacks: Stack[], options: ComplianceOptions = {}): Finding[][] {
  const whose = options.whose ?? Whose.OURS;
  // A full synth settles cdk-opex's own acknowledgements (some are computed at validation).
  const templates = stacks.map((stack) => Template.fromStack(stack).toJSON());
  const guardViolations = controlTower(stacks, templates);
  return stacks.map((stack, i) => {
    const byLogicalId = new Map<string, CfnResource>();
    const byPath = new Map<string, IConstruct>();
    for (const c of stack.node.findAll()) {
      byPath.set(c.node.path, c);
      if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) byLogicalId.set(stack.resolve(c.logicalId), c);
    }
    const findings: Finding[] = [];
    for (const v of guardViolations[i]) {
      for (const r of v.violatingResources) {
        const resource = byLogicalId.get(r.resourceLogicalId);
        if (resource && guardAcknowledged(resource, v.ruleName)) continue;
        findings.push({ pack: 'ControlTower', rule: v.ruleName, path: resource?.node.path ?? r.resourceLogicalId, ours: !!resource && isOurs(resource) });
      }
    }
    for (const pack of nagPacks(options.opex ?? true)) {
      for (const v of pack.validateScope(stack).violations) {
        for (const r of v.violatingResources) {
          const c = byPath.get(r.constructPath ?? '');
          findings.push({ pack: pack.readPackName, rule: v.ruleName, path: r.constructPath ?? '?', ours: !!c && isOurs(c) });
        }
      }
    }
    return findings.filter((f) => whose === Whose.ALL || (whose === Whose.OURS) === f.ours);
  });
}

/** {@link complianceReport} of one stack. */
export function complianceFindings(stack: Stack, options: ComplianceOptions = {}): Finding[] {
  return complianceReport([stack], options)[0];
}

/** Findings as `pack rule path` lines, sorted: what a failing test prints. */
export function findingLines(findings: Finding[]): string[] {
  return findings.map((f) => `${f.rule} ${f.path}`).sort();
}

/** Control Tower violations of each template, from one cfn-guard run. */
function controlTower(stacks: Stack[], templates: any[]): PolicyViolationBeta1[][] {
  const types = new Set(templates.flatMap((t) => Object.values(t.Resources ?? {}).map((r: any) => r.Type as string)));
  const guard = guardFor(types);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-opex-ct-'));
  try {
    const files = stacks.map((stack, i) => {
      const file = path.join(dir, `${i}-${stack.artifactId}.template.json`);
      fs.writeFileSync(file, JSON.stringify(templates[i]));
      return file;
    });
    const { violations } = guard.validate({ templatePaths: files } as IPolicyValidationContextBeta1);
    return files.map((file) => violations.map((v) => ({
      ...v,
      violatingResources: v.violatingResources.filter((r) => path.basename(r.templatePath) === path.basename(file)),
    })).filter((v) => v.violatingResources.length > 0));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Acknowledged as CDK's synth does: on the resource or an ancestor, as `cdk-validator-cfnguard::<rule>`. */
function guardAcknowledged(resource: IConstruct, ruleName: string): boolean {
  const id = `${CONTROL_TOWER_NAMESPACE}::${ruleName.replace(/ /g, '-')}`;
  return resource.node.scopes.some((s) => s.node.metadata.some((m) =>
    m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data && id in (m.data as object)));
}
