import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { nagText } from './cfn-values';

/**
 * Acknowledges the AwsSolutions-IAM5 finding for one wildcard resource in the
 * policies of `role` (its default policy and any overflow policies CDK splits off).
 * The finding id embeds the resolved resource, which is only final once references
 * between stacks are settled, so it is computed when the tree is validated.
 */
export function acknowledgeWildcardResource(role: IConstruct, resource: string, reason: string): void {
  wildcards.set(role, [...(wildcards.get(role) ?? []), { resource, reason }]);
  acknowledgeIn(role, resource, reason);
}

/** Wildcard resources acknowledged on each role, for the policies that hold its grants elsewhere. */
const wildcards = new WeakMap<IConstruct, Array<{ readonly resource: string; readonly reason: string }>>();

function acknowledgeIn(scope: IConstruct, resource: string, reason: string): void {
  scope.node.addValidation({
    validate: () => {
      const finding = nagText(Stack.of(scope).resolve(resource));
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${finding}]`, reason });
      return [];
    },
  });
}

/**
 * Acknowledges on `policy` (a managed policy of a nested stack holding some of `role`'s
 * grants) every wildcard resource acknowledged on `role`, with the same reason, as the
 * policy's stack names it. Read at validation, so later acknowledgements count too.
 */
export function acknowledgeLikeRole(policy: IConstruct, role: IConstruct): void {
  policy.node.addValidation({
    validate: () => {
      for (const { resource, reason } of wildcards.get(role) ?? []) {
        const finding = nagText(Stack.of(policy).resolve(resource));
        Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${finding}]`, reason });
      }
      return [];
    },
  });
}

/** The packs' rule against AWS::IAM::Policy resources and roles' inline policies. */
const INLINE_POLICY_RULES = ['NIST.800.53.R5-IAMNoInlinePolicy', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy'];

/**
 * Acknowledges the inline-policy rule of the NIST 800-53 R5, HIPAA and PCI DSS packs for
 * the roles cdk-opex creates under `scope`. Each such policy belongs to exactly one role
 * cdk-opex made for one purpose and holds only statements scoped to what that role
 * acts on (no reuse, so nothing a managed policy would share); and the policies of
 * deployed stacks keep their type and logical id, which CloudFormation cannot change
 * from AWS::IAM::Policy to AWS::IAM::ManagedPolicy in place.
 */
export function acknowledgeInlinePolicies(scope: IConstruct): void {
  for (const id of INLINE_POLICY_RULES) {
    Validations.of(scope).acknowledge({
      id,
      reason: 'Each AWS::IAM::Policy cdk-opex creates is attached to one role cdk-opex made for one purpose and holds only '
        + 'statements scoped to that role\'s resources; it is kept an AWS::IAM::Policy because CloudFormation cannot change '
        + 'a deployed resource\'s type to AWS::IAM::ManagedPolicy under the same logical id.',
    });
  }
}
