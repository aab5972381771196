import { Template } from 'aws-cdk-lib/assertions';
import { row } from './support';
import { OperationalFunction } from '../../src';
import { analyzeAssembly } from '../../src/report/analyze';
import { OperationalReadiness, ReadinessService } from '../../src/report/model';
import { FIXTURE_STACKS } from '../support/fixture-stacks';
import { plainFunction, strictStack } from '../support/stacks';

/** The report of one stack. */
function reportOf(stack: ReturnType<typeof strictStack>): OperationalReadiness {
  return analyzeAssembly([{ stackName: stack.stackName, template: Template.fromStack(stack).toJSON(), region: 'us-east-1' }]);
}

const reports = Object.fromEntries(Object.entries(FIXTURE_STACKS).map(([name, build]) => [name, reportOf(build())]));
const services = (name: string): ReadinessService[] => reports[name].stacks[0].services;

describe('the readiness report gets right what users saw wrong', () => {
  test('an SLO\'s ticket alarm (an OpsItem) is not counted as paging; its page alarm is', () => {
    const stack = strictStack();
    new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn'), slo: { target: 99.9 } });
    const [service] = reportOf(stack).stacks[0].services;
    const ticket = service.alarms.items.find((a) => a.alarmName === 'Shop-Checkout-slo-availability-warning')!;
    expect(ticket).toMatchObject({ pages: false, actions: [expect.stringMatching(/^OpsItem severity/)] });
    const paging = service.alarms.items.filter((a) => a.pages).map((a) => a.alarmName);
    expect(paging).toEqual(['Shop-Checkout-health-critical']);
    expect(service.alarms.paging).toBe(1);
  });

  test('a queue and its dead-letter queue are one service, each alarm charged once', () => {
    const [queue, ...others] = services('queue with its DLQ');
    expect(others).toEqual([]);
    expect(queue.kind).toBe('sqs');
    expect(queue.members).toHaveLength(2);
    expect(queue.alarms.count).toBe(2);
  });

  test('a standalone SLO is listed with the service whose metrics it reads', () => {
    const [search] = services('standalone SLO');
    expect(search.objectives).toEqual([expect.objectContaining({ target: 99.5, windowDays: 28, pageAlarmName: 'Objective-search-slo-availability-critical' })]);
  });

  test('an ECS service with circuit-breaker rollback and deployment alarms rolls back on alarm', () => {
    const web = services('hand-wired ECS service').find((s) => s.kind === 'ecs')!;
    expect(web.deployment).toMatchObject({ rolloutType: 'rolling', rollbackOnAlarm: true, circuitBreaker: true, strategy: 'rolling update with circuit breaker' });
    expect(web.alarms.count).toBe(1);
    expect(row(web, 'OPS06-BP04').status).toBe('met');
    expect(row(web, 'OPS08-BP04').status).toBe('met');
  });

  test.each(Object.keys(FIXTURE_STACKS))('%s: per-service costs and the shared cost sum to the stack\'s total', (name) => {
    const stack = reports[name].stacks[0];
    const cents = (usd: number) => Math.round(usd * 100);
    const perService = stack.services.reduce((s, svc) => s + cents(svc.cost.monthlyUsd), 0);
    expect(perService + cents(stack.sharedCost.monthlyUsd)).toBe(cents(stack.cost.monthlyUsd));
  });

  test('names operators see, with console links; logical ids stay as evidence', () => {
    const [checkout] = services('cdk-opex defaults');
    const health = checkout.alarms.items.find((a) => a.alarmType === 'composite')!;
    expect(health.consoleUrl).toBe('https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/Defaults-Checkout-health-critical');
    // CloudFormation names the shared documents, so the report can name and link them only by logical id.
    const diagnostics = checkout.runbooks.find((r) => r.automatic)!;
    expect(diagnostics).toMatchObject({ documentName: diagnostics.document, consoleUrl: undefined, rule: expect.stringMatching(/^CheckoutOnUnhealthy/) });
    expect(checkout.deployment).toMatchObject({ rolloutType: 'canary', percentage: 10, intervalMinutes: 5, rollbackOnAlarm: true });
  });

  test('a runbook started by a name-prefix trigger counts as the alarm\'s automated response', () => {
    const [orders] = services('runbook started by a prefix trigger');
    expect(orders.runbooks).toEqual([expect.objectContaining({ automatic: true, trigger: 'EventBridge, when orders-errors enters ALARM' })]);
    expect(row(orders, 'OPS10-BP07').status).toBe('met');
  });
});
