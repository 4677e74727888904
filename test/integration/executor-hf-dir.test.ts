// The executor on a Hugging Face-shaped export directory generated for the test: a BPE
// tokenizer.json with merges and ChatML special tokens, a chat_template in tokenizer_config.json,
// config.json in GPT-2 naming, and a decoder-with-past model.onnx. Also the CLI and the errors for
// broken model directories.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoPath } from '../../app/paths.js';
import { Executor } from '../../kernels/executor/index.js';
import { byteLevelTokenizerJson, vocabularySize } from '../../kernels/executor/model/byteTokenizer.js';
import { writeModelDir } from '../../kernels/executor/model/writeModelDir.js';

const quiet = { info: () => {}, warn: () => {} };
const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const tokenizerJson = byteLevelTokenizerJson({
  extraVocab: [
    ['Ġt', 256],
    ['Ġth', 257],
    ['he', 258],
    ['Ġthe', 259],
  ],
  merges: [
    ['Ġ', 't'],
    ['Ġt', 'h'],
    ['h', 'e'],
    ['Ġth', 'e'],
  ],
  specialTokens: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
  useRegex: true,
});
const IM_START = 261;
const IM_END = 262;

let root: string;
let dir: string;
let ex: Executor;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gonka-executor-hf-'));
  dir = join(root, 'tiny-chat');
  writeModelDir(dir, {
    name: 'tiny-chat',
    shape: {
      vocabSize: vocabularySize(tokenizerJson),
      hidden: 64,
      heads: 4,
      layers: 2,
      ffn: 128,
      maxPositions: 256,
      logitStd: 4,
    },
    weightSeed: 'hf-shaped test model',
    tokenizerJson,
    eosToken: '<|im_end|>',
    chatTemplate: CHATML,
    validationThreshold: 0.95,
  });
  ex = await Executor.load(dir, { log: quiet });
});

after(async () => {
  await ex?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('executor on a Hugging Face-shaped model directory', () => {
  it('reads shape, limits and threshold from config.json and the tokenizer files', () => {
    assert.equal(ex.info.vocabSize, 263);
    assert.equal(ex.info.maxPositions, 256);
    assert.deepEqual(ex.info.eosTokenIds, [IM_END]);
    assert.equal(ex.info.validationThreshold, 0.95);
    assert.equal(ex.info.hasChatTemplate, true);
  });

  it('chats through its template: special tokens, BPE merges, generation and verification', async () => {
    const ids = ex.chatPrompt([{ role: 'user', content: 'say the word' }]);
    assert.equal(ids[0], IM_START);
    assert.ok(ids.includes(259), 'the "Ġthe" merge is applied');
    assert.equal(ids.filter((id) => id === IM_START).length, 2);
    assert.equal(ids.filter((id) => id === IM_END).length, 1);
    assert.equal(ex.tokenizer.decode(ids), 'user\nsay the word\nassistant\n');
    const req = { promptTokens: ids, maxTokens: 40, temperature: 0.8, topP: 0.9, seed: 3n, topLogprobs: 3 };
    const r = await ex.generate(req);
    assert.ok(r.tokens.length >= 1 && r.tokens.length <= 40);
    if (r.finishReason === 'eos') assert.equal(r.tokens.at(-1), IM_END);
    const v = await ex.verify(req, r.logprobs);
    assert.equal(v.sampler.pass, true);
    assert.ok(v.similarity > 0.95);
  });

  it('gives clear errors for broken directories', async () => {
    const broken = join(root, 'broken');
    cpSync(dir, broken, { recursive: true });
    writeFileSync(join(broken, 'model.onnx'), 'this is not a protobuf');
    await assert.rejects(Executor.load(broken, { log: quiet }), /cannot load ONNX model .*model\.onnx/);
    writeFileSync(join(broken, 'config.json'), '{ not json');
    await assert.rejects(Executor.load(broken, { log: quiet }), /config\.json is not valid JSON/);
    rmSync(join(broken, 'config.json'));
    await assert.rejects(Executor.load(broken, { log: quiet }), /missing config\.json/);
    rmSync(join(broken, 'model.onnx'));
    await assert.rejects(Executor.load(broken, { log: quiet }), /missing model\.onnx/);
    // Context 256: a 1-token prompt leaves room for 255.
    await assert.rejects(
      ex.generate({ promptTokens: [1], maxTokens: 256, temperature: 0, topP: 1, seed: 0n, topLogprobs: 0 }),
      /over the limit.*at most 255/,
    );
  });
});

describe('gonkad infer', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [repoPath('dist', 'app', 'cli', 'main.js'), 'infer', ...args], {
      encoding: 'utf8',
      env: { ...process.env, GONKA_LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });

  it('prints the completion on stdout, streamed or not, identical for one seed', () => {
    const plain = cli('--model', dir, '--prompt', 'hello', '--max-tokens', '20', '--seed', '9');
    const streamed = cli(
      '--model',
      dir,
      '--prompt',
      'hello',
      '--max-tokens',
      '20',
      '--seed',
      '9',
      '--stream',
    );
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(streamed.status, 0, streamed.stderr);
    assert.equal(streamed.stdout, plain.stdout);
    const chat = cli('--model', dir, '--prompt', 'hello', '--chat', '--max-tokens', '5');
    assert.equal(chat.status, 0, chat.stderr);
  });

  it('reports bad input as one error line with exit code 2', () => {
    for (const [args, message] of [
      [['--model', join(root, 'nope'), '--prompt', 'hi'], /error: model directory not found/],
      [['--model', dir, '--prompt', ''], /error: the prompt is empty/],
      [
        ['--model', dir, '--prompt', 'hi', '--max-tokens', '100000'],
        /error: max tokens 100000 is over the limit/,
      ],
    ] as const) {
      const r = cli(...args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });
});
