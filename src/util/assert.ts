/** An internal invariant was broken: a bug in Tripline, never a problem with user input. */
export class InternalError extends Error {
  override name = 'InternalError';
}

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new InternalError(message);
}

export function unreachable(value: never, message = 'unreachable'): never {
  throw new InternalError(`${message}: ${JSON.stringify(value)}`);
}
