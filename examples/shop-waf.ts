import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** A managed rule group of AWS's, blocking what it matches. */
function managedRules(name: string, priority: number): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    overrideAction: { none: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
  };
}

/**
 * One web ACL in front of everything the internet reaches (the API stage and the storefront's load
 * balancer): AWS's common and known-bad-inputs rule groups, and at most 2,000 requests per client IP in
 * 5 minutes, so one client cannot spend the functions' reserved concurrency on its own.
 */
export function shopWebAcl(scope: Construct, logsKey: kms.IKey, protectedArns: { [id: string]: string }): wafv2.CfnWebACL {
  const acl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'shop-web-acl', sampledRequestsEnabled: true },
    rules: [
      managedRules('AWSManagedRulesCommonRuleSet', 1),
      managedRules('AWSManagedRulesKnownBadInputsRuleSet', 2),
      {
        name: 'RateLimitPerClient',
        priority: 3,
        statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: 'IP' } },
        action: { block: {} },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'RateLimitPerClient', sampledRequestsEnabled: true },
      },
    ],
  });
  for (const [id, resourceArn] of Object.entries(protectedArns)) {
    new wafv2.CfnWebACLAssociation(scope, `WebAcl${id}`, { webAclArn: acl.attrArn, resourceArn });
  }
  // Every request the ACL sees is logged a year, encrypted; WAF requires the group's name to start with aws-waf-logs-.
  const logGroupName = 'aws-waf-logs-shop';
  new logs.LogGroup(scope, 'WebAclLogs', { logGroupName, retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logsKey });
  new wafv2.CfnLoggingConfiguration(scope, 'WebAclLogging', {
    resourceArn: acl.attrArn,
    // The group's ARN without CDK's trailing `:*`, as WAF asks.
    logDestinationConfigs: [Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
  }).node.addDependency(scope.node.findChild('WebAclLogs'));
  return acl;
}
