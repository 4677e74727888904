// `gonkad poc …`: compute one PoC kernel output, mine into an artifact store, verify a store.

import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import { checkArtifactProof } from '../../../kernels/poc/artifacts/merkle.js';
import { ArtifactStore } from '../../../kernels/poc/artifacts/store.js';
import { parseHex, parseU64, toHex } from '../../../kernels/poc/bytes.js';
import { outputBytes, POC_CLASS_NAMES, type PocClass, pocClass } from '../../../kernels/poc/classes.js';
import { createEpoch } from '../../../kernels/poc/epoch.js';
import { leafHash } from '../../../kernels/poc/leaf.js';
import { PocMiner } from '../../../kernels/poc/mining/miner.js';
import { openCheckedSession } from '../../../kernels/poc/ort/checked-session.js';
import { computeOutput } from '../../../kernels/poc/reference.js';
import { ReferencePool } from '../../../kernels/poc/reference-pool.js';
import { logger } from '../../log.js';
import { parsePositiveInt, UserError } from '../errors.js';

/** Defaults for trying the miner locally; a real miner gets both from the chain. */
const DEFAULT_BLOCK_HASH = '00'.repeat(32);
const DEFAULT_PUBKEY = `02${'11'.repeat(32)}`;

type Engine = 'reference' | 'ort';

/** How often `mine` makes the store durable (head.json), in ms. */
const FLUSH_INTERVAL_MS = 5000;

/** Turns the kernel's RangeErrors about bad input into one-line user errors. */
function userInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof RangeError) throw new UserError(err.message);
    throw err;
  }
}

function parseBytes(hex: string, what: string): Uint8Array {
  return userInput(() => {
    const bytes = parseHex(hex, what);
    if (bytes.length < 1 || bytes.length > 255)
      throw new RangeError(`${what}: must be 1 to 255 bytes, got ${bytes.length}`);
    return bytes;
  });
}

const classOption = () =>
  new Option('--class <name>', `PoC class (${POC_CLASS_NAMES.join(', ')})`).argParser((v) =>
    userInput(() => pocClass(v)),
  );

async function ortSession(cls: PocClass, blockHash: Uint8Array, threads: number | undefined) {
  return openCheckedSession(createEpoch(cls, blockHash), { threads, log: logger('poc') });
}

function registerCompute(poc: Command): void {
  poc
    .command('compute')
    .description('compute one nonce: prints the output and its Merkle leaf (hex)')
    .requiredOption('--block-hash <hex>', 'block hash seeding the epoch (1–255 bytes)')
    .addOption(classOption().makeOptionMandatory())
    .requiredOption('--pubkey <hex>', "participant's public key bytes (1–255 bytes)")
    .requiredOption('--nonce <n>', 'nonce, a decimal u64')
    .addOption(
      new Option('--engine <engine>', 'reference (pure TS) or ort (onnxruntime, self-checked)')
        .choices(['reference', 'ort'])
        .default('reference'),
    )
    .action(
      async (opts: { blockHash: string; class: PocClass; pubkey: string; nonce: string; engine: Engine }) => {
        const blockHash = parseBytes(opts.blockHash, '--block-hash');
        const pubkey = parseBytes(opts.pubkey, '--pubkey');
        const nonce = userInput(() => parseU64(opts.nonce, '--nonce'));
        let output: Uint8Array;
        if (opts.engine === 'ort') {
          const session = await ortSession(opts.class, blockHash, undefined);
          [output] = (await session.computeOutputs(pubkey, [nonce])) as [Uint8Array];
          await session.release();
        } else {
          output = computeOutput(createEpoch(opts.class, blockHash), pubkey, nonce);
        }
        process.stdout.write(`output: ${toHex(output)}\nleaf: ${toHex(leafHash(nonce, output))}\n`);
      },
    );
}

interface MineOptions {
  class: PocClass;
  seconds: string;
  blockHash: string;
  pubkey: string;
  store?: string;
  batch: string;
  workers?: string;
  threads: string;
  maxNonces?: string;
}

