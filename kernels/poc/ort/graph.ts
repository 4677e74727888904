// Builds the ONNX graph of PoC kernel v1 for one (epoch, class) in a given form (spec §10):
// input `x` uint8 [B, T, d] (raw keystream bytes), output `y` int32 [B, d], weights as
// initializers, batch B dynamic. The 'integer' style uses integer ops only; the 'exact-float'
// style (CPU forms) also uses float ops, each exact for the values it sees (argued where used).
import type { PocEpoch } from '../epoch.js';
import type { LayerWeights } from '../seeds.js';
import { EXP_TABLE } from '../tables.js';
import type { GraphForm } from './forms.js';
import { DT, OnnxGraphBuilder } from './onnx-builder.js';

export interface PocGraphOptions {
  /** Also output `x0` (int32 [B, T, d]) so tests can check the debug intermediates. */
  readonly debugOutputs?: boolean;
}

/** Masked scores sit at least this far below any real score, so E of them is 0 (spec §10). */
const MASK = -512;
/** E's index is clamped here; E(128) = 0 and every masked entry lands here. */
const E_INDEX_MAX = 128;
/** G(a) + 32 = ⌊(a+128)²/512⌋ ∈ [0, 127]: fed to MatMulInteger directly with this zero point. */
const G_ZERO_POINT = 32;

class PocGraph {
  readonly g: OnnxGraphBuilder;

  constructor(
    private readonly epoch: PocEpoch,
    private readonly form: GraphForm,
  ) {
    this.g = new OnnxGraphBuilder(`poc-kernel-v1-${epoch.cls.name}-${form.name}`);
  }

  /** The zero point of operands stored as value + 128 (created on first use: i8 forms have none). */
  private get zp128(): string {
    return this.g.scalar('uint8', 128);
  }

  private get exactFloat(): boolean {
    return this.form.elementwise === 'exact-float';
  }

  private cast(t: string, to: keyof typeof DT): string {
    return this.g.op('Cast', [t], { to: DT[to] });
  }

  private i32(v: number): string {
    return this.g.scalar('int32', v);
  }

  /** clamp(t, lo, hi) for int32 t, in the form's style. */
  private clamp(t: string, lo: number, hi: number): string {
    if (this.form.clamp === 'clip') return this.g.op('Clip', [t, this.i32(lo), this.i32(hi)]);
    return this.g.op('Min', [this.g.op('Max', [t, this.i32(lo)]), this.i32(hi)]);
  }

  /**
   * rq_s(t) = clamp(tdiv(t, 2^s), −127, 127) as int32. 'integer': ONNX int Div truncates toward
   * zero. 'exact-float': float(t)·2^−s, clipped, then Cast to int32, which truncates toward zero.
   * Exact: for |t| < 2^24 float(t) and the power-of-two scaling are exact; for |t| ≥ 2^24,
   * rounding to float is monotone, so |float(t)·2^−s| ≥ 2^(24−s) > 127 and the clip gives the
   * same ±127 as clamp(tdiv) (every shift is ≤ 16, spec §8 bounds |t| < 2^31).
   */
  private rq(t: string, s: number, clamp = true): string {
    if (!this.exactFloat) {
      const q = this.g.op('Div', [t, this.i32(2 ** s)]);
      return clamp ? this.clamp(q, -127, 127) : q;
    }
    const scaled = this.g.op('Mul', [this.cast(t, 'float'), this.g.scalar('float', 2 ** -s)]);
    const clipped = clamp
      ? this.g.op('Clip', [scaled, this.g.scalar('float', -127), this.g.scalar('float', 127)])
      : scaled;
    return this.cast(clipped, 'int32');
  }

  /** A signed activation (|v| ≤ 128 after the shift) as a left MatMulInteger operand plus its zero point. */
  private left(t: string): [string, string] {
    if (this.form.operands === 'i8i8') return [this.g.op('Cast', [t], { to: DT.int8 }), ''];
    return [this.g.op('Cast', [this.g.op('Add', [t, this.i32(128)])], { to: DT.uint8 }), this.zp128];
  }

