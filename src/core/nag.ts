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
  role.node.addValidation({
    validate: () => {
      const finding = nagText(Stack.of(role).resolve(resource));
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${finding}]`, reason });
      return [];
    },
  });
}