function registerMine(poc: Command): void {
  poc
    .command('mine')
    .description('mine nonces 0, 1, 2, … with onnxruntime into an artifact store; prints the root')
    .addOption(classOption().default(pocClass('devnet'), 'devnet'))
    .requiredOption('--seconds <n>', 'how long to mine')
    .option('--block-hash <hex>', 'block hash seeding the epoch', DEFAULT_BLOCK_HASH)
    .option('--pubkey <hex>', "participant's public key", DEFAULT_PUBKEY)
    .option('--store <dir>', 'new artifact store directory (default: a fresh temporary directory)')
    .option('--batch <n>', 'nonces per onnxruntime run', '64')
    .option('--workers <n>', 'worker threads, each with its own onnxruntime session (default: one per core)')
    .option('--threads <n>', 'onnxruntime intra-op threads per worker', '1')
    .option('--max-nonces <n>', 'stop early once this many nonces are stored')
    .action(async (opts: MineOptions) => {
      const cls = opts.class;
      const seconds = parsePositiveInt(opts.seconds, '--seconds');
      const batch = parsePositiveInt(opts.batch, '--batch');
      const threads = parsePositiveInt(opts.threads, '--threads');
      const workers = opts.workers === undefined ? undefined : parsePositiveInt(opts.workers, '--workers');
      const maxNonces =
        opts.maxNonces === undefined
          ? Number.MAX_SAFE_INTEGER
          : parsePositiveInt(opts.maxNonces, '--max-nonces');
      const blockHash = parseBytes(opts.blockHash, '--block-hash');
      const pubkey = parseBytes(opts.pubkey, '--pubkey');
      const dir = opts.store ?? mkdtempSync(join(tmpdir(), `gonka-poc-${cls.name}-`));
      const store = userInput(() => {
        try {
          return ArtifactStore.create(dir, {
            class: cls.name,
            blockHash: toHex(blockHash),
            pubkey: toHex(pubkey),
            outputBytes: outputBytes(cls),
          });
        } catch (err) {
          throw err instanceof Error && /already exists/.test(err.message)
            ? new RangeError(err.message)
            : err;
        }
      });
      const miner = await PocMiner.start({ cls, blockHash, pubkey, workers, threads, batch });

      const bar = new cliProgress.SingleBar({
        stream: process.stderr,
        noTTYOutput: true,
        notTTYSchedule: 1000,
        format: `mining ${cls.name} ({form}) [{bar}] {value}/{total} s | {count} nonces | {rate} nonces/s`,
      });
      bar.start(seconds, 0, { form: miner.form, count: 0, rate: '0' });
      const started = performance.now();
      const deadline = started + seconds * 1000;
      let lastFlush = started;
      try {
        await miner.mine(store, {
          stop: () => performance.now() >= deadline,
          maxCount: maxNonces,
          onProgress: (count) => {
            const now = performance.now();
            // fdatasync blocks the main thread; every 5 s bounds what a crash loses to seconds of work.
            if (now - lastFlush > FLUSH_INTERVAL_MS) {
              store.flush();
              lastFlush = now;
            }
            const elapsed = (now - started) / 1000;
            bar.update(Math.min(seconds, Math.floor(elapsed)), { count, rate: (count / elapsed).toFixed(0) });
          },
        });
      } finally {
        await miner.close();
      }
      const elapsed = (performance.now() - started) / 1000;
      bar.update(seconds, { count: store.count, rate: (store.count / elapsed).toFixed(0) });
      bar.stop();
      const root = store.root();
      store.close();
      process.stdout.write(
        `root: ${toHex(root)}\ncount: ${store.count}\nnonces_per_second: ${(store.count / elapsed).toFixed(1)}\nform: ${miner.form}\nstore: ${dir}\n`,
      );
    });
}

/** Sample indices derived from the root, so anyone re-running the check samples the same leaves. */
function sampleIndices(root: Uint8Array, count: number, samples: number): number[] {
  if (samples >= count) return Array.from({ length: count }, (_, i) => i);
  const picked = new Set<number>();
  for (let i = 0; picked.size < samples && i < samples * 64; i++) {
    const h = createHash('sha256').update(root).update(String(i)).digest();
    picked.add(Number(h.readBigUInt64BE(0) % BigInt(count)));
  }
  return [...picked].sort((a, b) => a - b);
}

function registerVerify(poc: Command): void {
  poc
    .command('verify')
    .description(
      "recompute a sample of a store's leaves with the reference and check their proofs against its root",
    )
    .requiredOption('--store <dir>', 'artifact store directory')
    .option('--samples <n>', 'leaves to recompute', '32')
    .action(async (opts: { store: string; samples: string }) => {
      const samples = parsePositiveInt(opts.samples, '--samples');
      const store = userInput(() => {
        try {
          return ArtifactStore.open(opts.store);
        } catch (err) {
          throw err instanceof Error && /no artifact store/.test(err.message)
            ? new RangeError(err.message)
            : err;
        }
      });
      const cls = userInput(() => pocClass(store.meta.class));
      const blockHash = parseHex(store.meta.blockHash, 'meta.json blockHash');
      const pubkey = parseHex(store.meta.pubkey, 'meta.json pubkey');
      const root = store.root();
      const indices = sampleIndices(root, store.count, samples);
      const pool = new ReferencePool();
      const failures: string[] = [];
      try {
        const recomputed = await pool.compute(cls, blockHash, pubkey, indices.map(BigInt));
        indices.forEach((index, k) => {
          const proof = store.proof(index);
          const check = checkArtifactProof(root, store.count, proof, outputBytes(cls));
          if (!check.ok) failures.push(`leaf ${index}: proof fails (${check.reason})`);
          else if (toHex(recomputed[k]!) !== toHex(proof.output))
            failures.push(`leaf ${index}: output differs from the kernel`);
        });
      } finally {
        await pool.close();
        store.close();
      }
      process.stdout.write(
        `root: ${toHex(root)}\ncount: ${store.count}\nsampled: ${indices.length}\nfailed: ${failures.length}\n`,
      );
      if (failures.length > 0) {
        for (const f of failures.slice(0, 20)) process.stderr.write(`${f}\n`);
        process.exitCode = 1;
      }
    });
}

export function register(program: Command): void {
  const poc = program.command('poc').description('PoC kernel v1: compute, mine and verify artifacts');
  registerCompute(poc);
  registerMine(poc);
  registerVerify(poc);
}
