// The normative conformance vectors of PoC kernel v1 (a copy of shared/spec/poc-kernel-v1-vectors.json),
// used by tests and by every new ORT session to check itself before it mines or validates.

import { parseHex, parseU64 } from '../bytes.js';
import { type PocClass, type PocClassName, pocClass } from '../classes.js';
import raw from './poc-kernel-v1-vectors.json' with { type: 'json' };

export interface ConformanceCase {
  readonly cls: PocClass;
  readonly index: number;
  readonly blockHash: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly nonce: bigint;
  readonly nonceBe64: Uint8Array;
  readonly epochSeed: Uint8Array;
  readonly output: Uint8Array;
  readonly leaf: Uint8Array;
}

export interface ConformanceDebug {
  readonly cls: PocClass;
  readonly caseIndex: number;
  readonly epochSeed: Uint8Array;
  readonly weightKeyLayer0Wq: Uint8Array;
  readonly layer0WqFirst16: Uint8Array;
  readonly lastTensor: string;
  readonly lastTensorLast16: Uint8Array;
  readonly inputKey: Uint8Array;
  readonly inputFirst16: Uint8Array;
  readonly x0First16: readonly number[];
  readonly outputFirst8: readonly number[];
}

export const CONFORMANCE_CASES: readonly ConformanceCase[] = raw.vectors.map((v) => ({
  cls: pocClass(v.class),
  index: v.case,
  blockHash: parseHex(v.block_hash, 'block_hash'),
  pubkey: parseHex(v.pubkey, 'pubkey'),
  nonce: parseU64(v.nonce, 'nonce'),
  nonceBe64: parseHex(v.nonce_be64, 'nonce_be64'),
  epochSeed: parseHex(v.epoch_seed, 'epoch_seed'),
  output: parseHex(v.output, 'output'),
  leaf: parseHex(v.leaf, 'leaf'),
}));

export const CONFORMANCE_DEBUG: readonly ConformanceDebug[] = Object.entries(raw.debug).map(([name, d]) => ({
  cls: pocClass(name),
  caseIndex: d.case,
  epochSeed: parseHex(d.epoch_seed, 'epoch_seed'),
  weightKeyLayer0Wq: parseHex(d.weight_key_layer0_wq, 'weight_key_layer0_wq'),
  layer0WqFirst16: parseHex(d.layer0_wq_first16_bytes, 'layer0_wq_first16_bytes'),
  lastTensor: d.last_tensor,
  lastTensorLast16: parseHex(d.last_tensor_last16_bytes, 'last_tensor_last16_bytes'),
  inputKey: parseHex(d.input_key, 'input_key'),
  inputFirst16: parseHex(d.input_first16_bytes, 'input_first16_bytes'),
  x0First16: d.x0_first16,
  outputFirst8: d.output_first8_int32,
}));

export const CONFORMANCE_TABLES = {
  expC: raw.tables.exp_C as readonly number[],
  expE0to127: raw.tables.exp_E_0_to_127 as readonly number[],
  geluSha256: parseHex(raw.tables.gelu_G_minus128_to_127_sha256, 'gelu sha256'),
};

/** The vectors of one class (empty for `large`, which has none). */
export function casesOf(name: PocClassName): ConformanceCase[] {
  return CONFORMANCE_CASES.filter((c) => c.cls.name === name);
}
