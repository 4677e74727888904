// Reading the passphrase (and other answers) from the user. On a terminal the passphrase is read
// in raw mode with nothing echoed; from a pipe (scripts, tests) it is the next line of stdin.
// $GONKA_KEYRING_PASSPHRASE, when set, is used without reading anything.
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { KeyringError } from './errors.js';

/** The parts of a terminal input stream the raw reader uses (process.stdin on a TTY). */
export interface TtyInput {
  isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface PromptOutput {
  write(s: string): unknown;
}

export interface PromptIo {
  input: TtyInput & NodeJS.ReadableStream;
  output: PromptOutput;
}

const processIo = (): PromptIo => ({ input: process.stdin, output: process.stderr });

/** The passphrase: $GONKA_KEYRING_PASSPHRASE, else typed without echo (a TTY) or the next stdin line. */
export async function readPassphrase(prompt: string, io: PromptIo = processIo()): Promise<string> {
  const env = process.env.GONKA_KEYRING_PASSPHRASE;
  if (env !== undefined) return env;
  if (isTerminal(io.input)) return readTtyLine(io.input, io.output, prompt, { echo: false });
  return readLine(prompt, io);
}

const isTerminal = (input: TtyInput): boolean =>
  input.isTTY === true && typeof input.setRawMode === 'function';

// One line reader for the whole process on a pipe, so successive prompts (mnemonic, then
// passphrase) get successive lines.
let lines: AsyncIterator<string> | undefined;

/** The next line the user types (echoed on a terminal) or the next line of piped stdin. */
export async function readLine(prompt: string, io: PromptIo = processIo()): Promise<string> {
  if (isTerminal(io.input)) return readTtyLine(io.input, io.output, prompt, { echo: true });
  if (!lines) lines = createInterface({ input: io.input, terminal: false })[Symbol.asyncIterator]();
  const next = await lines.next();
  return next.done ? '' : String(next.value).trim();
}

/**
 * One line from a terminal in raw mode: the terminal echoes nothing itself; typed characters are
 * echoed by us only when `echo` is set. Enter ends the line, backspace deletes, Ctrl-C aborts,
 * Ctrl-D on an empty line ends input. The terminal's mode is restored in every case.
 */
export function readTtyLine(
  input: TtyInput,
  output: PromptOutput,
  prompt: string,
  opts: { echo: boolean },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const wasRaw = input.isRaw === true;
    let chars: string[] = [];
    const finish = (err?: Error) => {
      input.removeListener('data', onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(chars.join('').trim());
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new KeyringError('interrupted'));
        if (ch === '\u0004') {
          if (chars.length === 0) return finish();
          continue;
        }
        if (ch === '\u007f' || ch === '\b') {
          if (chars.length > 0) {
            chars = chars.slice(0, -1);
            if (opts.echo) output.write('\b \b');
          }
          continue;
        }
        if (ch < ' ') continue; // other control characters (escape sequences' lead byte) are dropped
        chars.push(ch);
        if (opts.echo) output.write(ch);
      }
    };
    output.write(prompt);
    input.setRawMode?.(true);
    input.on('data', onData);
    input.resume();
  });
}

/** Lets the process exit once all prompts are answered. */
export function closeInput(): void {
  process.stdin.unref?.();
  process.stdin.destroy();
}
