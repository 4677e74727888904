// Builds the ONNX graph of PoC kernel v1 for one (epoch, class) in a given form (spec §10):
// input `x` uint8 [B, T, d] (raw keystream bytes), output `y` int32 [B, d], weights as
// initializers, batch B dynamic. Every op is integer; nothing is rounded implementation-defined.
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

  private i32(v: number): string {
    return this.g.scalar('int32', v);
  }

  /** clamp(t, lo, hi) for int32 t, in the form's style. */
  private clamp(t: string, lo: number, hi: number): string {
    if (this.form.clamp === 'clip') return this.g.op('Clip', [t, this.i32(lo), this.i32(hi)]);
    return this.g.op('Min', [this.g.op('Max', [t, this.i32(lo)]), this.i32(hi)]);
  }

  /** rq_s(t) = clamp(tdiv(t, 2^s), −127, 127); ONNX int Div truncates toward zero. */
  private rq(t: string, s: number, clamp = true): string {
    const q = this.g.op('Div', [t, this.i32(2 ** s)]);
    return clamp ? this.clamp(q, -127, 127) : q;
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
    return this.g.op('Div', [this.g.op('Mul', [u, this.i32(127)]), m]);
  }

  /** [B, T, d] → [B, H, T, dh] (or [B, H, dh, T] for keys, ready for Q·Kᵀ). */
  private heads(t: string, transposedForKeys: boolean): string {
    const { T, H, dh } = this.epoch.cls;
    const split = this.g.op('Reshape', [t, this.g.int64s([-1, T, H, dh])]);
    return this.g.op('Transpose', [split], { perm: transposedForKeys ? [0, 2, 3, 1] : [0, 2, 1, 3] });
  }

  private attention(l: number, w: LayerWeights, h: string, mask: string, eTable: string): string {
    const { d, T, s_qkv, s_att, s_pv, s_o } = this.epoch.cls;
    const hL = this.left(h);
    const proj = (name: 'wq' | 'wk' | 'wv') =>
      this.rq(this.matmul(hL, this.weight(`layer${l}.${name}`, w[name], d, d)), s_qkv);
    const q = this.heads(proj('wq'), false);
    const kT = this.heads(proj('wk'), true);
    const v = this.heads(proj('wv'), false);

    const scores = this.rq(this.matmul(this.left(q), this.right(kT)), s_att);
    const masked = this.g.op('Add', [scores, mask]);
    const rowMax = this.g.op('ReduceMax', [masked, this.g.int64s([-1])], { keepdims: 1 });
    const eIndex = this.g.op('Min', [this.g.op('Sub', [rowMax, masked]), this.i32(E_INDEX_MAX)]);
    const e = this.g.op('Gather', [eTable, eIndex], { axis: 0 });
    const z = this.g.op('ReduceSum', [e, this.g.int64s([-1])], { keepdims: 1 });
    // 127·e ≥ 0, so truncating division is the spec's floor.
    const p = this.g.op('Div', [this.g.op('Mul', [e, this.i32(127)]), z]);
    // P ∈ [0, 127] needs no zero point: uint8 on CPU, int8 where only int8×int8 exists.
    const pOperand: [string, string] = [
      this.g.op('Cast', [p], { to: this.form.operands === 'i8i8' ? DT.int8 : DT.uint8 }),
      '',
    ];
    // |P·V| ≤ 127·127 and s_pv ≥ 7: the clamp never acts (spec §8), so it is left out.
    const ctxHeads = this.rq(this.matmul(pOperand, this.right(v)), s_pv, false);
    const ctx = this.g.op('Reshape', [
      this.g.op('Transpose', [ctxHeads], { perm: [0, 2, 1, 3] }),
      this.g.int64s([-1, T, d]),
    ]);
    const o = this.rq(this.matmul(this.left(ctx), this.weight(`layer${l}.wo`, w.wo, d, d)), s_o);
    return this.renorm(this.g.op('Add', [h, o]));
  }

  private mlp(l: number, w: LayerWeights, h: string): string {
    const { d, f, s_up, s_down } = this.epoch.cls;
    const a = this.rq(this.matmul(this.left(h), this.weight(`layer${l}.wup`, w.wup, d, f)), s_up);
    // G(a) = ⌊(a+128)²/512⌋ − 32 in closed form: a Gather copies one element per call on CPU.
    const shifted = this.g.op('Add', [a, this.i32(128)]);
    const sq = this.g.op('Div', [this.g.op('Mul', [shifted, shifted]), this.i32(512)]);
    const gm = this.g.op('Sub', [sq, this.i32(32)]);
    const o2 = this.rq(this.matmul(this.left(gm), this.weight(`layer${l}.wdown`, w.wdown, f, d)), s_down);
    return this.renorm(this.g.op('Add', [h, o2]));
  }

  build(options: PocGraphOptions): Uint8Array {
    const { T, d } = this.epoch.cls;
    const x = this.g.input('x', 'uint8', ['B', T, d]);
    const causal = new Int32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) causal[i * T + j] = MASK;
    const mask = this.g.initializer('causal_mask', 'int32', [T, T], causal);
    const eTable = this.g.initializer('exp_table', 'int32', [EXP_TABLE.length], EXP_TABLE);

    // x0 = ⌊b/2⌋ − 64 (b ≥ 0, so truncation is floor).
    const bytes = this.g.op('Cast', [x], { to: DT.int32 });
    let h = this.g.op('Sub', [this.g.op('Div', [bytes, this.i32(2)]), this.i32(64)], {}, 'x0');
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
