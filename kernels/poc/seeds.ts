// Seeds, keystreams and tensors (spec §4): everything random in the kernel comes from here.
import { createCipheriv } from 'node:crypto';
import { ascii, be64, sha256 } from './bytes.js';
import type { PocClass } from './classes.js';

const TAG_EPOCH = ascii('poc-kernel-v1/epoch');
const TAG_WEIGHT = ascii('poc-kernel-v1/weight');
const TAG_INPUT = ascii('poc-kernel-v1/input');
const ZERO_IV = new Uint8Array(16);

function checkLength(bytes: Uint8Array, what: string): void {
  if (bytes.length < 1 || bytes.length > 255) {
    throw new RangeError(`${what} must be 1 to 255 bytes long, got ${bytes.length}`);
  }
}

/** epoch_seed = SHA-256(TAG_EPOCH ‖ u8(class_id) ‖ u8(len) ‖ block_hash). */
export function epochSeed(cls: PocClass, blockHash: Uint8Array): Uint8Array {
  checkLength(blockHash, 'block hash');
  return sha256(TAG_EPOCH, Uint8Array.of(cls.id, blockHash.length), blockHash);
}

/** The first n bytes of AES-256-CTR(key) from counter 0. */
export function keystream(key: Uint8Array, n: number): Uint8Array {
  const cipher = createCipheriv('aes-256-ctr', key, ZERO_IV);
  return new Uint8Array(cipher.update(new Uint8Array(n)));
}

export type WeightKind = 'wq' | 'wk' | 'wv' | 'wo' | 'wup' | 'wdown';
/** The storage order of a layer's tensors (spec §4 table). */
export const WEIGHT_KINDS: readonly WeightKind[] = ['wq', 'wk', 'wv', 'wo', 'wup', 'wdown'];

export interface TensorShape {
  readonly name: string;
  readonly layer: number;
  readonly kind: WeightKind;
  readonly rows: number;
  readonly cols: number;
}

/** Every weight tensor of a class, layer by layer in table order. */
export function tensorShapes(cls: PocClass): TensorShape[] {
  const out: TensorShape[] = [];
  for (let layer = 0; layer < cls.L; layer++) {
    for (const kind of WEIGHT_KINDS) {
      const rows = kind === 'wdown' ? cls.f : cls.d;
      const cols = kind === 'wup' ? cls.f : cls.d;
      out.push({ name: `layer${layer}.${kind}`, layer, kind, rows, cols });
    }
  }
  return out;
}

/** K_name = SHA-256(TAG_WEIGHT ‖ epoch_seed ‖ ASCII(name)). */
export function weightKey(seed: Uint8Array, name: string): Uint8Array {
  return sha256(TAG_WEIGHT, seed, ascii(name));
}

/** A weight tensor's int8 elements (rows × cols, row-major). */
export function generateTensor(seed: Uint8Array, shape: TensorShape): Int8Array {
  const bytes = keystream(weightKey(seed, shape.name), shape.rows * shape.cols);
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export type LayerWeights = Record<WeightKind, Int8Array>;

/** All weights of an epoch for one class: one record per layer. */
export function generateWeights(cls: PocClass, seed: Uint8Array): LayerWeights[] {
  const layers: Partial<LayerWeights>[] = Array.from({ length: cls.L }, () => ({}));
  for (const shape of tensorShapes(cls)) {
    (layers[shape.layer] as Partial<LayerWeights>)[shape.kind] = generateTensor(seed, shape);
  }
  return layers as LayerWeights[];
}

/** K_x = SHA-256(TAG_INPUT ‖ epoch_seed ‖ u8(len(pubkey)) ‖ pubkey ‖ be64(nonce)). */
export function inputKey(seed: Uint8Array, pubkey: Uint8Array, nonce: bigint): Uint8Array {
  checkLength(pubkey, 'public key');
  return sha256(TAG_INPUT, seed, Uint8Array.of(pubkey.length), pubkey, be64(nonce));
}

/** The raw keystream bytes of one nonce's input (T·d bytes); the ORT graphs take these as `x`. */
export function inputStream(cls: PocClass, seed: Uint8Array, pubkey: Uint8Array, nonce: bigint): Uint8Array {
  return keystream(inputKey(seed, pubkey, nonce), cls.T * cls.d);
}

/** x0[i][j] = ⌊b / 2⌋ − 64: uniform on [−64, 63]. */
export function inputMatrix(stream: Uint8Array): Int32Array {
  const x0 = new Int32Array(stream.length);
  for (let i = 0; i < stream.length; i++) x0[i] = ((stream[i] as number) >> 1) - 64;
  return x0;
}
