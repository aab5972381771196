import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * A resource-policy statement letting an AWS service act on a resource of this stack only for
 * this account's own resources (`aws:SourceAccount` and an `aws:SourceArn` pattern): no
 * confused deputy can use it for someone else's alarm or rule.
 */
export function ownAccountServiceStatement(scope: IConstruct, props: {
  readonly service: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly sourceArn: string;
}): iam.PolicyStatement {
  return new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(props.service)],
    actions: props.actions,
    resources: props.resources,
    conditions: {
      StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
      ArnLike: { 'aws:SourceArn': props.sourceArn },
    },
  });
}
