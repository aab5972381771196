import { Stack } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import { IConstruct } from 'constructs';
import { IRunbook } from '../runbooks/runbook';

/** Console deep links for the resources a responder opens first. */
export function consoleLinks(scope: IConstruct) {
  const region = Stack.of(scope).region;
  const console = `https://${region}.console.aws.amazon.com`;
  return {
    runbook: (runbook: IRunbook) =>
      `${console}/systems-manager/documents/${runbook.documentName}/description?region=${region}`,
    deploymentGroup: (group: codedeploy.ILambdaDeploymentGroup) =>
      `${console}/codesuite/codedeploy/applications/${group.application.applicationName}/deployment-groups/${group.deploymentGroupName}?region=${region}`,
  };
}
