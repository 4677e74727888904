// Writes a decoder-only transformer as an ONNX graph with the Hugging Face exporter interface:
//   inputs  input_ids [batch, seq], attention_mask [batch, past+seq], position_ids [batch, seq],
//           past_key_values.{i}.key|value [batch, heads, past, head_dim]
//   outputs logits [batch, seq, vocab], present.{i}.key|value [batch, heads, past+seq, head_dim]
// so one graph serves prefill (past length 0), cached decoding and full-sequence replay.
import { checkShape, type DecoderShape } from './decoderConfig.js';
import { DType, floatTensor, GraphBuilder } from './onnxBuilder.js';
import { WeightStream } from './weights.js';

export function buildDecoderOnnx(shape: DecoderShape, weightSeed: string): Uint8Array {
  checkShape(shape);
  const { vocabSize: V, hidden: D, heads: H, layers: L, ffn: F, maxPositions: P } = shape;
  const Dh = D / H;
  const w = new WeightStream('gonka-ts/executor/decoder-weights/v1', weightSeed);
  const g = new GraphBuilder();
  const param = (name: string, dims: number[], std: number) =>
    g.initializer(
      floatTensor(
        name,
        dims,
        w.uniform(
          dims.reduce((a, b) => a * b, 1),
          std,
        ),
      ),
    );
  const ones = (name: string, n: number) =>
    g.initializer(floatTensor(name, [n], new Float32Array(n).fill(1)));
  const zeros = (name: string, n: number) => g.initializer(floatTensor(name, [n], new Float32Array(n)));

  const inputIds = g.input('input_ids', DType.INT64, ['batch_size', 'sequence_length']);
  const attnMask = g.input('attention_mask', DType.INT64, ['batch_size', 'total_sequence_length']);
  const positionIds = g.input('position_ids', DType.INT64, ['batch_size', 'sequence_length']);

  const wte = param('transformer.wte.weight', [V, D], 1);
  const wpe = param('transformer.wpe.weight', [P, D], 0.5);
  let x = g.op1('Add', [g.op1('Gather', [wte, inputIds]), g.op1('Gather', [wpe, positionIds])]);

  // Attention bias [batch, 1, seq, total]: causal (key j visible to query i iff j ≤ past + i)
  // plus padding from attention_mask.
  const one = g.constFloat('const_one', [], [1]);
  // (allowed − 1) · 1e9 is 0 where attention is allowed and −1e9 (exp underflows to 0) elsewhere.
  const neg = g.constFloat('const_mask_scale', [], [1e9]);
  const seqLen = g.op1('Shape', [inputIds], { start: 1, end: 2 });
  const totalLen = g.op1('Shape', [attnMask], { start: 1, end: 2 });
  const pastLen = g.op1('Squeeze', [g.op1('Sub', [totalLen, seqLen])]);
  const square = g.op1('ConstantOfShape', [g.op1('Concat', [seqLen, totalLen], { axis: 0 })], {
    value: { tensor: floatTensor('value', [1], Float32Array.from([1])) },
  });
  const causal = g.op1('Trilu', [square, pastLen], { upper: 0 });
  const causalBias = g.op1('Mul', [g.op1('Sub', [causal, one]), neg]);
  const maskF = g.op1('Cast', [attnMask], { to: DType.FLOAT });
  const padBias = g.op1('Unsqueeze', [
    g.op1('Mul', [g.op1('Sub', [maskF, one]), neg]),
    g.constInt64('axes_1_2', [2], [1, 2]),
  ]);
  const bias = g.op1('Add', [causalBias, padBias]);

  const splitHeads = g.constInt64('shape_split_heads', [4], [0, 0, H, Dh]);
  const mergeHeads = g.constInt64('shape_merge_heads', [3], [0, 0, D]);
  const invSqrt = g.constFloat('const_inv_sqrt_dh', [], [1 / Math.sqrt(Dh)]);
  const layerNorm = (input: string, prefix: string) =>
    g.op1('LayerNormalization', [input, ones(`${prefix}.weight`, D), zeros(`${prefix}.bias`, D)], {
      axis: -1,
      epsilon: { float: 1e-5 },
    });
  const heads = (input: string) =>
    g.op1('Transpose', [g.op1('Reshape', [input, splitHeads])], { perm: [0, 2, 1, 3] });

  for (let l = 0; l < L; l++) {
    const p = `transformer.h.${l}`;
    const pastK = g.input(`past_key_values.${l}.key`, DType.FLOAT, [
      'batch_size',
      H,
      'past_sequence_length',
      Dh,
    ]);
    const pastV = g.input(`past_key_values.${l}.value`, DType.FLOAT, [
      'batch_size',
      H,
      'past_sequence_length',
      Dh,
    ]);
    const h = layerNorm(x, `${p}.ln_1`);
    const q = heads(g.op1('MatMul', [h, param(`${p}.attn.q.weight`, [D, D], 1 / Math.sqrt(D))]));
    const k = heads(g.op1('MatMul', [h, param(`${p}.attn.k.weight`, [D, D], 1 / Math.sqrt(D))]));
    const v = heads(g.op1('MatMul', [h, param(`${p}.attn.v.weight`, [D, D], 1 / Math.sqrt(D))]));
    const kAll = g.op1('Concat', [pastK, k], { axis: 2 }, `present.${l}.key`);
    const vAll = g.op1('Concat', [pastV, v], { axis: 2 }, `present.${l}.value`);
    g.output(kAll, DType.FLOAT, ['batch_size', H, 'total_sequence_length', Dh]);
    g.output(vAll, DType.FLOAT, ['batch_size', H, 'total_sequence_length', Dh]);
    const scores = g.op1('MatMul', [q, g.op1('Transpose', [kAll], { perm: [0, 1, 3, 2] })]);
    const probs = g.op1('Softmax', [g.op1('Add', [g.op1('Mul', [scores, invSqrt]), bias])], { axis: -1 });
    const ctx = g.op1('Reshape', [
      g.op1('Transpose', [g.op1('MatMul', [probs, vAll])], { perm: [0, 2, 1, 3] }),
      mergeHeads,
    ]);
    x = g.op1('Add', [x, g.op1('MatMul', [ctx, param(`${p}.attn.o.weight`, [D, D], 1 / Math.sqrt(D))])]);
    const m = g.op1('Gelu', [
      g.op1('MatMul', [layerNorm(x, `${p}.ln_2`), param(`${p}.mlp.fc.weight`, [D, F], 1 / Math.sqrt(D))]),
    ]);
    x = g.op1('Add', [x, g.op1('MatMul', [m, param(`${p}.mlp.proj.weight`, [F, D], 1 / Math.sqrt(F))])]);
  }

  // LayerNorm output has unit variance per row, so an LM head with std logitStd/√D gives logits
  // with standard deviation ≈ logitStd: that is the knob that sets how peaked the model is.
  const final = layerNorm(x, 'transformer.ln_f');
  const head = g.op1('MatMul', [final, param('lm_head.weight', [D, V], shape.logitStd / Math.sqrt(D))]);
  const headBias = new Float32Array(V);
  for (let b = 0; b < Math.min(V, 256); b++)
    if ((b >= 32 && b <= 126) || b === 10) headBias[b] = shape.printableBias ?? 0;
  g.op1('Add', [head, g.initializer(floatTensor('lm_head.bias', [V], headBias))], {}, 'logits');
  g.output('logits', DType.FLOAT, ['batch_size', 'sequence_length', V]);
  return g.toBytes('gonka_decoder', 'gonka-ts');
}
