import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The network's log bucket: VPC flow logs and the load balancer's access logs, kept a year. Encrypted
 * with S3-managed keys because ALB access logs cannot be written to a KMS-encrypted bucket.
 */
export function networkLogBucket(scope: Construct): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'NetworkLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    versioned: true,
    lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
    // Logs are evidence: a stack deletion leaves them.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // Object events go to EventBridge (CT.S3.PR.4), set on the L1 so CDK adds no notification custom resource.
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  const isTheLogDestination = 'This bucket is where the network\'s logs go; logging access to it would need another log bucket, '
    + 'whose access would need logging in turn. Reads of it are recorded by CloudTrail data events if the account enables them.';
  const sseS3Only = 'Elastic Load Balancing writes access logs only to buckets encrypted with S3-managed keys (SSE-S3): '
    + 'a KMS key is not supported, and CDK refuses one. The objects are still encrypted at rest.';
  const noObjectLock = 'Versioning keeps every overwritten or deleted log object for 30 days; Object Lock would make a year of '
    + 'logs undeletable even by the account, a retention decision for the organization\'s log archive, not this app.';
  const noReplica = 'Network logs are kept for investigation in their own region for a year; a copy in another region is '
    + 'the job of the organization\'s log-archive account (e.g. Control Tower\'s), not of this app.';
  Validations.of(bucket).acknowledge(
    { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason: isTheLogDestination },
    { id: 'AwsSolutions-S1', reason: isTheLogDestination },
    { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: isTheLogDestination },
    { id: 'HIPAA.Security-S3BucketLoggingEnabled', reason: isTheLogDestination },
    { id: 'PCI.DSS.321-S3BucketLoggingEnabled', reason: isTheLogDestination },
    { id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check', reason: sseS3Only },
    { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: sseS3Only },
    { id: 'HIPAA.Security-S3DefaultEncryptionKMS', reason: sseS3Only },
    { id: 'PCI.DSS.321-S3DefaultEncryptionKMS', reason: sseS3Only },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: noReplica },
    { id: 'HIPAA.Security-S3BucketReplicationEnabled', reason: noReplica },
    { id: 'PCI.DSS.321-S3BucketReplicationEnabled', reason: noReplica },
    { id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check', reason: noObjectLock },
  );
  return bucket;
}

/**
 * Two availability zones, public subnets for the load balancer (no public IPs handed out), private ones
 * for the tasks behind one NAT gateway, and every flow logged.
 */
export function shopVpc(scope: Construct, logBucket: s3.IBucket): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
    flowLogs: { All: { destination: ec2.FlowLogDestination.toS3(logBucket, 'flow-logs/'), trafficType: ec2.FlowLogTrafficType.ALL } },
  });
  const defaultGroupUnused = 'Nothing in this VPC uses its default security group: the load balancer, the tasks and the '
    + 'NAT gateway each have their own. Closing it in CDK (restrictDefaultSecurityGroup) deploys a custom-resource Lambda '
    + 'function, which would bring findings of its own for a group no resource is in.';
  Validations.of(vpc).acknowledge(
    { id: 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed', reason: defaultGroupUnused },
    { id: 'HIPAA.Security-VPCDefaultSecurityGroupClosed', reason: defaultGroupUnused },
    { id: 'PCI.DSS.321-VPCDefaultSecurityGroupClosed', reason: defaultGroupUnused },
  );
  const publicSubnets = 'The public subnets hold only the internet-facing load balancer and the NAT gateway, which need a '
    + 'route to the internet gateway; the tasks are in the private subnets, reaching out through the NAT gateway only.';
  for (const subnet of vpc.publicSubnets) {
    Validations.of(subnet.node.findChild('DefaultRoute')).acknowledge(
      { id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW', reason: publicSubnets },
      { id: 'HIPAA.Security-VPCNoUnrestrictedRouteToIGW', reason: publicSubnets },
      { id: 'PCI.DSS.321-VPCNoUnrestrictedRouteToIGW', reason: publicSubnets },
    );
  }
  return vpc;
}

/**
 * The storefront's internet-facing load balancer: drops invalid headers, logs every request, is protected
 * from deletion, and answers 404 to paths no service claims. HTTP only, see the acknowledgement.
 */
export function storefrontListener(scope: Construct, vpc: ec2.IVpc, logBucket: s3.IBucket): elbv2.ApplicationListener {
  const lb = new elbv2.ApplicationLoadBalancer(scope, 'StorefrontLb', {
    vpc,
    internetFacing: true,
    dropInvalidHeaderFields: true,
    deletionProtection: true,
  });
  lb.logAccessLogs(logBucket, 'storefront-lb');
  const listener = lb.addListener('Http', { port: 80, defaultAction: elbv2.ListenerAction.fixedResponse(404) });
  const noCertificate = 'The demo is synthesized, never deployed: it has no domain, so no ACM certificate to serve HTTPS with. '
    + 'A deployed shop adds an HTTPS listener with its certificate and turns this one into a redirect to it.';
  Validations.of(listener).acknowledge(
    { id: 'cdk-validator-cfnguard::alb_http_to_https_redirection_check', reason: noCertificate },
    { id: 'NIST.800.53.R5-ALBHttpToHttpsRedirection', reason: noCertificate },
    { id: 'HIPAA.Security-ALBHttpToHttpsRedirection', reason: noCertificate },
    { id: 'PCI.DSS.321-ALBHttpToHttpsRedirection', reason: noCertificate },
    { id: 'NIST.800.53.R5-ELBv2ACMCertificateRequired', reason: noCertificate },
    { id: 'HIPAA.Security-ELBv2ACMCertificateRequired', reason: noCertificate },
    { id: 'PCI.DSS.321-ELBv2ACMCertificateRequired', reason: noCertificate },
  );
  Validations.of(lb.connections.securityGroups[0]).acknowledge({
    id: 'AwsSolutions-EC23',
    reason: 'The storefront is a public website: its load balancer must accept port 80 from any address. The tasks\' own '
      + 'security group admits only the load balancer, and the web ACL filters what reaches it.',
  });
  return listener;
}
