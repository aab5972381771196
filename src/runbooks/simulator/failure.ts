/** A failure SSM reports on the step; every other error is a mistake in the test or the document. */
export class StepFailure extends Error {
  constructor(message: string, public readonly timedOut = false) {
    super(message);
  }
}

/** An error that fails the step as AWS would: what an environment throws for an API error or a script exception. */
export function stepFailure(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: code, stepFailure: true });
}
