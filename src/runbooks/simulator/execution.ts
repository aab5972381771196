import { IRunbookEnvironment, SimulationContext } from './environment';
import { StepFailure } from './failure';
import {
  DEFAULT_MAX_SIMULATED_STEPS, DEFAULT_WAIT_TIMEOUT_SECONDS, SIMULATED_POLL_INTERVAL_SECONDS, SimulatedStep,
  SimulationOptions, SimulationResult, SimulationStatus,
} from './simulation';
import { coerce, describe, INVALID, isDesired, isoSeconds, matches, select, text } from './values';

const BUILT_INS = ['automation:EXECUTION_ID', 'automation:DOCUMENT_NAME', 'global:ACCOUNT_ID', 'global:REGION',
  'global:AWS_PARTITION', 'global:DATE', 'global:DATE_TIME'];
const REFERENCE = /\{\{\s*([A-Za-z0-9_:.-]+)\s*\}\}/g;
const WHOLE_REFERENCE = /^\{\{\s*([A-Za-z0-9_:.-]+)\s*\}\}$/;

/** One run of a document: the virtual clock and every value set so far. */
export class Execution {
  private clock = 0;
  private readonly values = new Map<string, any>();
  private readonly declared = new Set<string>();
  private readonly start: number;

  constructor(private readonly content: any, private readonly steps: any[], private readonly documentName: string,
    private readonly options: SimulationOptions, private readonly indexOf: (name: string, from: string) => number) {
    this.start = Date.parse(options.startTime ?? '2024-01-01T00:00:00Z');
    if (Number.isNaN(this.start)) throw new Error(`RunbookSimulator: startTime '${options.startTime}' is not an ISO 8601 time`);
  }

  run(): SimulationResult {
    this.bindParameters();
    for (const step of this.steps) for (const o of step.outputs ?? []) this.declared.add(`${step.name}.${o.Name}`);
    const maxSteps = this.options.maxSteps ?? DEFAULT_MAX_SIMULATED_STEPS;
    const executed: SimulatedStep[] = [];
    let decisive: SimulatedStep | undefined;
    let index = 0;
    while (index < this.steps.length) {
      const step = this.steps[index];
      if (executed.length >= maxSteps) {
        throw new Error(`RunbookSimulator: step '${step.name}' would be step number ${maxSteps + 1}; the runbook loops (raise maxSteps if it should not)`);
      }
      const { record, next } = this.runStep(step);
      executed.push(record);
      if (record.status === SimulationStatus.SUCCESS) {
        if (step.isEnd) break;
        index = next !== undefined ? this.indexOf(next, step.name) : step.nextStep !== undefined ? this.indexOf(step.nextStep, step.name) : index + 1;
        continue;
      }
      const onFailure = String(step.onFailure ?? 'Abort');
      // SSM: a failed critical step fails the execution even when a later step runs.
      if (!decisive && (step.isCritical ?? onFailure !== 'Continue')) decisive = record;
      if (onFailure === 'Abort' || step.isEnd) break;
      index = onFailure.startsWith('step:') ? this.indexOf(onFailure.slice(5), step.name)
        : step.nextStep !== undefined ? this.indexOf(step.nextStep, step.name) : index + 1;
    }
    const outputs: { [name: string]: any } = {};
    for (const name of this.content.outputs ?? []) if (this.values.has(name)) outputs[name] = this.values.get(name);
    return {
      status: decisive?.status ?? SimulationStatus.SUCCESS,
      steps: executed,
      stepNames: executed.map((s) => s.name),
      outputs,
      elapsedSeconds: this.clock,
      ...(decisive ? { failureMessage: `Step '${decisive.name}' failed: ${decisive.failureMessage}` } : {}),
    };
  }

