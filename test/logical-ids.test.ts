import { Template } from 'aws-cdk-lib/assertions';
import { OperationalFunction } from '../src';
import { plainFunction, strictStack } from './support/stacks';

// Logical ids are how CloudFormation tells a resource apart: a change here replaces
// alarms, roles or the deployment group in every deployed stack. Update the snapshot
// only on purpose, and say so in the release notes.
test('logical ids of a default OperationalFunction are stable', () => {
  const stack = strictStack();
  new OperationalFunction(stack, 'Checkout', { lambdaFunction: plainFunction(stack, 'Fn') });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string }>;
  const ids = Object.fromEntries(Object.entries(resources)
    .filter(([id]) => !id.startsWith('Fn')) // the app's own function, role and version
    .map(([id, r]) => [id, r.Type]));
  expect(ids).toMatchSnapshot();
});
