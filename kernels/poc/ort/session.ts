// An onnxruntime session of the PoC kernel for one (epoch, class) in one graph form.
import * as ort from 'onnxruntime-node';
import type { PocEpoch } from '../epoch.js';
import { encodeOutput } from '../leaf.js';
import { inputStream } from '../seeds.js';
import { GRAPH_FORMS, type OrtFormName } from './forms.js';
import { buildPocGraph, type PocGraphOptions } from './graph.js';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface PocSessionOptions extends PocGraphOptions {
  readonly form: OrtFormName;
  readonly provider?: ExecutionProvider;
  /** onnxruntime intra-op threads; 0 lets ORT choose. */
  readonly threads?: number;
}

export interface OrtBatchResult {
  /** Output integers, B × d row-major. */
  readonly y: Int32Array;
  /** x0 (B × T × d), only when the session was built with debugOutputs. */
  readonly x0?: Int32Array;
}

export class PocOrtSession {
  private constructor(
    readonly epoch: PocEpoch,
    readonly form: OrtFormName,
    readonly provider: ExecutionProvider,
    private readonly session: ort.InferenceSession,
  ) {}

  /** Builds the graph and creates the session; throws if the provider cannot be loaded. */
  static async create(epoch: PocEpoch, options: PocSessionOptions): Promise<PocOrtSession> {
    const provider = options.provider ?? 'cpu';
    const model = buildPocGraph(epoch, GRAPH_FORMS[options.form], options);
    const session = await ort.InferenceSession.create(model, {
      executionProviders: provider === 'cuda' ? [{ name: 'cuda', deviceId: 0 }] : ['cpu'],
      intraOpNumThreads: options.threads ?? 0,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new PocOrtSession(epoch, options.form, provider, session);
  }

  /** Runs B nonces' raw input streams (B × T × d bytes, concatenated). */
  async run(streams: Uint8Array): Promise<OrtBatchResult> {
    const { T, d } = this.epoch.cls;
    const perNonce = T * d;
    if (streams.length === 0 || streams.length % perNonce !== 0) {
      throw new RangeError(
        `input of ${streams.length} bytes is not a whole number of ${perNonce}-byte nonces`,
      );
    }
    const batch = streams.length / perNonce;
    const feeds = { x: new ort.Tensor('uint8', streams, [batch, T, d]) };
    const out = await this.session.run(feeds);
    const y = out.y?.data;
    if (!(y instanceof Int32Array)) throw new Error('PoC session returned no int32 output y');
    const x0 = out.x0?.data;
    return x0 instanceof Int32Array ? { y, x0 } : { y };
  }

  /** Output bytes for each nonce of one participant, in order, in one batch. */
  computeOutputs(pubkey: Uint8Array, nonces: readonly bigint[]): Promise<Uint8Array[]> {
    return this.computeBatch(nonces.map((nonce) => ({ pubkey, nonce })));
  }

  /** Output bytes for each (pubkey, nonce), in order, in one batch (a validator's mixed sample). */
  async computeBatch(items: readonly { pubkey: Uint8Array; nonce: bigint }[]): Promise<Uint8Array[]> {
    const { cls, seed } = this.epoch;
    const perNonce = cls.T * cls.d;
    const streams = new Uint8Array(items.length * perNonce);
    items.forEach((it, i) => {
      streams.set(inputStream(cls, seed, it.pubkey, it.nonce), i * perNonce);
    });
    const { y } = await this.run(streams);
    return items.map((_, i) => encodeOutput(y.subarray(i * cls.d, (i + 1) * cls.d)));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
