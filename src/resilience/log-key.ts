import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { OperationsHub } from '../hub/operations-hub';

/** Stacks whose key already lets CloudWatch Logs encrypt with it. */
const allowed = new WeakSet<kms.IKey>();

/**
 * The stack's key, allowed (once) to encrypt and decrypt the log groups of this account
 * and Region for CloudWatch Logs: the experiment logs are encrypted with it.
 */
export function allowLogsToUseKey(scope: IConstruct): kms.Key {
  const key = OperationsHub.of(scope).topicKey;
  if (!allowed.has(key)) {
    const stack = Stack.of(key);
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      resources: ['*'], // in a key policy, '*' is the key itself
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        },
      },
    }));
    allowed.add(key);
  }
  return key;
}
