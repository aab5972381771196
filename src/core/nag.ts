import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Renders a resolved CloudFormation value the way cdk-nag prints it in a finding id:
 * references become `<LogicalId>` or `<LogicalId.Attribute>`, joins are joined.
 */
export function nagText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value !== 'object') return String(value);
  const node = value as Record<string, any>;
  if (node['Fn::Join']) {
    const [delimiter, parts] = node['Fn::Join'];
    return (parts as unknown[]).map(nagText).join(delimiter);
  }
  if (node['Fn::Sub']) return nagText(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'];
    return `<${nagText(resource)}.${nagText(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return nagText(node['Fn::ImportValue']);
  if (node.Ref) return `<${nagText(node.Ref)}>`;
  return JSON.stringify(node);
}

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
