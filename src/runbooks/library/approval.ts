import { RunbookParameter } from '../runbook';
import { RunbookStep, RunbookValueType } from '../step';

/** Options of a library runbook that changes something. */
export interface ChangeRunbookOptions {
  /**
   * Wait for an approval before the change. Opt out only for runbooks that an
   * alarm starts unattended and whose change is safe to repeat.
   * @default true
   */
  readonly requireApproval?: boolean;
}

/** The `Approvers` parameter and `Approve` step a destructive runbook starts its change with. */
export function approvalGate(options: ChangeRunbookOptions, message: string): { parameters: RunbookParameter[]; steps: RunbookStep[] } {
  if (options.requireApproval === false) return { parameters: [], steps: [] };
  return {
    parameters: [{
      name: 'Approvers',
      valueType: RunbookValueType.STRING_LIST,
      description: 'IAM users or roles (ARNs) who may approve the change.',
    }],
    steps: [RunbookStep.approve({ name: 'Approve', approvers: ['{{ Approvers }}'], message })],
  };
}

/** Id of a library runbook's shared document: one per variant. */
export function variantId(id: string, options: ChangeRunbookOptions): string {
  return options.requireApproval === false ? `${id}Unattended` : id;
}