  /** A signed activation as a right MatMulInteger operand plus its zero point. */
  private right(t: string): [string, string] {
    if (this.form.operands === 'u8u8') {
      return [this.g.op('Cast', [this.g.op('Add', [t, this.i32(128)])], { to: DT.uint8 }), this.zp128];
    }
    return [this.g.op('Cast', [t], { to: DT.int8 }), ''];
  }

  /** A weight tensor as a right operand initializer plus its zero point. */
  private weight(name: string, w: Int8Array, rows: number, cols: number): [string, string] {
    if (this.form.operands === 'u8u8') {
      const shifted = new Uint8Array(w.length);
      for (let i = 0; i < w.length; i++) shifted[i] = (w[i] as number) + 128;
      return [this.g.initializer(name, 'uint8', [rows, cols], shifted), this.zp128];
    }
    return [this.g.initializer(name, 'int8', [rows, cols], w), ''];
  }

  /**
   * rq_s(left · right), or tdiv without the clamp. 'exact-float' fuses the int32 → float
   * conversion and the 2^−s scaling into the product with onnxruntime's MatMulIntegerToFloat,
   * which computes the integer product exactly (MLAS QGEMM) and scales it once in its epilogue:
   * the same float(t)·2^−s as rq's (exactness argued there) without two elementwise passes.
   */
  private matmulRq(left: [string, string], right: [string, string], s: number, clamp = true): string {
    if (!this.exactFloat) return this.rq(this.matmul(left, right), s, clamp);
    const [a, aZp] = left;
    const [b, bZp] = right;
    const one = this.g.scalar('float', 1);
    const inputs = [a, b, one, this.g.scalar('float', 2 ** -s), aZp, bZp].slice(0, bZp ? 6 : aZp ? 5 : 4);
    const scaled = this.g.msOp('MatMulIntegerToFloat', inputs);
    const clipped = clamp
      ? this.g.op('Clip', [scaled, this.g.scalar('float', -127), this.g.scalar('float', 127)])
      : scaled;
    return this.cast(clipped, 'int32');
  }

  private matmul(left: [string, string], right: [string, string]): string {
    const [a, aZp] = left;
    const [b, bZp] = right;
    const inputs = bZp ? [a, b, aZp, bZp] : aZp ? [a, b, aZp] : [a, b];
    return this.g.op('MatMulInteger', inputs);
  }

  /** N(U): each row scaled so its largest magnitude is 127, tdiv(127·U, max(1, max|U|)). */
  private renorm(u: string): string {
    const absMax = this.g.op('ReduceMax', [this.g.op('Abs', [u]), this.g.int64s([-1])], { keepdims: 1 });
    const m = this.g.op('Max', [absMax, this.i32(1)]);
    const scaled = this.g.op('Mul', [u, this.i32(127)]);
    if (!this.exactFloat) return this.g.op('Div', [scaled, m]);
    // Float division, truncated by Cast. Exact: 127·U (≤ 32,258) and m are exact floats and
    // |127·U/m| ≤ 127 since |U| ≤ m. A non-integer quotient lies at least 1/m ≥ 1/254 from an
    // integer, while IEEE division is off by at most half an ulp (≤ 2^−18 below 128), so the
    // truncation is the exact quotient's; an integer quotient is representable, hence exact.
    return this.cast(this.g.op('Div', [this.cast(scaled, 'float'), this.cast(m, 'float')]), 'int32');
  }

