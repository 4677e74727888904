/** An error caused by the user's input: printed as one clear line on stderr, exit code 2, no stack. */
export class UserError extends Error {
  override name = 'UserError';
}

/** A positive safe integer given on the command line (`what` names the option in the error). */
export function parsePositiveInt(text: string, what: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UserError(`${what}: expected a positive integer, got '${text}'`);
  }
  return Number(text);
}