  /** Parameters: given values override defaults; unknown or missing ones are the test's mistake. */
  private bindParameters(): void {
    const declared: Record<string, any> = this.content.parameters ?? {};
    const given = this.options.parameters ?? {};
    for (const name of Object.keys(given)) {
      if (!(name in declared)) throw new Error(`RunbookSimulator: unknown parameter '${name}' (the document declares ${Object.keys(declared).join(', ') || 'none'})`);
    }
    for (const [name, spec] of Object.entries(declared)) {
      let value = name in given ? given[name] : spec.default;
      if (value === undefined && name === 'AutomationAssumeRole') {
        value = `arn:${this.builtIn('global:AWS_PARTITION')}:iam::${this.builtIn('global:ACCOUNT_ID')}:role/SimulatedAutomationRole`;
      }
      if (value === undefined) throw new Error(`RunbookSimulator: required parameter '${name}' has no value and no default`);
      const typed = coerce(value, spec.type);
      if (typed === INVALID) throw new Error(`RunbookSimulator: parameter '${name}' must be a ${spec.type}, got ${JSON.stringify(value)}`);
      const pattern = spec.allowedPattern ? new RegExp(spec.allowedPattern) : undefined;
      for (const item of Array.isArray(typed) ? typed : [typed]) {
        if (pattern && !pattern.test(String(item))) throw new Error(`RunbookSimulator: parameter '${name}' value '${item}' does not match ${spec.allowedPattern}`);
      }
      this.values.set(name, typed);
    }
  }

  private runStep(step: any): { record: SimulatedStep; next?: string } {
    const base = { name: step.name, action: step.action, startedAt: this.clock };
    for (let attempts = 1; ; attempts++) {
      const attemptStart = this.clock;
      let inputs: any;
      try {
        // A script's source is Python, not a template: SSM resolves only its other inputs.
        const { Script, ...templated } = step.inputs ?? {};
        inputs = this.resolve(step.action === 'aws:executeScript' ? templated : step.inputs ?? {});
        if (step.action === 'aws:executeScript' && Script !== undefined) inputs.Script = Script;
        const { response, next } = this.act(step, inputs);
        if (step.timeoutSeconds !== undefined && this.clock - attemptStart > step.timeoutSeconds) {
          this.clock = attemptStart + step.timeoutSeconds;
          throw new StepFailure(`Step timed out after ${step.timeoutSeconds} seconds`, true);
        }
        const outputs = this.collectOutputs(step, response);
        return { record: { ...base, status: SimulationStatus.SUCCESS, inputs, outputs, endedAt: this.clock, attempts }, next };
      } catch (e) {
        if (!(e instanceof StepFailure)) throw new Error(`RunbookSimulator: step '${step.name}' (${step.action}): ${(e as Error).message ?? e}`);
        if (attempts < (step.maxAttempts ?? 1)) continue;
        const status = e.timedOut ? SimulationStatus.TIMED_OUT : SimulationStatus.FAILED;
        return { record: { ...base, status, inputs, outputs: {}, endedAt: this.clock, attempts, failureMessage: e.message } };
      }
    }
  }

  /** Does what the action does; returns the object output selectors read and, for a branch, where to go. */
  private act(step: any, inputs: any): { response?: any; next?: string } {
    const { Service, Api, PropertySelector, DesiredValues, ...params } = inputs;
    const wanted = `not one of ${JSON.stringify(DesiredValues)}`;
    switch (step.action) {
      case 'aws:executeAwsApi':
        return { response: this.call(step, Service, Api, params) };
      case 'aws:assertAwsResourceProperty': {
        const actual = select(this.call(step, Service, Api, params), PropertySelector);
        if (!isDesired(actual, DesiredValues)) throw new StepFailure(`${PropertySelector} is ${describe(actual)}, ${wanted}`);
        return {};
      }
      case 'aws:waitForAwsResourceProperty': {
        const timeout = step.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS;
        const deadline = this.clock + timeout;
        for (;;) {
          const actual = select(this.call(step, Service, Api, params), PropertySelector);
          if (isDesired(actual, DesiredValues)) return {};
          if (this.clock + SIMULATED_POLL_INTERVAL_SECONDS > deadline) {
            this.clock = deadline;
            throw new StepFailure(`Step timed out after ${timeout} seconds: ${PropertySelector} is still ${describe(actual)}, ${wanted}`, true);
          }
          this.clock += SIMULATED_POLL_INTERVAL_SECONDS;
        }
      }
      case 'aws:executeScript': {
        const payload = this.guard(step, (env, context) => env.runScript(inputs.Handler, inputs.InputPayload ?? {}, context));
        return { response: { Payload: payload ?? null } };
      }
      case 'aws:approve':
        if (!this.guard(step, (env, context) => env.approve(inputs, context))) throw new StepFailure('Rejected: the approval was denied');
        return {};
      case 'aws:pause':
        if (!this.guard(step, (env, context) => env.resume(context))) throw new StepFailure('The pause was not resumed');
        return {};
      case 'aws:sleep': {
        const until = inputs.Timestamp !== undefined ? (Date.parse(inputs.Timestamp) - this.start) / 1000 : undefined;
        const seconds = until !== undefined ? until - this.clock : isoSeconds(String(inputs.Duration));
        if (seconds === undefined || Number.isNaN(seconds)) throw new StepFailure(`Invalid sleep Duration '${inputs.Duration}' or Timestamp '${inputs.Timestamp}'`);
        this.clock += Math.max(0, seconds);
        return {};
      }
      default: { // aws:branch, the only action left after the constructor's check
        const choice = (inputs.Choices ?? []).find((c: any) => matches(c));
        const next = choice?.NextStep ?? inputs.Default;
        if (next === undefined) throw new StepFailure('No choice matched and the branch has no Default');
        return { next };
      }
    }
  }

