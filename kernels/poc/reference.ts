// The pure-TS reference of PoC kernel v1 (spec §5–§7): synchronous, no I/O, integers only.
// x/poc recomputes fraud proofs with this; the ORT graphs are checked against it. All
// intermediate values stay far below 2^31 (spec §8), so plain Numbers and Int32Arrays are exact.
import type { PocClass } from './classes.js';
import type { PocEpoch } from './epoch.js';
import { encodeOutput } from './leaf.js';
import { inputMatrix, inputStream, type LayerWeights } from './seeds.js';
import { EXP_TABLE, GELU_TABLE } from './tables.js';

/** rq_s(a) = clamp(tdiv(a, 2^s), −127, 127); tdiv truncates toward zero. */
function rq(a: number, s: number): number {
  const q = a < 0 ? -(-a >> s) : a >> s;
  return q > 127 ? 127 : q < -127 ? -127 : q;
}

/** rq_s(A·W) for A (rows × k) and W (k × cols). */
function matmulRq(a: Int32Array, w: Int8Array, rows: number, k: number, cols: number, s: number): Int32Array {
  const out = new Int32Array(rows * cols);
  const acc = new Int32Array(cols);
  for (let i = 0; i < rows; i++) {
    acc.fill(0);
    const aRow = i * k;
    for (let kk = 0; kk < k; kk++) {
      const av = a[aRow + kk] as number;
      if (av === 0) continue;
      const wRow = kk * cols;
      for (let c = 0; c < cols; c++) acc[c] = (acc[c] as number) + av * (w[wRow + c] as number);
    }
    const oRow = i * cols;
    for (let c = 0; c < cols; c++) out[oRow + c] = rq(acc[c] as number, s);
  }
  return out;
}

/** h ← N(h + o): per-row absmax rescale to ±127 (the LayerNorm substitute), in place on h. */
function addRenorm(h: Int32Array, o: Int32Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let m = 1;
    for (let c = 0; c < cols; c++) {
      const u = (h[base + c] as number) + (o[base + c] as number);
      h[base + c] = u;
      const mag = u < 0 ? -u : u;
      if (mag > m) m = mag;
    }
    for (let c = 0; c < cols; c++) h[base + c] = Math.trunc((127 * (h[base + c] as number)) / m);
  }
}

/** The attention context of one layer: per head, causal integer softmax of Q·Kᵀ applied to V. */
function attentionContext(cls: PocClass, q: Int32Array, k: Int32Array, v: Int32Array): Int32Array {
  const { T, d, H, dh, s_att, s_pv } = cls;
  const ctx = new Int32Array(T * d);
  const scores = new Int32Array(T);
  const probs = new Int32Array(T);
  for (let head = 0; head < H; head++) {
    const col0 = head * dh;
    for (let i = 0; i < T; i++) {
      const qRow = i * d + col0;
      let max = -128;
      for (let j = 0; j <= i; j++) {
        const kRow = j * d + col0;
        let sum = 0;
        for (let c = 0; c < dh; c++) sum += (q[qRow + c] as number) * (k[kRow + c] as number);
        const s = rq(sum, s_att);
        scores[j] = s;
        if (s > max) max = s;
      }
      let z = 0;
      for (let j = 0; j <= i; j++) {
        const y = max - (scores[j] as number);
        const e = y > 128 ? 0 : (EXP_TABLE[y] as number);
        probs[j] = e;
        z += e;
      }
      for (let j = 0; j <= i; j++) probs[j] = Math.floor((127 * (probs[j] as number)) / z);
      for (let c = 0; c < dh; c++) {
        let sum = 0;
        for (let j = 0; j <= i; j++) sum += (probs[j] as number) * (v[j * d + col0 + c] as number);
        // |sum| ≤ 127·127 and s_pv ≥ 7, so the clamp of rq never acts (spec §8).
        ctx[qRow + c] = rq(sum, s_pv);
      }
    }
  }
  return ctx;
}

function layer(cls: PocClass, w: LayerWeights, h: Int32Array): void {
  const { T, d, f } = cls;
  const q = matmulRq(h, w.wq, T, d, d, cls.s_qkv);
  const k = matmulRq(h, w.wk, T, d, d, cls.s_qkv);
  const v = matmulRq(h, w.wv, T, d, d, cls.s_qkv);
  const ctx = attentionContext(cls, q, k, v);
  addRenorm(h, matmulRq(ctx, w.wo, T, d, d, cls.s_o), T, d);

  const a = matmulRq(h, w.wup, T, d, f, cls.s_up);
  for (let i = 0; i < a.length; i++) a[i] = GELU_TABLE[(a[i] as number) + 128] as number;
  addRenorm(h, matmulRq(a, w.wdown, T, f, d, cls.s_down), T, d);
}

/** Runs the forward pass on x0 (T×d, consumed) and returns the output integers y[0 … d−1]. */
export function forward(cls: PocClass, weights: readonly LayerWeights[], x0: Int32Array): Int32Array {
  const h = x0;
  for (const w of weights) layer(cls, w, h);
  const y = new Int32Array(cls.d);
  for (let i = 0; i < cls.T; i++) {
    for (let c = 0; c < cls.d; c++) y[c] = (y[c] as number) + (h[i * cls.d + c] as number);
  }
  return y;
}

/** The output integers of one (pubkey, nonce) in an epoch. */
export function computeOutputInts(epoch: PocEpoch, pubkey: Uint8Array, nonce: bigint): Int32Array {
  const x0 = inputMatrix(inputStream(epoch.cls, epoch.seed, pubkey, nonce));
  return forward(epoch.cls, epoch.weights, x0);
}

/** The output bytes (4·d, big-endian int32s) of one (pubkey, nonce) in an epoch. */
export function computeOutput(epoch: PocEpoch, pubkey: Uint8Array, nonce: bigint): Uint8Array {
  return encodeOutput(computeOutputInts(epoch, pubkey, nonce));
}
