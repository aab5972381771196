import { Stack, Token } from 'aws-cdk-lib';
import { Execution } from './execution';
import { SimulationOptions, SimulationResult } from './simulation';
import { Runbook } from '../runbook';

const SUPPORTED_ACTIONS = ['aws:executeAwsApi', 'aws:waitForAwsResourceProperty', 'aws:assertAwsResourceProperty',
  'aws:executeScript', 'aws:approve', 'aws:branch', 'aws:sleep', 'aws:pause'];

/**
 * Runs an SSM Automation runbook (schema 0.3) offline and deterministically: AWS answers
 * come from an {@link IRunbookEnvironment}, time is virtual, approvals are answered by the test.
 *
 * Failures SSM would report (an API error, a timeout, a rejected approval) end in the
 * result; mistakes in the test or the document (an unmocked call, an unsupported action,
 * an endless loop) throw an error naming the step.
 */
export class RunbookSimulator {
  /** Simulates a {@link Runbook} construct's document, with CDK tokens resolved to CloudFormation intrinsics. */
  public static fromRunbook(runbook: Runbook): RunbookSimulator {
    const name = runbook.document.name;
    return new RunbookSimulator(Stack.of(runbook).resolve(runbook.document.content),
      name && !Token.isUnresolved(name) ? name : runbook.node.id);
  }

  /** Simulates document content: the object (or JSON text) of an Automation document. */
  public static fromDocument(content: any, documentName: string = 'SimulatedRunbook'): RunbookSimulator {
    return new RunbookSimulator(typeof content === 'string' ? JSON.parse(content) : content, documentName);
  }

  private readonly steps: any[];

  private constructor(private readonly content: any, private readonly documentName: string) {
    if (content?.schemaVersion !== '0.3') throw new Error(`RunbookSimulator: schemaVersion must be '0.3' (got ${content?.schemaVersion})`);
    this.steps = content.mainSteps ?? [];
    if (!Array.isArray(this.steps) || this.steps.length === 0) throw new Error('RunbookSimulator: the document has no mainSteps');
    this.steps.forEach((step, i) => {
      if (this.steps.findIndex((s) => s.name === step.name) !== i) throw new Error(`RunbookSimulator: step '${step.name}' is declared twice`);
      if (!SUPPORTED_ACTIONS.includes(step.action)) {
        throw new Error(`RunbookSimulator: step '${step.name}' uses unsupported action '${step.action}' (supported: ${SUPPORTED_ACTIONS.join(', ')})`);
      }
      if (step.nextStep !== undefined) this.indexOf(step.nextStep, step.name);
      if (String(step.onFailure ?? '').startsWith('step:')) this.indexOf(step.onFailure.slice(5), step.name);
    });
  }

  /** Runs the document from its first step to its end, an `isEnd` step or an aborting failure. */
  public run(options: SimulationOptions): SimulationResult {
    return new Execution(this.content, this.steps, this.documentName, options, (name, from) => this.indexOf(name, from)).run();
  }

  private indexOf(name: string, from: string): number {
    const index = this.steps.findIndex((s) => s.name === name);
    if (index < 0) throw new Error(`RunbookSimulator: step '${from}' goes to step '${name}', which does not exist`);
    return index;
  }
}
