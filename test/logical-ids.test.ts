import { Template } from 'aws-cdk-lib/assertions';
import { OperationalFunction } from '../src';
import { plainFunction, strictStack } from './support/stacks';

/**
 * Resources a default OperationalFunction's stack gained with ship-worthy defaults
 * (issue 8): the signal topic, the response dead-letter queue, its alarm, and the
 * runbook that opens an OpsItem when it fires. All in the hub, once per stack.
 */
const ADDED_FOR_COMPLIANCE: Record<string, string> = {
  CdkOpexOperationsCreateOpsItemDocument266137F8: 'AWS::SSM::Document',
  CdkOpexOperationsCreateOpsItemRole49841A2F: 'AWS::IAM::Role',
  CdkOpexOperationsCreateOpsItemRoleDefaultPolicy92CAC7DE: 'AWS::IAM::Policy',
  CdkOpexOperationsCreateOpsItemStartRoleD56E28D4: 'AWS::IAM::Role',
  CdkOpexOperationsCreateOpsItemStartRoleDefaultPolicyCA7812DB: 'AWS::IAM::Policy',
  CdkOpexOperationsOnUndeliveredResponse612D4458: 'AWS::Events::Rule',
  CdkOpexOperationsResponseDeadLetterAlarmFF0CFD92: 'AWS::CloudWatch::Alarm',
  CdkOpexOperationsResponseDeadLetterQueue467F0166: 'AWS::SQS::Queue',
  CdkOpexOperationsResponseDeadLetterQueuePolicyF0ED05CE: 'AWS::SQS::QueuePolicy',
  CdkOpexOperationsSignalTopicC223ECBE: 'AWS::SNS::Topic',
  CdkOpexOperationsSignalTopicPolicyFA7AF326: 'AWS::SNS::TopicPolicy',
};

// Logical ids are how CloudFormation tells a resource apart: a change here replaces
// alarms, roles or the deployment group in every deployed stack. Update the snapshot
// only on purpose, and say so in the release notes. The snapshot holds the ids of the
// first release; resources added since are pinned in ADDED_FOR_COMPLIANCE, so every id
// is pinned and none of the first release's can change.
test('logical ids of a default OperationalFunction are stable', () => {
  const stack = strictStack();
  new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
  const ids = Object.entries(resources)
    .filter(([id]) => !id.startsWith('Fn')) // the app's own function, role and version
    .map(([id, r]) => [id, r.Type] as const);
  expect(Object.fromEntries(ids.filter(([id]) => id in ADDED_FOR_COMPLIANCE))).toEqual(ADDED_FOR_COMPLIANCE);
  expect(Object.fromEntries(ids.filter(([id]) => !(id in ADDED_FOR_COMPLIANCE)))).toMatchSnapshot();
});
