// PoC kernel v1 model classes (spec §2). A class is immutable: a new shape is a new id.

export type PocClassName = 'tiny' | 'devnet' | 'large';

export interface PocClass {
  readonly name: PocClassName;
  /** One-byte class id that enters the epoch seed. */
  readonly id: number;
  /** Model width. */
  readonly d: number;
  /** Attention heads; dh = d / H. */
  readonly H: number;
  readonly dh: number;
  /** Layers. */
  readonly L: number;
  /** Sequence length (rows of the activation matrix). */
  readonly T: number;
  /** MLP hidden width. */
  readonly f: number;
  readonly s_qkv: number;
  readonly s_att: number;
  readonly s_pv: number;
  readonly s_o: number;
  readonly s_up: number;
  readonly s_down: number;
}

function defineClass(c: Omit<PocClass, 'dh'>): PocClass {
  return Object.freeze({ ...c, dh: c.d / c.H });
}

export const POC_CLASSES: Readonly<Record<PocClassName, PocClass>> = Object.freeze({
  tiny: defineClass({
    name: 'tiny',
    id: 1,
    d: 64,
    H: 4,
    L: 2,
    T: 16,
    f: 256,
    s_qkv: 10,
    s_att: 7,
    s_pv: 7,
    s_o: 8,
    s_up: 10,
    s_down: 9,
  }),
  devnet: defineClass({
    name: 'devnet',
    id: 2,
    d: 128,
    H: 4,
    L: 4,
    T: 32,
    f: 512,
    s_qkv: 10,
    s_att: 8,
    s_pv: 7,
    s_o: 9,
    s_up: 10,
    s_down: 10,
  }),
  large: defineClass({
    name: 'large',
    id: 3,
    d: 2048,
    H: 16,
    L: 16,
    T: 512,
    f: 8192,
    s_qkv: 12,
    s_att: 9,
    s_pv: 7,
    s_o: 10,
    s_up: 12,
    s_down: 12,
  }),
});

export const POC_CLASS_NAMES = Object.keys(POC_CLASSES) as PocClassName[];

export function isPocClassName(name: string): name is PocClassName {
  return Object.hasOwn(POC_CLASSES, name);
}

/** Looks a class up by name; throws a RangeError naming the known classes otherwise. */
export function pocClass(name: string): PocClass {
  if (!isPocClassName(name)) {
    throw new RangeError(`unknown PoC class '${name}' (known: ${POC_CLASS_NAMES.join(', ')})`);
  }
  return POC_CLASSES[name];
}

/** Output bytes per nonce: d int32 values, big-endian. */
export function outputBytes(cls: PocClass): number {
  return 4 * cls.d;
}

/** Input keystream bytes per nonce: one byte per entry of the T×d input matrix. */
export function inputBytes(cls: PocClass): number {
  return cls.T * cls.d;
}

/** int8 multiply-accumulates per nonce, charging the full T×T attention square (spec §2). */
export function macsPerNonce(cls: PocClass): number {
  return cls.L * (4 * cls.T * cls.d ** 2 + 2 * cls.T * cls.d * cls.f + 2 * cls.T ** 2 * cls.d);
}
