import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeWildcardResource } from '../core/nag';
import { operationsStack } from '../core/operations-stack';
import { invalidProp } from '../core/validate';
import { OperationsHub } from '../hub/operations-hub';

/** AWS's public SSM parameters holding the FIS Lambda extension's layer ARN in each Region, by architecture. */
export const FIS_EXTENSION_PARAMETERS: { [architecture: string]: string } = {
  x86_64: '/aws/service/fis/lambda-extension/AWS-FIS-extension-x86_64/1.x.x',
  arm64: '/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x',
};
/** The wrapper script the extension's layer installs. */
export const FIS_EXEC_WRAPPER = '/opt/aws-fis/bootstrap';
/** Prefix in the configuration bucket FIS writes active faults under and the extension polls. */
export const FIS_CONFIG_PREFIX = 'FisConfigs/';

/** Acknowledgements of the configuration bucket, each with why. */
const BUCKET_ACKNOWLEDGEMENTS: Array<{ id: string; reason: string }> = [
  ...['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled', 'HIPAA.Security-S3BucketLoggingEnabled', 'PCI.DSS.321-S3BucketLoggingEnabled',
    'cdk-validator-cfnguard::s3_bucket_logging_enabled_check']
    .map((id) => ({
      id,
      reason: 'The bucket holds only FIS fault configurations, written by the experiment role and read by the FIS Lambda '
        + 'extension; every write is an FIS experiment, already recorded in the experiment log and CloudTrail. An '
        + 'access-log bucket would need an access-log bucket of its own.',
    })),
  ...['NIST.800.53.R5-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketReplicationEnabled', 'PCI.DSS.321-S3BucketReplicationEnabled']
    .map((id) => ({
      id,
      reason: 'FIS needs a configuration bucket in the Region of each experiment; a replica in another Region would '
        + 'serve no experiment, and the objects live only while a fault is active.',
    })),
  {
    id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
    reason: 'FIS deletes each fault configuration when its action ends; an object lock would keep a fault active in the '
      + 'extension\'s view after the experiment is over.',
  },
  {
    id: 'cdk-validator-cfnguard::s3_event_notifications_enabled_check',
    reason: 'Nothing reacts to a fault configuration but the FIS Lambda extension, which polls the prefix; a notification '
      + 'would need a consumer of its own, and each write is already an FIS experiment in the experiment log.',
  },
];

/**
 * The stack's one S3 bucket for FIS: the Lambda faults FIS writes and the FIS extension
 * reads (FIS needs one per Region), and the game days' experiment reports. KMS-encrypted
 * with the stack's key, SSL only, versioned, public access blocked, old versions expire.
 */
export function fisConfigurationBucket(scope: IConstruct): s3.Bucket {
  const hub = OperationsHub.of(scope);
  return hub._shared('FisLambdaConfiguration', (s, id) => {
    const bucket = new s3.Bucket(s, id, {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: hub.topicKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    for (const ack of BUCKET_ACKNOWLEDGEMENTS) Validations.of(bucket).acknowledge(ack);
    return bucket;
  });
}

/** The `arn:...:s3:::bucket/FisConfigs/` location the extension reads. */
export function configurationLocation(bucket: s3.IBucket): string {
  return `${bucket.bucketArn}/${FIS_CONFIG_PREFIX}`;
}

/**
 * Installs the FIS Lambda extension on `fn` (opt-in, `prop` names the switch): the layer
 * from AWS's public SSM parameter for its architecture, the wrapper and configuration
 * location variables, and read access to the location for its role.
 */
export function installFisExtension(scope: Construct, prop: string, fn: lambda.IFunction, bucket: s3.Bucket): void {
  if (!(fn instanceof lambda.Function)) {
    invalidProp(scope, prop, `the FIS extension is installed on a lambda.Function defined in this app; ${fn.node.path} is imported`);
  }
  const architecture = fn.architecture.name;
  const parameter = FIS_EXTENSION_PARAMETERS[architecture];
  if (!parameter) invalidProp(scope, prop, `the FIS extension has no layer for architecture '${architecture}'`);
  // Read in the stack the user's function is in (a placed service's nested stack would make a cycle with it).
  const layerArn = ssm.StringParameter.valueForStringParameter(operationsStack(scope), parameter);
  fn.addLayers(lambda.LayerVersion.fromLayerVersionArn(scope, 'FisExtensionLayer', layerArn));
  fn.addEnvironment('AWS_FIS_CONFIGURATION_LOCATION', configurationLocation(bucket));
  fn.addEnvironment('AWS_LAMBDA_EXEC_WRAPPER', FIS_EXEC_WRAPPER);
  if (!fn.role) invalidProp(scope, prop, `${fn.node.path} has no role to let the extension read its configuration`);
  // A managed policy of its own: the function's role is the app's, and its inline policy stays the app's too.
  const objects = `${configurationLocation(bucket)}*`;
  const access = new iam.ManagedPolicy(scope, 'FisExtensionAccess', {
    description: `Lets the FIS Lambda extension of ${fn.node.path} read the fault configurations of the stack's FIS bucket`,
    roles: [fn.role],
    statements: [
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${FIS_CONFIG_PREFIX}*`] } } }),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }),
      ...(bucket.encryptionKey ? [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [bucket.encryptionKey.keyArn] })] : []),
    ],
  });
  acknowledgeWildcardResource(access, objects, 'FIS names each fault configuration object at run time; the pattern is the '
    + 'configuration prefix of the stack\'s FIS bucket only.');
}
