// Issue 14 acceptance 5: `gonkad devnet` (what `npm start` runs) on a fresh home and free ports,
// then the README's curl example and its `openai` SDK example — the code blocks of "Call the
// inference API", read from README.md so this fails when the README drifts — work as written; only
// the API node's default address is swapped for the test's port, and GONKA_HOME points at the
// test's home. The devnet's key file is 0600 and its key is on chain for the funded account.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { apiKeyHash } from '../../app/apiKeySecret.js';
import { DEMO_MODEL_ID } from '../../app/inferenceGenesis.js';
import { repoPath } from '../../app/paths.js';
import { DEMO_ARTIFACT_HASH } from '../../kernels/executor/artifactHash.js';
import { gonkadEntry } from './helpers/entries.js';
import { ChainReader, gonkadJson } from './helpers/inference.js';
import { freePorts } from './helpers/ports.js';
import { CometRpc, waitFor } from './helpers/rpc.js';

/** The fenced code blocks (language, body) of README.md's section `heading`. */
function readmeBlocks(heading: string): { lang: string; body: string }[] {
  const readme = readFileSync(repoPath('README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README.md has a "${heading}" section`);
  const level = /^#+/.exec(heading)![0].length;
  const rest = readme.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`\\n#{1,${level}} `));
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

const DEFAULT_API = '127.0.0.1:8000';

describe('gonkad devnet serves the README inference examples', () => {
  const home = mkdtempSync(join(tmpdir(), 'gonka-devnet-infer-'));
  const script = repoPath('dist', 'test', 'e2e', `readme-openai-${process.pid}.mjs`);
  let proc: ChildProcess | undefined;
  let log = '';
  let exit: Promise<number | null> | undefined;
  after(async () => {
    if (proc && proc.exitCode === null) {
      proc.kill('SIGTERM');
      await exit;
    }
    rmSync(home, { recursive: true, force: true });
    rmSync(script, { force: true });
  });

  it('curl and the openai client, exactly as the README shows them, get completions', async () => {
    const blocks = readmeBlocks('### Call the inference API');
    const curl = blocks.find((b) => b.lang === 'sh' && b.body.includes('/v1/chat/completions'));
    const sdk = blocks.find((b) => b.lang === 'js' && b.body.includes("from 'openai'"));
    assert.ok(curl && sdk, 'the section has a curl block and an openai block');
    assert.ok(
      curl.body.includes(DEFAULT_API) && sdk.body.includes(DEFAULT_API),
      'both name the default API address',
    );

    const [rpcPort, p2p, grpc, rest, api, ml] = (await freePorts(6)) as number[];
    proc = spawn(
      process.execPath,
      [
        gonkadEntry,
        'devnet',
        '--home',
        home,
        '--profile',
        'fast',
        '--rpc-laddr',
        `127.0.0.1:${rpcPort}`,
        '--p2p-laddr',
        `127.0.0.1:${p2p}`,
        '--grpc-address',
        `127.0.0.1:${grpc}`,
        '--rest-address',
        `127.0.0.1:${rest}`,
        '--metrics-address',
        'off',
        '--comet-metrics-address',
        'off',
        '--api-listen',
        `127.0.0.1:${api}`,
        '--ml-listen',
        `127.0.0.1:${ml}`,
        '--ml-workers',
        '1',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout!.on('data', (d) => (log += d));
    proc.stderr!.on('data', (d) => (log += d));
    exit = new Promise((r) => proc!.on('exit', (code) => r(code)));
    const tail = () => log.split('\n').slice(-40).join('\n');

    const keyFile = join(home, 'devnet', 'api-key.txt');
    const secret = await waitFor(
      'the devnet API key',
      async () => readFileSync(keyFile, 'utf8').trim(),
      60_000,
    );
    assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the key file is 0600');
    const chain = new ChainReader(new CometRpc(`http://127.0.0.1:${rpcPort}`));
    const operator = (JSON.parse(readFileSync(join(home, 'api', 'key.json'), 'utf8')) as { address: string })
      .address;
    const key = await waitFor(
      'the chain',
      async () => chain.apiKey(apiKeyHash(secret)).catch(() => undefined),
      60_000,
      250,
    );
    assert.equal(key?.owner, operator, 'the key is the funded account’s');
    assert.equal(key?.transferAgent, operator, 'granted to the devnet API node');
    const model = (await chain.model(DEMO_MODEL_ID)).model;
    assert.equal(model?.contextLength, 1024n);
    // The README's query line, through the CLI.
    const q = await gonkadJson(
      ['query', 'inference', 'model', DEMO_MODEL_ID, '--node', `http://127.0.0.1:${rpcPort}`],
      {},
    );
    assert.equal(q.model.contextLength, '1024');
    assert.equal(q.model.artifactHash, DEMO_ARTIFACT_HASH, 'the registered hash is the demo files’ hash');

    // The API node serves the model once it follows the chain.
    await waitFor(
      'the API node to list the demo model',
      async () => {
        const r = await fetch(`http://127.0.0.1:${api}/v1/models`, {
          headers: { authorization: `Bearer ${secret}` },
        }).catch(() => undefined);
        return (
          r?.ok && ((await r.json()) as { data: { id: string }[] }).data.some((m) => m.id === DEMO_MODEL_ID)
        );
      },
      90_000,
      1000, // the API node rate-limits each client (120 requests a minute by default)
    ).catch((e) => assert.fail(`${e instanceof Error ? e.message : e}\n${tail()}`));

    const env = { ...process.env, GONKA_HOME: home };
    const c = spawnSync(
      'bash',
      ['-euo', 'pipefail', '-c', curl.body.replaceAll(DEFAULT_API, `127.0.0.1:${api}`)],
      {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(c.status, 0, `curl: ${c.stderr}`);
    const body = JSON.parse(c.stdout) as {
      object: string;
      choices: { message: { content: string } }[];
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    assert.equal(body.object, 'chat.completion', c.stdout);
    assert.ok(body.choices[0]!.message.content.length > 0, c.stdout);
    assert.ok(body.usage.completion_tokens >= 1 && body.usage.completion_tokens <= 32, c.stdout);

    writeFileSync(script, sdk.body.replaceAll(DEFAULT_API, `127.0.0.1:${api}`));
    const s = spawnSync(process.execPath, [script], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(s.status, 0, `openai example: ${s.stderr}`);
    assert.match(s.stdout, /\n\d+ \+ \d+ tokens\n$/, `the example printed text then usage: ${s.stdout}`);
  });
});
