import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * One customer-managed key for the shop's logs (Control Tower CT.CLOUDWATCH.PR.3): CloudWatch Logs of this
 * account and region may use it for log groups only, and only AWS services may create grants (CT.KMS.PR.3).
 */
export function logsKey(stack: Stack): kms.Key {
  const key = new kms.Key(stack, 'LogsKey', { description: 'Encrypts the shop\'s function logs', enableKeyRotation: true });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` } },
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return key;
}

/** What differs between the shop's functions. */
export interface ShopFunctionProps {
  readonly description: string;
  readonly code: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly reservedConcurrency: number;
  /** Why the function needs no dead-letter queue of its own. */
  readonly noDlqReason: string;
  readonly logsKey: kms.IKey;
  readonly environment?: { [name: string]: string };
}

/**
 * The shop's functions all look alike: inline code, the latest runtime, their own encrypted log group kept a
 * year, and a cap on concurrency so one runaway function cannot take the account's whole pool.
 */
export function shopFunction(scope: Construct, id: string, props: ShopFunctionProps): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    description: props.description,
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(props.code),
    timeout: props.timeout,
    memorySize: props.memorySize,
    reservedConcurrentExecutions: props.reservedConcurrency,
    environment: props.environment,
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: props.logsKey }),
  });
  Validations.of(fn.role!).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole grants only the CloudWatch Logs write actions (CreateLogGroup, CreateLogStream, '
      + 'PutLogEvents) a function needs to log; the data the function reads or writes is granted separately, per resource',
  });
  const oneRole = 'The policy is the one CDK\'s grants (table, queue, X-Ray) write for this function, attached to its role '
    + 'alone and scoped to the resources granted; a managed policy would hold the same statements for the same single role.';
  // On the role: its DefaultPolicy appears only with the first grant, after this function is made.
  Validations.of(fn.role!).acknowledge(
    { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: oneRole },
    { id: 'HIPAA.Security-IAMNoInlinePolicy', reason: oneRole },
    { id: 'PCI.DSS.321-IAMNoInlinePolicy', reason: oneRole },
  );
  const outsideVpc = 'The shop\'s functions reach only AWS APIs (DynamoDB, SQS), over TLS and IAM-authorized, and no private '
    + 'resource (no database, no VPC endpoint, no on-premises network): in a VPC they would only add NAT cost and '
    + 'cold-start latency. A function that reads private data belongs in its VPC.';
  Validations.of(fn).acknowledge(
    { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: outsideVpc },
    { id: 'NIST.800.53.R5-LambdaInsideVPC', reason: outsideVpc },
    { id: 'HIPAA.Security-LambdaInsideVPC', reason: outsideVpc },
    { id: 'PCI.DSS.321-LambdaInsideVPC', reason: outsideVpc },
    { id: 'NIST.800.53.R5-LambdaDLQ', reason: props.noDlqReason },
    { id: 'HIPAA.Security-LambdaDLQ', reason: props.noDlqReason },
    { id: 'Serverless-LambdaDLQ', reason: props.noDlqReason },
  );
  return fn;
}
