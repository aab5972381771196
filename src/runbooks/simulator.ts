import { Stack, Token } from 'aws-cdk-lib';
import { Runbook } from './runbook';

/** Virtual seconds between two polls of `aws:waitForAwsResourceProperty` (SSM polls every few seconds; tests care about counts, not the exact gap). */
export const SIMULATED_POLL_INTERVAL_SECONDS = 15;
/** SSM's default `timeoutSeconds` of an `aws:waitForAwsResourceProperty` step. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 3600;
/** Steps one simulation may execute before it is declared a loop. */
export const DEFAULT_MAX_SIMULATED_STEPS = 100;

/** Status of a simulated execution or step, as SSM Automation names it. */
export enum SimulationStatus {
  SUCCESS = 'Success',
  FAILED = 'Failed',
  TIMED_OUT = 'TimedOut',
}

/**
 * The outside world a simulated runbook talks to.
 *
 * To fail a step the way AWS would (an API error, a script exception), throw an error
 * with a `stepFailure: true` property; any other error aborts the simulation, because it
 * means the test did not prepare for that call.
 */
export interface IRunbookEnvironment {
  /** Answers `Api` of `Service` (boto3 names) called with `parameters`. */
  callAwsApi(service: string, api: string, parameters: any): any;
  /** Returns what the `aws:executeScript` step's handler would return. */
  runScript(stepName: string, handler: string, payload: any): any;
  /** Decides an `aws:approve` step: true approves, false rejects. */
  approve(stepName: string, inputs: any): boolean;
  /** Decides an `aws:pause` step: true resumes, false fails it. */
  resume(stepName: string): boolean;
}

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
  private currentStep = '';
  private now = 0;

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

  public callAwsApi(service: string, api: string, parameters: any): any {
    this.calls.push({ stepName: this.currentStep, service, api, parameters, atSeconds: this.now });
    return this.reply(`api:${service}.${api}`,
      `no mock for AWS API ${service}.${api} called with ${JSON.stringify(parameters)}; add onApi('${service}', '${api}', response)`);
  }

  public runScript(stepName: string, handler: string, payload: any): any {
    this.scriptCalls.push({ stepName, handler, payload, atSeconds: this.now });
    return this.reply(`script:${stepName}`,
      `no mock for script step ${stepName} (handler ${handler}) called with ${JSON.stringify(payload)}; add onScript('${stepName}', payload)`);
  }

  public approve(stepName: string, _inputs: any): boolean {
    return this.answer('approve', stepName, `approval step ${stepName} was not answered; call approveAll(), onApproval() or deny()`);
  }

  public resume(stepName: string): boolean {
    return this.answer('pause', stepName, `pause step ${stepName} was not answered; call resumeAll() or onResume()`);
  }

  /** @internal the simulator tells its mock the step and virtual time so calls are recorded with them. */
  public _observe(stepName: string, atSeconds: number): void {
    this.currentStep = stepName;
    this.now = atSeconds;
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

/** How to run a simulation. */
export interface SimulationOptions {
  /** Answers API calls, scripts, approvals and pauses. */
  readonly environment: IRunbookEnvironment;
  /**
   * Parameter values; they override the document's defaults.
   * @default - defaults only; `AutomationAssumeRole` defaults to a fake role ARN in `accountId`
   */
  readonly parameters?: { [name: string]: any };
  /**
   * Steps executed before the run is declared a loop and throws.
   * @default DEFAULT_MAX_SIMULATED_STEPS
   */
  readonly maxSteps?: number;
  /** @default '123456789012' */
  readonly accountId?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default '00000000-0000-4000-8000-000000000000' */
  readonly executionId?: string;
  /**
   * Wall-clock time the virtual clock starts at (ISO 8601); `global:DATE` and `global:DATE_TIME` follow the clock.
   * @default '2024-01-01T00:00:00Z'
   */
  readonly startTime?: string;
}

/** One executed step. */
export interface SimulatedStep {
  readonly name: string;
  readonly action: string;
  readonly status: SimulationStatus;
  /** Inputs of the last attempt, references resolved (unset if resolving failed). */
  readonly inputs?: any;
  /** Outputs by name; empty when the step failed. */
  readonly outputs: { [name: string]: any };
  /** Virtual seconds since the execution started. */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly attempts: number;
  /** @default - the step succeeded */
  readonly failureMessage?: string;
}

/** What a simulated execution did. */
export interface SimulationResult {
  readonly status: SimulationStatus;
  /** Executed steps, in order (a step run twice appears twice). */
  readonly steps: SimulatedStep[];
  /** Names of the executed steps, in order. */
  readonly stepNames: string[];
  /** The document's `outputs`, as `Step.Output`, those that have a value. */
  readonly outputs: { [name: string]: any };
  /** Virtual seconds the execution took. */
  readonly elapsedSeconds: number;
  /** @default - the execution succeeded */
  readonly failureMessage?: string;
}

const SUPPORTED_ACTIONS = ['aws:executeAwsApi', 'aws:waitForAwsResourceProperty', 'aws:assertAwsResourceProperty',
  'aws:executeScript', 'aws:approve', 'aws:branch', 'aws:sleep', 'aws:pause'];
const BUILT_INS = ['automation:EXECUTION_ID', 'automation:DOCUMENT_NAME', 'global:ACCOUNT_ID', 'global:REGION',
  'global:AWS_PARTITION', 'global:DATE', 'global:DATE_TIME'];
const REFERENCE = /\{\{\s*([A-Za-z0-9_:.-]+)\s*\}\}/g;
const WHOLE_REFERENCE = /^\{\{\s*([A-Za-z0-9_:.-]+)\s*\}\}$/;

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

/** A failure SSM reports on the step; every other error is a mistake in the test or the document. */
class StepFailure extends Error {
  constructor(message: string, public readonly timedOut = false) {
    super(message);
  }
}

/** One run of a document: the virtual clock and every value set so far. */
class Execution {
  private clock = 0;
  private readonly values = new Map<string, any>();
  private readonly declared = new Set<string>();
  private readonly start: number;
  private currentStep = '';

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
    this.currentStep = step.name;
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
        return { response: this.call(Service, Api, params) };
      case 'aws:assertAwsResourceProperty': {
        const actual = select(this.call(Service, Api, params), PropertySelector);
        if (!isDesired(actual, DesiredValues)) throw new StepFailure(`${PropertySelector} is ${describe(actual)}, ${wanted}`);
        return {};
      }
      case 'aws:waitForAwsResourceProperty': {
        const timeout = step.timeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS;
        const deadline = this.clock + timeout;
        for (;;) {
          const actual = select(this.call(Service, Api, params), PropertySelector);
          if (isDesired(actual, DesiredValues)) return {};
          if (this.clock + SIMULATED_POLL_INTERVAL_SECONDS > deadline) {
            this.clock = deadline;
            throw new StepFailure(`Step timed out after ${timeout} seconds: ${PropertySelector} is still ${describe(actual)}, ${wanted}`, true);
          }
          this.clock += SIMULATED_POLL_INTERVAL_SECONDS;
        }
      }
      case 'aws:executeScript': {
        const payload = this.guard(() => this.options.environment.runScript(step.name, inputs.Handler, inputs.InputPayload ?? {}));
        return { response: { Payload: payload ?? null } };
      }
      case 'aws:approve':
        if (!this.guard(() => this.options.environment.approve(step.name, inputs))) throw new StepFailure('Rejected: the approval was denied');
        return {};
      case 'aws:pause':
        if (!this.guard(() => this.options.environment.resume(step.name))) throw new StepFailure('The pause was not resumed');
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

  private call(service: string, api: string, params: any): any {
    return this.guard(() => this.options.environment.callAwsApi(service, api, params));
  }

  /** Lets the mock record the virtual time; turns errors marked `stepFailure` into step failures. */
  private guard<T>(call: () => T): T {
    const env = this.options.environment;
    if (env instanceof MockAwsEnvironment) env._observe(this.currentStep, this.clock);
    try {
      return call();
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

function stepFailure(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: code, stepFailure: true });
}

/** JSONPath subset SSM selectors use: `$`, `.key`, `[n]`, `[*]`; undefined when nothing matches. */
function select(root: any, selector: string): any {
  const path = /^\$((?:\.[A-Za-z0-9_$-]+|\[(?:\d+|\*)\])*)$/.exec(String(selector).trim());
  if (!path) throw new Error(`selector '${selector}' is not supported (use $, .key, [n] and [*])`);
  let current = [root];
  let many = false;
  for (const [, key, index] of path[1].matchAll(/\.([A-Za-z0-9_$-]+)|\[(\d+|\*)\]/g)) {
    many ||= index === '*';
    current = current.flatMap((v) => {
      if (key !== undefined) return v !== null && typeof v === 'object' && !Array.isArray(v) && key in v ? [v[key]] : [];
      if (!Array.isArray(v)) return [];
      return index === '*' ? v.map((x) => x) : Number(index) < v.length ? [v[Number(index)]] : [];
    });
  }
  return many ? current : current[0];
}

/** A list selection (from `[*]`) is desired only when every value in it is. */
function isDesired(actual: any, desired: any): boolean {
  const wanted = (Array.isArray(desired) ? desired : [desired]).map(String);
  const values = Array.isArray(actual) ? actual : [actual];
  return values.length > 0 && values.every((v) => v !== undefined && wanted.includes(text(v)));
}

const INVALID = Symbol('invalid');

/** Checks a parameter or output value against its SSM type; numbers and booleans in strings are accepted as SSM does. */
function coerce(value: any, type: string = 'String'): any {
  const scalar = (v: any) => ['string', 'number', 'boolean'].includes(typeof v);
  const map = (v: any) => v !== null && typeof v === 'object' && !Array.isArray(v);
  switch (type) {
    case 'String': return scalar(value) ? String(value) : INVALID;
    case 'Integer': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      return Number.isInteger(n) ? n : INVALID;
    }
    case 'Boolean': return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : INVALID;
    case 'StringList': return Array.isArray(value) && value.every(scalar) ? value.map(String) : INVALID;
    case 'StringMap': return map(value) ? value : INVALID;
    case 'MapList': return Array.isArray(value) && value.every(map) ? value : INVALID;
    default: throw new Error(`unknown type '${type}' (use String, Integer, Boolean, StringList, StringMap or MapList)`);
  }
}

type Operator = (actual: any, expected: any) => boolean;
const number = (v: any): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (Number.isNaN(n)) throw new StepFailure(`Branch cannot compare ${describe(v)} as a number`);
  return n;
};
const OPERATORS: Record<string, Operator> = {
  StringEquals: (a, e) => text(a) === String(e),
  EqualsIgnoreCase: (a, e) => text(a).toLowerCase() === String(e).toLowerCase(),
  StartsWith: (a, e) => text(a).startsWith(String(e)),
  EndsWith: (a, e) => text(a).endsWith(String(e)),
  Contains: (a, e) => Array.isArray(a) ? a.map(text).includes(String(e)) : text(a).includes(String(e)),
  NumericEquals: (a, e) => number(a) === number(e),
  NumericGreater: (a, e) => number(a) > number(e),
  NumericLesser: (a, e) => number(a) < number(e),
  NumericGreaterOrEquals: (a, e) => number(a) >= number(e),
  NumericLesserOrEquals: (a, e) => number(a) <= number(e),
  BooleanEquals: (a, e) => text(a).toLowerCase() === String(e).toLowerCase(),
};

function matches(choice: any): boolean {
  if (choice.And) return choice.And.every(matches);
  if (choice.Or) return choice.Or.some(matches);
  if (choice.Not) return !matches(choice.Not);
  const operator = Object.keys(OPERATORS).find((o) => o in choice);
  if (!operator || !('Variable' in choice)) throw new Error(`branch choice ${JSON.stringify(choice)} needs a Variable and one of ${Object.keys(OPERATORS).join(', ')}, And, Or, Not`);
  return OPERATORS[operator](choice.Variable, choice[operator]);
}

/** ISO 8601 duration (`P1D`, `PT1H30M`, `PT45S`) in seconds; undefined when malformed. */
function isoSeconds(duration: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
}

function text(value: any): string {
  return typeof value === 'string' ? value : value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function describe(value: any): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}
