import * as fs from 'fs';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { readmeApp } from './snippets.generated';
import { assemble, GENERATED, README, tsBlocks } from '../../scripts/readme-snippets';

/** Builds with strict CloudFormation validation: the README's `new App()` reads context from the environment. */
function withStrictContext<T>(build: () => T): T {
  const previous = process.env.CDK_CONTEXT_JSON;
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ '@aws-cdk/core:strictCfnValidateErrors': true });
  try {
    return build();
  } finally {
    if (previous === undefined) delete process.env.CDK_CONTEXT_JSON;
    else process.env.CDK_CONTEXT_JSON = previous;
  }
}

describe('README snippets module', () => {
  const readme = fs.readFileSync(README, 'utf8');

  test('the generated module is today\'s README (npm test regenerates it)', () => {
    expect(fs.readFileSync(GENERATED, 'utf8')).toBe(assemble(readme));
  });

  test('every snippet is in the module', () => {
    const generated = fs.readFileSync(GENERATED, 'utf8');
    expect(tsBlocks(readme).length).toBeGreaterThanOrEqual(8);
    for (const block of tsBlocks(readme)) {
      const firstCode = block.split('\n').find((l) => l.trim() && !l.startsWith('import '))!;
      expect(generated).toContain(firstCode);
    }
  });
});

// The README's snippets, run as one app exactly as a reader pastes them, with the checks the
// README attaches (AwsSolutions and OPEX): if this fails, so does the README.
describe('README', () => {
  let built: ReturnType<typeof readmeApp>;
  let template: Template;

  beforeAll(() => {
    built = withStrictContext(() => readmeApp());
    built.app.synth(); // runs the validation plugins the README attaches; a finding throws
    template = Template.fromStack(built.stack as Stack);
  });

  test('the checks the README attaches run on synth: a log group kept forever fails it', () => {
    const again = withStrictContext(() => readmeApp());
    new logs.LogGroup(again.stack, 'KeptForever', { retention: logs.RetentionDays.INFINITE });
    // The Control Tower rules already ran on this app in beforeAll (most of a synth's time:
    // about 17 of 19 s); here they are stood down, and the finding must still fail the synth.
    const guard = jest.spyOn(CfnGuardValidator.prototype, 'validate').mockReturnValue({ success: true, violations: [] });
    try {
      expect(() => again.app.synth()).toThrow(/OPEX-LogGroupRetention/);
      expect(guard).toHaveBeenCalled();
    } finally {
      guard.mockRestore();
    }
  });

  test('the Quick start and the overrides give two operable services', () => {
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', { AlarmName: 'Shop-Checkout-health-critical' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Catalog-errors-info', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-Catalog-latency-info', Threshold: 2000 });
  });

  test('the alarm policy applies to what is created after it: the SLO\'s page alarm pages the pager and starts an incident', () => {
    const page = template.toJSON().Resources[(built.stack as Stack).getLogicalId((built as any).stack.node
      .findChild('ApiLatency').pageAlarm.node.defaultChild)].Properties;
    expect(JSON.stringify(page.AlarmActions)).toContain('arn:aws:sns:us-east-1:123456789012:pager');
    expect(JSON.stringify(page.AlarmActions)).toContain('ssm-incidents');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'Shop-checkout-kpi-orders-per-minute-warning' });
  });

  test('the trigger and the written runbook are synthesized', () => {
    template.resourcePropertiesCountIs('AWS::Events::Rule', { Description: 'Starts the runbook EcsStoppedTasks' }, 1);
    expect(Object.keys(template.findResources('AWS::SSM::Document')).some((id) => id.startsWith('RestartTasks'))).toBe(true);
  });
});