  /**
   * E(y) for int32 y ∈ [0, 128]. 'integer': a Gather from the table. 'exact-float' (a CPU Gather
   * copies one element per call, ~20 ns): E(y) = C[r] >> q with q = y >> 3 and r = y − 8q, where
   * C[r] = round(2^14 · exp(−r·ln2/8)) in float. That is exactly the spec's table: each
   * 2^14·2^(−r/8) lies at least 0.06 from a rounding boundary (r = 7; r = 0 is exactly 2^14),
   * a relative margin of 6.8e−6, about 57 float ulps, against MLAS's vectorised exp, accurate to
   * a few ulps (double exp was exact by a wider margin but cost 11% of the run).
   */
  private expE(y: string, eTable: string): string {
    if (!this.exactFloat) return this.g.op('Gather', [eTable, y], { axis: 0 });
    const shiftRight = (t: string, by: string) => this.g.op('BitShift', [t, by], { direction: 'RIGHT' });
    const q = shiftRight(this.cast(y, 'uint32'), this.g.scalar('uint32', 3));
    const r = this.g.op('Sub', [y, this.g.op('Mul', [this.cast(q, 'int32'), this.i32(8)])]);
    const power = this.g.op('Exp', [
      this.g.op('Mul', [this.cast(r, 'float'), this.g.scalar('float', -Math.LN2 / 8)]),
    ]);
    const c = this.g.op('Round', [this.g.op('Mul', [power, this.g.scalar('float', 16384)])]);
    return this.cast(shiftRight(this.cast(c, 'uint32'), q), 'int32');
  }

  /** [B, T, d] → [B, H, T, dh] (or [B, H, dh, T] for keys, ready for Q·Kᵀ). */
  private heads(t: string, transposedForKeys: boolean): string {
    const { T, H, dh } = this.epoch.cls;
    const split = this.g.op('Reshape', [t, this.g.int64s([-1, T, H, dh])]);
    return this.g.op('Transpose', [split], { perm: transposedForKeys ? [0, 2, 3, 1] : [0, 2, 1, 3] });
  }

  /** Layer l's Wq, Wk and Wv side by side (d × 3d): one product instead of three (spec §10). */
  private qkvWeight(l: number, w: LayerWeights): [string, string] {
    const { d } = this.epoch.cls;
    const fused = new Int8Array(d * 3 * d);
    for (let row = 0; row < d; row++) {
      fused.set(w.wq.subarray(row * d, (row + 1) * d), row * 3 * d);
      fused.set(w.wk.subarray(row * d, (row + 1) * d), row * 3 * d + d);
      fused.set(w.wv.subarray(row * d, (row + 1) * d), row * 3 * d + 2 * d);
    }
    return this.weight(`layer${l}.wqkv`, fused, d, 3 * d);
  }

  private attention(l: number, w: LayerWeights, h: string, mask: string, eTable: string): string {
    const { d, T, s_qkv, s_att, s_pv, s_o } = this.epoch.cls;
    const qkv = this.matmulRq(this.left(h), this.qkvWeight(l, w), s_qkv);
    const [qAll, kAll, vAll] = this.g.opMulti('Split', [qkv], 3, { axis: -1, num_outputs: 3 }) as [
      string,
      string,
      string,
    ];
    // Operands are converted before the head transposes, which then move 1-byte elements.
    const [qU, qZp] = this.left(qAll);
    const [kU, kZp] = this.right(kAll);
    const [vU, vZp] = this.right(vAll);
    const q: [string, string] = [this.heads(qU, false), qZp];
    const kT: [string, string] = [this.heads(kU, true), kZp];
    const v: [string, string] = [this.heads(vU, false), vZp];

    const scores = this.matmulRq(q, kT, s_att);
    const masked = this.g.op('Add', [scores, mask]);
    const rowMax = this.g.op('ReduceMax', [masked, this.g.int64s([-1])], { keepdims: 1 });
    const eIndex = this.g.op('Min', [this.g.op('Sub', [rowMax, masked]), this.i32(E_INDEX_MAX)]);
    const e = this.expE(eIndex, eTable);
    const z = this.g.op('ReduceSum', [e, this.g.int64s([-1])], { keepdims: 1 });
    // 127·e ≥ 0, so truncating division is the spec's floor.
    const p = this.g.op('Div', [this.g.op('Mul', [e, this.i32(127)]), z]);
    // P ∈ [0, 127] needs no zero point: uint8 on CPU, int8 where only int8×int8 exists.
    const pOperand: [string, string] = [
      this.g.op('Cast', [p], { to: this.form.operands === 'i8i8' ? DT.int8 : DT.uint8 }),
      '',
    ];
    // |P·V| ≤ 127·127 and s_pv ≥ 7: the clamp never acts (spec §8), so it is left out.
    const ctxHeads = this.matmulRq(pOperand, v, s_pv, false);
    const [ctxU, ctxZp] = this.left(ctxHeads);
    const ctx = this.g.op('Reshape', [
      this.g.op('Transpose', [ctxU], { perm: [0, 2, 1, 3] }),
      this.g.int64s([-1, T, d]),
    ]);
    const o = this.matmulRq([ctx, ctxZp], this.weight(`layer${l}.wo`, w.wo, d, d), s_o);
    return this.renorm(this.g.op('Add', [h, o]));
  }

