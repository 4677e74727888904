/** Bad input to the executor (model path, model files, prompt, request limits): the message is
 *  meant to be shown to the user as is. */
export class ExecutorInputError extends Error {
  override name = 'ExecutorInputError';
}

/** Where the executor reports operational notes (provider fallback, model loading). */
export interface ExecutorLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export const stderrLog: ExecutorLog = {
  info: () => {},
  warn: (msg) => process.stderr.write(`executor: ${msg}\n`),
};
