/**
 * A mistake in what the user declared. The synth runner prints its message
 * alone: user mistakes never end in a stack trace.
 */
export class UserError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Several user mistakes found together, one per line. */
export class ValidationFailed extends UserError {
  public constructor(public readonly problems: readonly string[], summary: string) {
    super(`${summary}\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ValidationFailed';
  }
}
