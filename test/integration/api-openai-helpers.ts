// A fake chain view + an API node HTTP server with paid inference, for the OpenAI API tests and
// the bench: the real routes, tokenizer and (through ExecutorBackend) the real demo model; the
// chain is an in-memory InferenceView and the broadcaster a recording sink.
import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { FastifyInstance } from 'fastify';
import { ApiMetrics } from '../../app/api/metrics.js';
import { ReplaySet, Reservations } from '../../app/api/openai/auth.js';
import type { InferenceView, ModelEntry } from '../../app/api/openai/chainView.js';
import { PayloadStore } from '../../app/api/openai/payloads.js';
import type { InferenceBackend } from '../../app/api/openai/protocol.js';
import { buildApiServer } from '../../app/api/server.js';
import { addressFromPubKey } from '../../app/runtime/address.js';
import { ensureDemoModelDir } from '../../kernels/executor/index.js';
import { TextTokenizer } from '../../kernels/executor/tokenizer.js';
import type { ApiKey, Params } from '../../proto/gen/gonka/inference/v1/inference.js';
import type { Participant } from '../../proto/gen/gonka/poc/v1/poc.js';

export const MODEL = 'gonka/demo';

export class FakeView implements InferenceView {
  paramsValue: Params = {
    expirationBlocks: 20n,
    maxTokensCap: 1024n,
    maxInferenceMsgsPerBlock: 1000,
    signedRequestWindowMs: 60_000n,
    maxModels: 16,
    maxKeysPerOwner: 16,
  };
  modelsList: ModelEntry[] = [];
  keys = new Map<string, ApiKey>();
  participantsList: Participant[] = [];
  balances = new Map<string, bigint>();
  epochValue = 1n;
  async params() {
    return this.paramsValue;
  }
  async models() {
    return this.modelsList;
  }
  async model(id: string) {
    return this.modelsList.find((m) => m.model.id === id);
  }
  async apiKey(h: Uint8Array) {
    return this.keys.get(Buffer.from(h).toString('hex'));
  }
  async participants() {
    return this.participantsList;
  }
  async epoch() {
    return this.epochValue;
  }
  async balance(a: string) {
    return this.balances.get(a) ?? 0n;
  }
  addKey(secret: string, owner: string, ta: string, limit: bigint): ApiKey {
    const keyHash = createHash('sha256').update(secret).digest();
    const k: ApiKey = {
      keyHash,
      owner,
      transferAgent: ta,
      spendLimitPerEpoch: limit.toString(),
      revoked: false,
      spentEpoch: 0n,
      spent: '0',
    };
    this.keys.set(keyHash.toString('hex'), k);
    return k;
  }
}

export const keyOf = (seed: string) => {
  const secret = createHash('sha256').update(seed).digest();
  const pub = secp256k1.getPublicKey(secret, true);
  return { secret, pub, address: addressFromPubKey(pub) };
};

export interface Node {
  app: FastifyInstance;
  url: string;
  /** The FakeView (unused when NodeOptions.view was given). */
  view: FakeView;
  sent: Any[];
  payloads: PayloadStore;
  address: string;
}

export interface NodeOptions {
  backend: InferenceBackend;
  artifactHex: string;
  payloadDir: string;
  idleTimeoutMs?: number;
  startTimeoutMs?: number;
  seed?: string;
  /** A chain view (default: a FakeView with the demo model, this node its only participant). */
  view?: InferenceView;
  /** The operator key (default: derived from seed). */
  key?: { secret: Uint8Array; pub: Uint8Array; address: string };
  /** Where msgs go (default: recorded in Node.sent only). */
  submit?: (msgs: Any[], extraGas?: bigint) => Promise<unknown>;
  port?: number;
}

export async function startNode(o: NodeOptions): Promise<Node> {
  const op = o.key ?? keyOf(o.seed ?? 'api-openai operator');
  const fake = new FakeView();
  const view = o.view ?? fake;
  fake.modelsList = [
    {
      model: {
        id: MODEL,
        artifactHash: Buffer.from(o.artifactHex, 'hex'),
        contextLength: 1024n,
        price: {
          initialPrice: '2',
          minPrice: '1',
          utilizationLow: '0.4',
          utilizationHigh: '0.6',
          elasticity: '0.05',
          maxChangePerBlock: '0.02',
          capacityTokensPerBlock: 1000n,
          windowBlocks: 10n,
        },
        validationThreshold: '0.99',
        pocClass: 0,
      },
      state: { modelId: MODEL, price: '3', recentTokens: [], lastHeight: 1n },
    },
  ];
  const sent: Any[] = [];
  const submit = async (msgs: Any[], extraGas?: bigint) => {
    sent.push(...msgs);
    return o.submit ? o.submit(msgs, extraGas) : { code: 0 };
  };
  const tokenizers = new Map([[MODEL, TextTokenizer.fromDir(ensureDemoModelDir())]]);
  const payloads = new PayloadStore({ dir: o.payloadDir });
  const app = await buildApiServer({
    proofs: { sampleSize: () => undefined, store: () => undefined, committedCount: () => undefined },
    metrics: new ApiMetrics(),
    status: () => ({}),
    inference: {
      ta: {
        view,
        transferAgent: op.address,
        replay: new ReplaySet(),
        now: Date.now,
        tokenizers,
        submit,
        reservations: new Reservations(),
        holdMs: 10,
        forward: {
          privateKey: op.secret,
          pubKey: op.pub,
          startTimeoutMs: o.startTimeoutMs ?? 5_000,
          idleTimeoutMs: o.idleTimeoutMs ?? 5_000,
        },
      },
      executor: { view, address: op.address, backends: [o.backend], payloads, submit },
    },
  });
  const url = await app.listen({ host: '127.0.0.1', port: o.port ?? 0 });
  fake.participantsList = [
    { address: op.address, consensusPubkey: new Uint8Array(0), weight: 10n, apiUrl: url, classes: [0] },
  ];
  return { app, url, view: fake, sent, payloads, address: op.address };
}
