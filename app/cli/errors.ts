/** An error caused by the user's input: printed as one clear line on stderr, exit code 2, no stack. */
export class UserError extends Error {
  override name = 'UserError';
}
