// PoC kernel throughput: reference vs each ORT form, per class, and artifact-store appends.
// Run: npx tsc -p tsconfig.json && node dist/test/bench/poc-kernel.bench.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore } from '../../kernels/poc/artifacts/store.js';
import { POC_CLASSES, type PocClass } from '../../kernels/poc/classes.js';
import { createEpoch } from '../../kernels/poc/epoch.js';
import { GRAPH_FORMS, type OrtFormName } from '../../kernels/poc/ort/forms.js';
import { PocOrtSession } from '../../kernels/poc/ort/session.js';
import { computeOutput } from '../../kernels/poc/reference.js';
import { inputStream } from '../../kernels/poc/seeds.js';
import { printTable } from './harness.js';

const BLOCK_HASH = new Uint8Array(32).fill(7);
const PUBKEY = new Uint8Array(33).fill(2);

function referenceMsPerNonce(cls: PocClass, nonces: number): number {
  const epoch = createEpoch(cls, BLOCK_HASH);
  const t = performance.now();
  for (let i = 0; i < nonces; i++) computeOutput(epoch, PUBKEY, BigInt(i));
  return (performance.now() - t) / nonces;
}

/** ORT kernel time per nonce at batch B (inputs prepared beforehand), best of 3 runs. */
async function ortMsPerNonce(
  cls: PocClass,
  form: OrtFormName,
  batch: number,
  threads: number,
): Promise<number> {
  const epoch = createEpoch(cls, BLOCK_HASH);
  const session = await PocOrtSession.create(epoch, { form, threads });
  const per = cls.T * cls.d;
  const streams = new Uint8Array(batch * per);
  for (let i = 0; i < batch; i++) streams.set(inputStream(cls, epoch.seed, PUBKEY, BigInt(i)), i * per);
  await session.run(streams);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    await session.run(streams);
    best = Math.min(best, (performance.now() - t) / batch);
  }
  await session.release();
  return best;
}

const rows: (string | number)[][] = [];
for (const cls of [POC_CLASSES.tiny, POC_CLASSES.devnet]) {
  const ref = referenceMsPerNonce(cls, cls.name === 'tiny' ? 200 : 20);
  rows.push([cls.name, 'reference (pure TS)', '-', '-', ref.toFixed(3), '1.0×']);
  for (const form of Object.keys(GRAPH_FORMS) as OrtFormName[]) {
    for (const threads of [1, 2]) {
      const ms = await ortMsPerNonce(cls, form, 64, threads);
      rows.push([cls.name, `ORT ${form}`, 64, threads, ms.toFixed(3), `${(ref / ms).toFixed(0)}×`]);
    }
  }
}
printTable(
  'PoC kernel v1: ms per nonce (lower is better); ratio against the reference',
  ['class', 'engine', 'batch', 'threads', 'ms/nonce', 'speed-up'],
  rows,
);

const dir = mkdtempSync(join(tmpdir(), 'gonka-bench-store-'));
try {
  const store = ArtifactStore.create(join(dir, 's'), {
    class: 'devnet',
    blockHash: '00',
    pubkey: '02',
    outputBytes: 512,
  });
  const output = new Uint8Array(512).fill(9);
  const n = 200_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) store.append(output);
  store.flush();
  const seconds = (performance.now() - t) / 1000;
  const tp = performance.now();
  for (let i = 0; i < 1000; i++) store.proof((i * 7919) % n);
  const proofMs = (performance.now() - tp) / 1000;
  store.close();
  printTable(
    'Artifact store (devnet outputs, 512 B)',
    ['leaves', 'appends/s incl. flush', 'ms per proof'],
    [[n, (n / seconds).toFixed(0), proofMs.toFixed(3)]],
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
