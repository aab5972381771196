import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { alarmedCompliance } from './alarmed';

/**
 * SQS queues have a CloudWatch alarm on one of their metrics (age of the oldest
 * message, messages visible, ...): an alarm with a `QueueName` dimension naming the queue.
 * @param node the CfnResource to check
 */
export function SqsQueueAlarmed(node: CfnResource): NagRuleCompliance {
  return alarmedCompliance(node, 'AWS::SQS::Queue');
}