  private call(step: any, service: string, api: string, params: any): any {
    return this.guard(step, (env, context) => env.callAwsApi(service, api, params, context));
  }

  /** Asks the environment, telling it the step and virtual time; errors marked `stepFailure` fail the step. */
  private guard<T>(step: any, ask: (env: IRunbookEnvironment, context: SimulationContext) => T): T {
    try {
      return ask(this.options.environment, { stepName: step.name, atSeconds: this.clock });
    } catch (e) {
      if ((e as any)?.stepFailure === true) throw new StepFailure((e as Error).message);
      throw e;
    }
  }

  private collectOutputs(step: any, response: any): { [name: string]: any } {
    const outputs: { [name: string]: any } = {};
    for (const output of step.outputs ?? []) {
      const found = select(response, output.Selector);
      this.values.delete(`${step.name}.${output.Name}`);
      if (found === undefined) continue; // SSM leaves an unmatched output unset; referencing it fails later.
      const typed = coerce(found, output.Type);
      if (typed === INVALID) throw new StepFailure(`Output ${output.Name}: ${output.Selector} is ${describe(found)}, not a ${output.Type ?? 'String'}`);
      outputs[output.Name] = typed;
      this.values.set(`${step.name}.${output.Name}`, typed);
    }
    return outputs;
  }

  /** A string that is one reference takes the value with its type; other strings interpolate text. */
  private resolve(value: any): any {
    if (typeof value === 'string') {
      const whole = WHOLE_REFERENCE.exec(value);
      if (whole) return this.lookup(whole[1]);
      return value.replace(REFERENCE, (_, name: string) => text(this.lookup(name)));
    }
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, this.resolve(v)]));
    }
    return value;
  }

  private lookup(name: string): any {
    if (BUILT_INS.includes(name)) return this.builtIn(name);
    if (this.values.has(name)) return this.values.get(name);
    if (this.declared.has(name)) throw new StepFailure(`'{{ ${name} }}' has no value: its step has not run or its selector matched nothing`);
    throw new Error(`'{{ ${name} }}' is no parameter, built-in variable or step output of this document`);
  }

  private builtIn(name: string): string {
    const now = new Date(this.start + this.clock * 1000).toISOString();
    switch (name) {
      case 'automation:EXECUTION_ID': return this.options.executionId ?? '00000000-0000-4000-8000-000000000000';
      case 'automation:DOCUMENT_NAME': return this.documentName;
      case 'global:ACCOUNT_ID': return this.options.accountId ?? '123456789012';
      case 'global:REGION': return this.options.region ?? 'us-east-1';
      case 'global:AWS_PARTITION': return this.options.partition ?? 'aws';
      case 'global:DATE': return now.slice(0, 10);
      default: return `${now.slice(0, 10)}_${now.slice(11, 19).replace(/:/g, '.')}`; // global:DATE_TIME
    }
  }
}
