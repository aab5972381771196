import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { alarmsWithDimension, literalString, viewOf } from '../graph';

/**
 * SQS queues have a CloudWatch alarm on one of their metrics (age of the oldest
 * message, messages visible, ...): an alarm with a `QueueName` dimension naming the queue.
 * @param node the CfnResource to check
 */
export function SqsQueueAlarmed(node: CfnResource): NagRuleCompliance {
  const queue = viewOf(node);
  if (queue.type !== 'AWS::SQS::Queue') return NagRuleCompliance.NOT_APPLICABLE;
  const alarms = alarmsWithDimension(node, 'QueueName', queue, literalString(queue.properties.QueueName));
  return alarms.length ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
