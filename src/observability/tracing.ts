import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { OperationsHub } from '../hub/operations-hub';

/**
 * The one policy that lets the stack's traced compute send X-Ray traces; each traced
 * role is attached to it, so it costs one resource however many there are.
 */
export function tracingPolicy(hub: OperationsHub): iam.Policy {
  return hub._shared('TracingPolicy', (scope, id) => {
    const policy = new iam.Policy(scope, id, {
      // X-Ray has no resource-level permissions for sending traces.
      statements: [new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions; this policy holds nothing else.',
    });
    return policy;
  });
}
