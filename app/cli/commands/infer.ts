// gonkad infer: runs one completion on the inference executor. The generated text goes to stdout
// (streamed token by token with --stream); logs and the summary go to stderr.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { Executor, ExecutorInputError, MAX_TOP_LOGPROBS } from '../../../kernels/executor/index.js';
import { logger } from '../../log.js';
import { UserError } from '../errors.js';

function integer(name: string, min: number, max: number) {
  return (v: string): number => {
    if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError(`${name} must be an integer`);
    const n = Number(v);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be in [${min}, ${max}]`);
    return n;
  };
}

function decimal(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a number in [${min}, ${max}]`);
    return n;
  };
}

function seed(v: string): bigint {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError('seed must be an unsigned integer');
  const s = BigInt(v.trim());
  if (s >= 1n << 64n) throw new InvalidArgumentError('seed must be below 2^64');
  return s;
}

interface InferOptions {
  model: string;
  prompt: string;
  chat?: boolean;
  stream?: boolean;
  maxTokens: number;
  seed: bigint;
  temperature: number;
  topP: number;
  stop?: string[];
  provider: 'cpu' | 'cuda';
  threads: number;
  logprobs: number;
}

export function register(program: Command): void {
  program
    .command('infer')
    .description('generate text with the inference executor (the demo model or an ONNX model directory)')
    .requiredOption(
      '--model <demo|dir>',
      '"demo" for the built-in generated model, or a Hugging Face-style ONNX model directory',
    )
    .requiredOption('--prompt <text>', 'prompt text')
    .option('--chat', "wrap the prompt as one user message in the model's chat template")
    .option('--stream', 'print tokens as they are generated')
    .option('--max-tokens <n>', 'maximum tokens to generate', integer('max tokens', 1, 1 << 20), 128)
    .option('--seed <s>', 'sampling seed (unsigned 64-bit)', seed, 0n)
    .option('--temperature <t>', 'sampling temperature (0 = greedy)', decimal('temperature', 0, 100), 1)
    .option('--top-p <p>', 'nucleus sampling mass', decimal('top-p', Number.MIN_VALUE, 1), 1)
    .option('--stop <text...>', 'stop sequences')
    .option(
      '--logprobs <k>',
      `also print the top-k logprobs of each token to stderr (k ≤ ${MAX_TOP_LOGPROBS})`,
      integer('logprobs', 0, MAX_TOP_LOGPROBS),
      0,
    )
    .addOption(new Option('--provider <name>', 'execution provider').choices(['cpu', 'cuda']).default('cpu'))
    .option('--threads <n>', 'onnxruntime intra-op threads', integer('threads', 1, 256), 1)
    .action(async (opts: InferOptions) => {
      const log = logger('executor');
      let executor: Executor | undefined;
      try {
        executor = await Executor.load(opts.model, {
          provider: opts.provider,
          threads: opts.threads,
          log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
        });
        const promptTokens = opts.chat
          ? executor.chatPrompt([{ role: 'user', content: opts.prompt }])
          : executor.encodePrompt(opts.prompt);
        const started = process.hrtime.bigint();
        const result = await executor.generate({
          promptTokens,
          maxTokens: opts.maxTokens,
          seed: opts.seed,
          temperature: opts.temperature,
          topP: opts.topP,
          topLogprobs: opts.logprobs,
          stop: opts.stop,
          onToken: opts.stream ? (e) => process.stdout.write(e.textDelta) : undefined,
        });
        if (!opts.stream) process.stdout.write(result.text);
        process.stdout.write('\n');
        if (opts.logprobs > 0) {
          for (const lp of result.logprobs) process.stderr.write(`${JSON.stringify(lp)}\n`);
        }
        const secs = Number(process.hrtime.bigint() - started) / 1e9;
        log.info(
          `${result.tokens.length} tokens in ${secs.toFixed(2)} s (${(result.tokens.length / secs).toFixed(1)} tokens/s), finish: ${result.finishReason}, model ${executor.info.id} on ${executor.info.provider}`,
        );
      } catch (err) {
        if (err instanceof ExecutorInputError) throw new UserError(err.message);
        throw err;
      } finally {
        await executor?.close();
      }
    });
}
