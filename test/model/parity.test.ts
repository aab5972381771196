import { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { OperationalExcellenceChecks } from '../../src/checks';
import { analyzeAssembly } from '../../src/report/analyze';
import { ReadinessService } from '../../src/report/model';
import { FIXTURE_STACKS } from '../support/fixture-stacks';

/**
 * The checks and the report read one stack model, so wherever a check judges a relation
 * (an alarm on a resource, a rollback, a runbook an alarm starts) the report's row agrees.
 */
describe.each(Object.keys(FIXTURE_STACKS))('checks and report agree: %s', (name) => {
  const stack = FIXTURE_STACKS[name]();
  const template = Template.fromStack(stack).toJSON();
  const [report] = analyzeAssembly([{ stackName: stack.stackName, template }]).stacks;
  const violations = new OperationalExcellenceChecks().validateScope(stack).violations;
  /** Whether `rule` found nothing wrong with the resource `logicalId`. */
  const passes = (rule: string, logicalId: string): boolean => {
    const resource = stack.node.findAll().find((c) => CfnResource.isCfnResource(c) && stack.resolve(c.logicalId) === logicalId);
    const path = resource!.node.path;
    return !violations.some((v) => v.ruleName.startsWith(rule) && v.violatingResources.some((r) => r.constructPath === path));
  };
  const typeOf = (id: string): string => template.Resources[id].Type;
  const deployedBy = (svc: ReadinessService): string[] => Object.keys(template.Resources).filter((id) =>
    (typeOf(id) === 'AWS::Lambda::Alias' && JSON.stringify(template.Resources[id].Properties.FunctionName).includes(`"${svc.logicalId}"`))
    || (id === svc.logicalId && typeOf(id) === 'AWS::ECS::Service'));
  const ALARMED: Record<string, string> = {
    'AWS::Lambda::Function': 'OPEX-LambdaFunctionAlarmed',
    'AWS::ECS::Service': 'OPEX-EcsServiceAlarmed',
    'AWS::SQS::Queue': 'OPEX-SqsQueueAlarmed',
    'AWS::ApiGateway::Stage': 'OPEX-ApiGatewayStageAlarmed',
  };

  test('a resource is alarmed for the check exactly when the report lists an alarm on its metrics', () => {
    expect(report.services.length).toBeGreaterThan(0);
    for (const svc of report.services) {
      for (const member of svc.members.filter((m) => ALARMED[typeOf(m)])) {
        const reportSays = svc.alarms.items.some((a) => a.alarmType !== 'composite');
        expect({ member, check: passes(ALARMED[typeOf(member)], member) }).toEqual({ member, check: reportSays });
      }
    }
  });

  test('a deployment is safe for the check exactly when the report\'s OPS06-BP04 row is met', () => {
    for (const svc of report.services.filter((s) => s.deployment.applicable)) {
      const met = svc.wellArchitected.find((r) => r.id === 'OPS06-BP04')!.status === 'met';
      for (const resource of deployedBy(svc)) expect({ resource, check: passes('OPEX-SafeDeployment', resource) }).toEqual({ resource, check: met });
    }
  });

  test('a paging alarm has a runbook for the check exactly when the report lists a runbook it starts', () => {
    for (const svc of report.services) {
      for (const alarm of svc.alarms.items.filter((a) => a.actions.some((x) => x.startsWith('SNS topic') && !x.includes('(no paging)')))) {
        const reportSays = svc.runbooks.some((r) => r.automatic && r.startedBy.includes(alarm.logicalId));
        expect({ alarm: alarm.logicalId, check: passes('OPEX-AlarmHasRunbook', alarm.logicalId) }).toEqual({ alarm: alarm.logicalId, check: reportSays });
      }
    }
  });

  test('a deployment group rolls back for the check exactly when the report says it rolls back on alarm', () => {
    for (const svc of report.services.filter((s) => s.deployment.deploymentGroup)) {
      expect(passes('OPEX-DeploymentGroupRollsBack', svc.deployment.deploymentGroup!)).toBe(svc.deployment.rollbackOnAlarm);
    }
  });
});
