import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { OperationsHub } from './operations-hub';

/** Log-group name patterns each key already lets CloudWatch Logs use: one statement per pattern, however many groups. */
const allowed = new WeakMap<kms.IKey, Set<string>>();

/**
 * The stack's cdk-opex key, which CloudWatch Logs of this account and Region may use for
 * the log groups named `logGroupPattern` (e.g. `/cdk-opex/operations/*`; `*` for any of
 * this account's groups). Packs ask for encrypted logs; one key per stack, not per service.
 */
export function keyForLogs(scope: IConstruct, logGroupPattern = '*'): kms.Key {
  const key = OperationsHub.of(scope).topicKey;
  const patterns = allowed.get(key) ?? new Set<string>();
  allowed.set(key, patterns);
  if (!patterns.has(logGroupPattern)) {
    patterns.add(logGroupPattern);
    const stack = Stack.of(key);
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      resources: ['*'], // in a key policy, '*' is the key itself
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupPattern, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        },
      },
    }));
  }
  return key;
}
