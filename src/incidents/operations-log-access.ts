import { ArnFormat, Stack, Stage, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { invalidProp, matchingString } from '../core/validate';

/** Prefix of the names of every stack's operations log: `/cdk-opex/operations/<stack name>`. */
export const OPERATIONS_LOG_PREFIX = '/cdk-opex/operations/';
/** Name of the one Logs resource policy that lets EventBridge write to every operations log of an account and region. */
export const OPERATIONS_LOG_ACCESS_POLICY_NAME = 'cdk-opex-operations-log';
/** CloudWatch Logs holds at most this many resource policies per account and region. */
export const LOGS_RESOURCE_POLICIES_PER_REGION = 10;
/** Characters in one CloudWatch Logs resource policy document. */
export const LOGS_RESOURCE_POLICY_CHARS = 5_120;

/** Properties of an {@link OperationsLogAccess}. */
export interface OperationsLogAccessProps {
  /**
   * Name of the resource policy. One per account and region: two stacks that both make
   * it collide at deploy time.
   * @default OPERATIONS_LOG_ACCESS_POLICY_NAME (`cdk-opex-operations-log`)
   */
  readonly policyName?: string;
}

/**
 * The account's one CloudWatch Logs resource policy letting EventBridge rules of this
 * account write to every cdk-opex operations log (`/cdk-opex/operations/*`) in this
 * region. Logs allows only ten resource policies per account and region, so the policy
 * is per prefix, not per stack: a platform team deploys it once per account and region
 * (e.g. in its baseline stack); a single-stack app may add it to its own stack instead.
 */
export class OperationsLogAccess extends Construct {
  /** Whether an OperationsLogAccess in `scope`'s app covers `scope`'s stack's account and region. */
  public static existsFor(scope: IConstruct): boolean {
    const stack = Stack.of(scope);
    const root = Stage.of(scope)?.node.root ?? stack.node.root;
    return root.node.findAll().some((c) => c instanceof OperationsLogAccess && sameEnvironment(Stack.of(c), stack));
  }

  /** The resource policy. */
  public readonly policy: logs.CfnResourcePolicy;
  /** Characters of the policy document with the stack's account and region, for the 5,120-character limit. */
  public readonly policyChars: number;

  constructor(scope: Construct, id: string, props: OperationsLogAccessProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const policyName = matchingString(this, 'policyName', props.policyName ?? OPERATIONS_LOG_ACCESS_POLICY_NAME,
      /^[A-Za-z0-9_./#-]{1,255}$/, '1-255 letters, digits and _ . / # -');
    const others = stack.node.findAll().filter((c) => c !== this && c instanceof OperationsLogAccess);
    if (others.length) invalidProp(this, 'scope', `stack ${stack.node.path} already has an OperationsLogAccess (${others[0].node.path}): one per account and region`);
    const document = {
      Version: '2012-10-17',
      Statement: [{
        Sid: 'EventBridgeWritesOperationsLogs',
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: stack.formatArn({
          service: 'logs', resource: 'log-group', resourceName: `${OPERATIONS_LOG_PREFIX}*:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
        Condition: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME }) },
        },
      }],
    };
    this.policy = new logs.CfnResourcePolicy(this, 'Resource', { policyName, policyDocument: stack.toJsonString(document) });
    // Measured with the longest account (12 digits), partition (aws-iso-b) and region names.
    this.policyChars = JSON.stringify(document, (_k, v) => (typeof v === 'string' && Token.isUnresolved(v)
      ? v.replace(/\$\{Token\[[^\]]+\]\}/g, 'ap-southeast-5x') : v)).length;
    if (this.policyChars > LOGS_RESOURCE_POLICY_CHARS) {
      invalidProp(this, 'policyDocument', `${this.policyChars} characters passes Logs' ${LOGS_RESOURCE_POLICY_CHARS}-character limit`);
    }
  }
}

function sameEnvironment(a: Stack, b: Stack): boolean {
  return a.account === b.account && a.region === b.region;
}