  /** G(a) for int32 a ∈ [−127, 127] as a left MatMulInteger operand plus its zero point. */
  private gelu(a: string): [string, string] {
    const shifted = this.g.op('Add', [a, this.i32(128)]);
    const square = this.g.op('Mul', [shifted, shifted]);
    if (!this.exactFloat) {
      // G(a) = ⌊(a+128)²/512⌋ − 32 in closed form: a Gather copies one element per call on CPU.
      return this.left(this.g.op('Sub', [this.g.op('Div', [square, this.i32(512)]), this.i32(32)]));
    }
    // G + 32 = ⌊(a+128)²/512⌋ ∈ [0, 127] goes in as is, with zero point 32: (a+128)² < 2^16 and
    // the scaling by 2^−9 are exact in float, and Cast truncates, which is floor for values ≥ 0.
    const type = this.form.operands === 'i8i8' ? 'int8' : 'uint8';
    const halved = this.g.op('Mul', [this.cast(square, 'float'), this.g.scalar('float', 2 ** -9)]);
    return [this.cast(halved, type), this.g.scalar(type, G_ZERO_POINT)];
  }

  private mlp(l: number, w: LayerWeights, h: string): string {
    const { d, f, s_up, s_down } = this.epoch.cls;
    const a = this.matmulRq(this.left(h), this.weight(`layer${l}.wup`, w.wup, d, f), s_up);
    const o2 = this.matmulRq(this.gelu(a), this.weight(`layer${l}.wdown`, w.wdown, f, d), s_down);
    return this.renorm(this.g.op('Add', [h, o2]));
  }

  build(options: PocGraphOptions): Uint8Array {
    const { T, d } = this.epoch.cls;
    const x = this.g.input('x', 'uint8', ['B', T, d]);
    const causal = new Int32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) causal[i * T + j] = MASK;
    const mask = this.g.initializer('causal_mask', 'int32', [T, T], causal);
    // The closed-form E needs no table (an unused initializer makes ORT warn).
    const eTable = this.exactFloat
      ? ''
      : this.g.initializer('exp_table', 'int32', [EXP_TABLE.length], EXP_TABLE);

    // x0 = ⌊b/2⌋ − 64 (b ≥ 0, so truncation is floor; b/2 is exact in float).
    const half = this.exactFloat
      ? this.cast(this.g.op('Mul', [this.cast(x, 'float'), this.g.scalar('float', 0.5)]), 'int32')
      : this.g.op('Div', [this.cast(x, 'int32'), this.i32(2)]);
    let h = this.g.op('Sub', [half, this.i32(64)], {}, 'x0');
    if (options.debugOutputs) this.g.output('x0', 'int32', ['B', T, d]);

    this.epoch.weights.forEach((w, l) => {
      h = this.attention(l, w, h, mask, eTable);
      h = this.mlp(l, w, h);
    });
    this.g.op('ReduceSum', [h, this.g.int64s([1])], { keepdims: 0 }, 'y');
    this.g.output('y', 'int32', ['B', d]);
    return this.g.toBytes();
  }
}

/** The serialised ONNX model of one epoch's kernel in the given form. */
export function buildPocGraph(epoch: PocEpoch, form: GraphForm, options: PocGraphOptions = {}): Uint8Array {
  return new PocGraph(epoch, form).build(options);
}
