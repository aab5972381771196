import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OperationalExcellenceChecks, OperationalExcellenceChecksProps } from '../../src/checks';

/**
 * OperationalExcellence findings as `<rule id> <construct path>`, after a full synth
 * (so Tags.of() aspects and cdk-opex's own validations have run).
 */
export function opexFindings(stack: Stack, props?: OperationalExcellenceChecksProps): string[] {
  Template.fromStack(stack);
  const report = new OperationalExcellenceChecks(undefined, props).validateScope(stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`)).sort();
}

/** Rule ids reported on the stack, each once. */
export function ruleIds(stack: Stack, props?: OperationalExcellenceChecksProps): string[] {
  return [...new Set(opexFindings(stack, props).map((f) => f.split(' ')[0]))].sort();
}

/** Construct paths reported for one rule id. */
export function violators(stack: Stack, ruleId: string, props?: OperationalExcellenceChecksProps): string[] {
  return opexFindings(stack, props).filter((f) => f.split(' ')[0] === ruleId).map((f) => f.split(' ')[1]);
}
