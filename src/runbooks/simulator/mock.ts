import { IRunbookEnvironment, SimulationContext } from './environment';
import { stepFailure } from './failure';

/** An AWS API call a {@link MockAwsEnvironment} answered. */
export interface RecordedApiCall {
  /** Step that made the call. */
  readonly stepName: string;
  readonly service: string;
  readonly api: string;
  /** API parameters, references resolved. */
  readonly parameters: any;
  /** Virtual time of the call, in seconds since the execution started. */
  readonly atSeconds: number;
}

/** A script a {@link MockAwsEnvironment} answered. */
export interface RecordedScriptCall {
  readonly stepName: string;
  readonly handler: string;
  /** `InputPayload`, references resolved. */
  readonly payload: any;
  readonly atSeconds: number;
}

type Reply = { readonly value: any } | { readonly error: Error };

/**
 * An {@link IRunbookEnvironment} that answers from canned replies and records every call.
 *
 * Anything it was not told about (an API, a script, an approval, a pause) throws, so a
 * runbook that drifts from its test fails loudly instead of silently passing.
 */
export class MockAwsEnvironment implements IRunbookEnvironment {
  /** Every AWS API call, in order. */
  public readonly calls: RecordedApiCall[] = [];
  /** Every script run, in order. */
  public readonly scriptCalls: RecordedScriptCall[] = [];
  /** Queued replies by `api:service.Api` or `script:Step`. */
  private readonly replies = new Map<string, { queue: Reply[]; used: number }>();
  /** Answers by `approve:Step` or `pause:Step`; `Step` is `*` for the default. */
  private readonly answers = new Map<string, boolean>();

  /** Adds the next response of `service`.`api`; the last one added answers every later call (what waits poll). */
  public onApi(service: string, api: string, response: any): MockAwsEnvironment {
    return this.queue(`api:${service}.${api}`, { value: response });
  }

  /** Makes the next call of `service`.`api` fail with an AWS error, which fails the step. */
  public failApi(service: string, api: string, errorCode: string, message: string): MockAwsEnvironment {
    return this.queue(`api:${service}.${api}`, { error: stepFailure(errorCode, `${errorCode}: ${message}`) });
  }

  /** Adds the next return value of the script step `stepName` (the step's `Payload`). */
  public onScript(stepName: string, payload: any): MockAwsEnvironment {
    return this.queue(`script:${stepName}`, { value: payload });
  }

  /** Makes the next run of the script step `stepName` raise, which fails the step. */
  public failScript(stepName: string, message: string): MockAwsEnvironment {
    return this.queue(`script:${stepName}`, { error: stepFailure('ScriptError', message) });
  }

  /** Approves every approval step not answered by name. */
  public approveAll(): MockAwsEnvironment {
    return this.onApproval('*', true);
  }

  /** Answers the approval step `stepName`. */
  public onApproval(stepName: string, approved: boolean): MockAwsEnvironment {
    this.answers.set(`approve:${stepName}`, approved);
    return this;
  }

  /** Rejects the approval step `stepName`. */
  public deny(stepName: string): MockAwsEnvironment {
    return this.onApproval(stepName, false);
  }

  /** Resumes every pause step not answered by name. */
  public resumeAll(): MockAwsEnvironment {
    return this.onResume('*', true);
  }

  /** Answers the pause step `stepName`: true resumes, false fails it. */
  public onResume(stepName: string, resumed: boolean): MockAwsEnvironment {
    this.answers.set(`pause:${stepName}`, resumed);
    return this;
  }

  /** The recorded calls of one API. */
  public callsTo(service: string, api: string): RecordedApiCall[] {
    return this.calls.filter((c) => c.service === service && c.api === api);
  }

  public callAwsApi(service: string, api: string, parameters: any, context: SimulationContext): any {
    this.calls.push({ stepName: context.stepName, service, api, parameters, atSeconds: context.atSeconds });
    return this.reply(`api:${service}.${api}`,
      `no mock for AWS API ${service}.${api} called with ${JSON.stringify(parameters)}; add onApi('${service}', '${api}', response)`);
  }

  public runScript(step: string, handler: string, payload: any, context: SimulationContext): any {
    this.scriptCalls.push({ stepName: step, handler, payload, atSeconds: context.atSeconds });
    return this.reply(`script:${step}`,
      `no mock for script step ${step} (handler ${handler}) called with ${JSON.stringify(payload)}; add onScript('${step}', payload)`);
  }

  public approve(step: string, _inputs: any, _context: SimulationContext): boolean {
    return this.answer('approve', step, `approval step ${step} was not answered; call approveAll(), onApproval() or deny()`);
  }

  public resume(step: string, _context: SimulationContext): boolean {
    return this.answer('pause', step, `pause step ${step} was not answered; call resumeAll() or onResume()`);
  }

  private queue(key: string, reply: Reply): MockAwsEnvironment {
    const entry = this.replies.get(key) ?? { queue: [], used: 0 };
    entry.queue.push(reply);
    this.replies.set(key, entry);
    return this;
  }

  private reply(key: string, missing: string): any {
    const entry = this.replies.get(key);
    if (!entry) throw new Error(missing);
    const reply = entry.queue[Math.min(entry.used++, entry.queue.length - 1)];
    if ('error' in reply) throw reply.error;
    return reply.value;
  }

  private answer(kind: string, stepName: string, missing: string): boolean {
    const answer = this.answers.get(`${kind}:${stepName}`) ?? this.answers.get(`${kind}:*`);
    if (answer === undefined) throw new Error(missing);
    return answer;
  }
}
