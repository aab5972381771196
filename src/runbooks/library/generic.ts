import { Construct } from 'constructs';
import { StepResources } from '../permissions';
import { Runbook } from '../runbook';
import { RunbookStep } from '../step';

/** Target slot: the topics the notify runbook may publish to. */
export const TOPIC_SLOT = 'topic';

/** Opens an OpsItem with the context an operator gives, for any kind of service. */
export function createOpsItemRunbook(scope: Construct, id: string): Runbook {
  return new Runbook(scope, id, {
    description: 'cdk-opex: open an OpsItem with context (what happened, which resource), deduplicated by DedupString.',
    parameters: [
      { name: 'Title', description: 'Short title.' },
      { name: 'Description', description: 'What happened and what is known, in Markdown.' },
      { name: 'Severity', description: '1 (critical) to 4 (low).', defaultValue: '3', allowedPattern: '^[1-4]$' },
      { name: 'DedupString', description: 'Events with the same text add to one open OpsItem.', defaultValue: 'cdk-opex:manual' },
    ],
    steps: [RunbookStep.createOpsItem({
      name: 'CreateOpsItem',
      title: '{{ Title }}',
      opsItemDescription: '{{ Description }}',
      severity: '{{ Severity }}',
      dedupString: '{{ DedupString }}',
    })],
    outputs: ['CreateOpsItem.OpsItemId'],
  });
}

/** Publishes a message to a topic the runbook is allowed on. */
export function createNotifyRunbook(scope: Construct, id: string): Runbook {
  return new Runbook(scope, id, {
    description: 'cdk-opex: publish a message to an SNS topic (one the runbook is allowed on).',
    parameters: [
      { name: 'TopicArn', description: 'Topic to publish to.' },
      { name: 'Subject', description: 'Subject line (email).' },
      { name: 'Message', description: 'Message text.' },
    ],
    steps: [RunbookStep.executeAwsApi({
      name: 'Publish',
      service: 'sns',
      api: 'Publish',
      inputs: { TopicArn: '{{ TopicArn }}', Subject: '{{ Subject }}', Message: '{{ Message }}' },
      outputs: [{ name: 'MessageId', selector: '$.MessageId' }],
      resources: StepResources.target(TOPIC_SLOT),
    })],
    outputs: ['Publish.MessageId'],
  });
}
