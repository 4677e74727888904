// The ways the PoC graph can feed MatMulInteger (spec §10). All give the spec's exact int8×int8
// products where the host's kernels are exact; they differ in speed and in where they run.

export type OperandTypes = 'u8i8' | 'u8u8' | 'i8i8';
export type ClampOp = 'clip' | 'minmax';
/**
 * How the elementwise steps are written. 'integer': int32 Div for every requantization and a
 * Gather for E, ops every EP registers. 'exact-float': power-of-two requantizations as float
 * multiplies truncated by Cast, the renormalisation as a float division and E in closed form;
 * each is exact (see graph.ts) and several times cheaper on CPU, where int32 Div and Gather are
 * scalar loops.
 */
export type ElementwiseStyle = 'integer' | 'exact-float';

export interface GraphForm {
  readonly name: OrtFormName;
  /** Left × right operand types of every MatMulInteger. */
  readonly operands: OperandTypes;
  /** How int32 clamps are written: Clip (CPU) or Max then Min (CUDA registers no int32 Clip). */
  readonly clamp: ClampOp;
  readonly elementwise: ElementwiseStyle;
}

export type OrtFormName = 'u8i8' | 'u8u8' | 'i8i8' | 'cuda';

export const GRAPH_FORMS: Readonly<Record<OrtFormName, GraphForm>> = Object.freeze({
  /** CPU form: left = value + 128 with zero point 128, int8 weights. Fast on VNNI/AMX, exact only there. */
  u8i8: { name: 'u8i8', operands: 'u8i8', clamp: 'clip', elementwise: 'exact-float' },
  /** CPU fallback: both operands shifted by 128 with zero points; never saturates. */
  u8u8: { name: 'u8u8', operands: 'u8u8', clamp: 'clip', elementwise: 'exact-float' },
  /** CPU fallback: plain int8 operands, MLAS's portable kernel (slow but exact everywhere). */
  i8i8: { name: 'i8i8', operands: 'i8i8', clamp: 'clip', elementwise: 'exact-float' },
  /** CUDA form: int8 operands (the only MatMulInteger the CUDA EP registers) and Min+Max clamps. */
  cuda: { name: 'cuda', operands: 'i8i8', clamp: 'minmax', elementwise: 'integer' },
});

/** The CPU forms in the order a new session tries them. */
export const CPU_FORM_ORDER: readonly OrtFormName[] = ['u8i8', 'u8u8', 'i8i8'];

export function isOrtFormName(name: string): name is OrtFormName {
  return Object.hasOwn(GRAPH_FORMS, name);
}
